//! The e.firma on submissions: the trust store of SAT CA certificates, whether an
//! unsigned submission is accepted, and the check of a submission's signature at the
//! moment of receipt, refused as problem+json with a stable type.
//!
//! With a trust store, a submission must carry a detached CMS signature over exactly
//! its snapshot's bytes, by a FIEL (not a CSD) valid at the server's receipt time (the
//! signingTime is only the signer's claim), of the submission's RFC (a persona moral's
//! company RFC), issued by one of the configured CA certificates. Without one (a server
//! built in-process by tests or the bench), an unsigned submission is accepted and a
//! signature sent is checked in every way but its issuer.
//!
//! With an OCSP responder configured, the signer's certificate is also asked about: a
//! revoked one is refused; when the responder does not answer in time, or answers
//! something that cannot be trusted, the submission is accepted and its receipt says
//! the revocation was not verified, so that the SAT's outage never costs a bidder its
//! deadline.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use ventanilla_api::{FieldError, ProblemType, Revocation};
use ventanilla_core::Locale;
use ventanilla_efirma::ocsp::{self, CertificateStatus};
use ventanilla_efirma::{Certificate, EfirmaError};

use crate::error::ApiError;
use crate::storage::Efirma;

/// How long a submission waits for the OCSP responder before it is accepted unverified.
const OCSP_TIMEOUT: Duration = Duration::from_secs(3);

/// The OCSP responder signers' certificates are asked about.
#[derive(Clone, Debug)]
pub struct OcspResponder {
    url: String,
    client: reqwest::Client,
}

impl OcspResponder {
    /// The responder at `url` (SAT's is `https://cfdi.sat.gob.mx/edofiel`).
    pub fn new(url: &str) -> Result<OcspResponder, String> {
        let bad = |why: String| {
            format!("La dirección de --efirma-ocsp ({url}) no sirve: {why}. Escribe la dirección completa del servicio OCSP del SAT, con http:// o https://.")
        };
        let parsed = reqwest::Url::parse(url).map_err(|e| bad(e.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(bad(format!(
                "el esquema {} no es http ni https",
                parsed.scheme()
            )));
        }
        let client = reqwest::Client::builder()
            .timeout(OCSP_TIMEOUT)
            .build()
            .map_err(|e| bad(e.to_string()))?;
        Ok(OcspResponder {
            url: url.to_owned(),
            client,
        })
    }

    /// What the responder says of `certificate` (issued by `issuer`) at `at`; `None`
    /// when it could not be asked or its answer cannot be trusted.
    async fn status(
        &self,
        certificate: &Certificate,
        issuer: &Certificate,
        at: DateTime<Utc>,
    ) -> Option<CertificateStatus> {
        let answer = async {
            self.client
                .post(&self.url)
                .header("content-type", "application/ocsp-request")
                .body(ocsp::request(certificate, issuer))
                .send()
                .await?
                .error_for_status()?
                .bytes()
                .await
        };
        let read = match answer.await {
            Ok(bytes) => {
                ocsp::read_response(&bytes, certificate, issuer, at).map_err(|e| e.to_string())
            }
            Err(e) => Err(e.to_string()),
        };
        match read {
            Ok(status) => Some(status),
            Err(why) => {
                eprintln!("ventanilla-server: OCSP sin respuesta confiable ({}): {why}; el envío se acepta con la revocación no verificada", self.url);
                None
            }
        }
    }
}

/// How submissions' e.firma are checked.
#[derive(Clone, Debug, Default)]
pub struct EfirmaPolicy {
    /// The CA certificates a signer's FIEL must be issued by (SAT's, or the sandbox's
    /// test CA). Empty: the issuer is not checked.
    pub authorities: Vec<Certificate>,
    /// Refuse unsigned submissions (`efirma/missing`).
    pub require_signature: bool,
    /// Where signers' certificates are checked against revocation; needs
    /// `authorities` (the request names the issuer).
    pub ocsp: Option<OcspResponder>,
}

impl EfirmaPolicy {
    /// Submissions must be signed by a FIEL issued by one of `authorities`.
    pub fn trusting(authorities: Vec<Certificate>) -> EfirmaPolicy {
        EfirmaPolicy {
            authorities,
            require_signature: true,
            ocsp: None,
        }
    }

    /// What the configured responder says of `signer`: refused when revoked.
    async fn revocation(
        &self,
        signer: &Certificate,
        at: DateTime<Utc>,
    ) -> Result<Revocation, ApiError> {
        let Some(responder) = &self.ocsp else {
            return Ok(Revocation::Unverified);
        };
        let Ok(issuer) = signer.issued_by(&self.authorities, at) else {
            return Ok(Revocation::Unverified);
        };
        match responder.status(signer, issuer, at).await {
            Some(CertificateStatus::Good) => Ok(Revocation::Good),
            Some(CertificateStatus::Revoked { at }) => Err(refused(&EfirmaError::Revoked { at })),
            Some(CertificateStatus::Unknown) | None => Ok(Revocation::Unverified),
        }
    }
}

/// The problem type a refused signature is answered with.
fn problem_type(error: &EfirmaError) -> ProblemType {
    match error {
        EfirmaError::NotFiel(_) => ProblemType::EfirmaNotFiel,
        EfirmaError::Expired { .. } | EfirmaError::NotYetValid { .. } => ProblemType::EfirmaExpired,
        EfirmaError::RfcMismatch { .. } => ProblemType::EfirmaRfcMismatch,
        EfirmaError::Untrusted => ProblemType::EfirmaUntrusted,
        EfirmaError::Revoked { .. } => ProblemType::EfirmaRevoked,
        _ => ProblemType::EfirmaBadSignature,
    }
}

/// What to tell the sender, in Spanish: the e.firma crate's words for what is wrong
/// with the certificate, the server's own for a signature that does not hold.
fn detail(error: &EfirmaError) -> String {
    match problem_type(error) {
        ProblemType::EfirmaBadSignature => "La firma no corresponde a este envío: la instantánea cambió después de firmarse, la firma es de otro archivo o no es una firma CMS separada (.p7s) en base64. Vuelve a firmar el envío con tu e.firma y envíalo de nuevo.".to_owned(),
        _ => error.message(Locale::Es),
    }
}

fn refused(error: &EfirmaError) -> ApiError {
    ApiError::new(problem_type(error), detail(error)).with_errors(vec![FieldError {
        pointer: "/signature".to_owned(),
        code: error.code().to_owned(),
        detail: detail(error),
    }])
}

/// Checks the `signature` (base64 of a `.p7s`) of a submission about `rfc` whose
/// snapshot is `snapshot`, at `at` (the receipt's time), and asks the OCSP responder
/// about its signer. `None` for an unsigned one that `policy` accepts.
pub async fn check(
    policy: &EfirmaPolicy,
    snapshot: &str,
    signature: Option<&str>,
    rfc: &str,
    at: DateTime<Utc>,
) -> Result<Option<Efirma>, ApiError> {
    let Some(signature) = signature else {
        if policy.require_signature {
            return Err(ApiError::new(
                ProblemType::EfirmaMissing,
                "Este servidor sólo acepta envíos firmados con la e.firma (FIEL) del negocio. Firma el envío con tu .cer y tu .key (en Ventanilla, «Firmar y enviar») y vuelve a enviarlo.",
            ));
        }
        return Ok(None);
    };
    let p7s = ventanilla_api::signature::decode(signature)
        .ok_or_else(|| refused(&EfirmaError::SignatureUnreadable))?;
    let content = snapshot.as_bytes();
    let verified = if policy.authorities.is_empty() {
        ventanilla_efirma::verify_detached(content, &p7s).and_then(|verified| {
            verified.signer.check_signing(at, Some(rfc))?;
            Ok(verified)
        })
    } else {
        ventanilla_efirma::verify_fiel_signature(content, &p7s, &policy.authorities, at, Some(rfc))
    }
    .map_err(|e| refused(&e))?;
    let revocation = policy.revocation(&verified.signer, at).await?;
    let facts = verified.signer.facts();
    Ok(Some(Efirma {
        signer: facts.holder.clone(),
        certificate_number: facts.certificate_number.clone(),
        p7s,
        revocation,
    }))
}

/// Why a trust store could not be read, in Spanish.
fn unreadable(path: &Path, why: impl std::fmt::Display) -> String {
    format!(
        "No se puede leer el certificado de autoridad {} ({why}). La carpeta de --efirma-ca debe tener sólo certificados de las autoridades certificadoras del SAT, en DER (.cer) o PEM.",
        path.display()
    )
}

/// The DER certificates in a file: one DER certificate, or every PEM block of one.
fn certificates_in(bytes: &[u8]) -> Option<Vec<Vec<u8>>> {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    let Some(text) = std::str::from_utf8(bytes)
        .ok()
        .filter(|t| t.contains(BEGIN))
    else {
        return Some(vec![bytes.to_vec()]);
    };
    text.split(BEGIN)
        .skip(1)
        .map(|block| {
            let body: String = block
                .split(END)
                .next()?
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            ventanilla_api::signature::decode(&body)
        })
        .collect()
}

/// Reads every CA certificate (DER or PEM; hidden files skipped) in `dir`. Refuses a
/// folder that cannot be read, holds something else or no certificate at all, so a
/// mistyped path never starts a server that trusts nobody.
pub fn load_authorities(dir: &Path) -> Result<Vec<Certificate>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| unreadable(dir, e))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_file())
        .filter(|path| {
            !path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
        })
        .collect();
    paths.sort();
    let mut authorities = Vec::new();
    for path in paths {
        let bytes = std::fs::read(&path).map_err(|e| unreadable(&path, e))?;
        let ders = certificates_in(&bytes)
            .ok_or_else(|| unreadable(&path, "un bloque PEM no es base64"))?;
        for der in ders {
            let certificate = Certificate::from_der(&der)
                .map_err(|_| unreadable(&path, "no es un certificado X.509 con llave RSA"))?;
            authorities.push(certificate);
        }
    }
    if authorities.is_empty() {
        return Err(format!(
            "La carpeta {} no tiene certificados. Copia en ella los certificados de las autoridades certificadoras del SAT (DER o PEM).",
            dir.display()
        ));
    }
    Ok(authorities)
}

/// The sandbox's test CA, kept in its data folder.
pub mod sandbox {
    use std::path::{Path, PathBuf};

    use crate::test_fiel::{Profile, Spec, TestCa, CURP_FISICA, PASSWORD};
    use ventanilla_efirma::Certificate;

    /// Makes everything under `dir` its user's only (folders 0700, files 0600), as the
    /// rest of the data folder is: `openssl` writes files under the process's umask.
    fn make_private(dir: &Path) -> Result<(), String> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mut pending = vec![dir.to_owned()];
            while let Some(path) = pending.pop() {
                let failed =
                    |e: std::io::Error| format!("No se pudo proteger {} ({e}).", path.display());
                let metadata = std::fs::metadata(&path).map_err(failed)?;
                let mode = if metadata.is_dir() {
                    for entry in std::fs::read_dir(&path).map_err(failed)? {
                        pending.push(entry.map_err(failed)?.path());
                    }
                    0o700
                } else {
                    0o600
                };
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode))
                    .map_err(failed)?;
            }
        }
        #[cfg(not(unix))]
        let _ = dir;
        Ok(())
    }

    /// Where the sandbox keeps its test CA, under its data folder.
    pub fn authority_dir(data_dir: &Path) -> PathBuf {
        data_dir.join("efirma-ca-de-prueba")
    }

    const NO_OPENSSL: &str = "El comando openssl no está disponible, y el servidor de prueba lo usa para crear su autoridad certificadora de prueba y sus e.firmas de prueba. Instálalo (en Debian: apt install openssl).";

    /// The sandbox's test CA certificate, made on first start with `openssl`.
    pub fn authority(data_dir: &Path) -> Result<Certificate, String> {
        if !crate::test_fiel::openssl_available() {
            return Err(NO_OPENSSL.to_owned());
        }
        crate::files::create_private_dir(data_dir).map_err(|e| {
            format!(
                "No se puede usar la carpeta de datos {} ({e}).",
                data_dir.display()
            )
        })?;
        let ca = TestCa::kept_in(&authority_dir(data_dir));
        make_private(&authority_dir(data_dir))?;
        Certificate::from_der(&ca.certificate()).map_err(|e| e.message(ventanilla_core::Locale::Es))
    }

    /// What a test FIEL is issued as.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum TestFielKind {
        /// A current FIEL.
        Fiel,
        /// A sello digital (CSD) of the same holder, which the server refuses.
        Csd,
        /// A FIEL that expired yesterday, which the server refuses.
        Expired,
    }

    /// The files of an issued test FIEL.
    #[derive(Debug, serde::Serialize)]
    pub struct TestFiel {
        pub cer: PathBuf,
        pub key: PathBuf,
        /// A file holding the key's password, for `--password-file`.
        pub password_file: PathBuf,
        pub certificate_number: String,
    }

    /// Issues a test FIEL (or CSD) for `rfc` from the sandbox CA of `data_dir` into
    /// `out`: `RFC.cer`, `RFC.key` and `RFC.password.txt`. A 12-character RFC gets a
    /// persona moral's shape ("COMPANY / REPRESENTATIVE").
    pub fn issue(
        data_dir: &Path,
        rfc: &str,
        holder: &str,
        kind: TestFielKind,
        out: &Path,
    ) -> Result<TestFiel, String> {
        if !crate::test_fiel::openssl_available() {
            return Err(NO_OPENSSL.to_owned());
        }
        let rfc = ventanilla_core::identifiers::normalize(rfc);
        let mut spec = Spec {
            holder: holder.to_uppercase(),
            ..Spec::fisica()
        };
        if rfc.chars().count() == 12 {
            spec.unique_identifier = format!("{rfc} / {}", crate::test_fiel::RFC_FISICA);
            spec.serial_number = format!(" / {CURP_FISICA}");
        } else {
            spec.unique_identifier = rfc.clone();
        }
        match kind {
            TestFielKind::Fiel => {}
            TestFielKind::Csd => spec.profile = Profile::Csd,
            TestFielKind::Expired => {
                let now = chrono::Utc::now();
                spec = spec.valid(
                    now - chrono::Duration::days(4 * 365),
                    now - chrono::Duration::days(1),
                );
            }
        }
        let ca = TestCa::kept_in(&authority_dir(data_dir));
        let issued = ca.issue(&spec);
        make_private(&authority_dir(data_dir))?;
        let failed = |e: std::io::Error| format!("No se pudo escribir en {} ({e}).", out.display());
        std::fs::create_dir_all(out).map_err(failed)?;
        let fiel = TestFiel {
            cer: out.join(format!("{rfc}.cer")),
            key: out.join(format!("{rfc}.key")),
            password_file: out.join(format!("{rfc}.password.txt")),
            certificate_number: issued.certificate_number.clone(),
        };
        std::fs::copy(&issued.cer, &fiel.cer).map_err(failed)?;
        std::fs::copy(&issued.key, &fiel.key).map_err(failed)?;
        std::fs::write(&fiel.password_file, format!("{PASSWORD}\n")).map_err(failed)?;
        Ok(fiel)
    }
}
