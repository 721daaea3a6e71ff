//! A test CA issuing FIELs and CSDs of SAT's shapes with the `openssl` command, for the
//! e.firma crate's tests and others': x500UniqueIdentifier and serialNumber as SAT writes them
//! (persona moral "COMPANY / REPRESENTATIVE"), Ñ and & as Latin-1 in T61Strings, the
//! 20-digit certificate number as the serial's ASCII bytes, and the key wrapped like
//! SAT's (PKCS#8, PBES2, PBKDF2-HMAC-SHA1 with 2048 iterations, 3DES-CBC).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

use chrono::{DateTime, Duration, Utc};

/// The password of every key issued here.
pub const PASSWORD: &str = "Contraseña de prueba 2024";

/// A persona física's RFC with Ñ and her CURP (where Ñ is X), and a persona moral's
/// RFC, as in SAT's certificates.
pub const RFC_FISICA: &str = "IAÑL750210963";
/// A persona moral's RFC with Ñ, as in SAT's certificates.
pub const RFC_MORAL: &str = "OÑO120726RX3";
/// The persona física's CURP (her Ñ written X).
pub const CURP_FISICA: &str = "IAXL750210HDFXXS09";

fn openssl(dir: &Path, args: &[&str]) {
    let output = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the openssl command runs (Debian package `openssl`)");
    assert!(
        output.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Latin-1 bytes of `text`, as SAT's T61Strings hold them.
fn latin1(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).expect("a Latin-1 character"))
        .collect()
}

fn openssl_time(at: DateTime<Utc>) -> String {
    at.format("%Y%m%d%H%M%SZ").to_string()
}

/// What a certificate is issued as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    /// A FIEL (e.firma): the one that signs proposals.
    Fiel,
    /// A CSD (sello digital): the invoice seal, which must be refused for signing.
    Csd,
}

/// The subject and validity of a certificate to issue.
#[derive(Clone, Debug)]
pub struct Spec {
    /// A FIEL or a CSD.
    pub profile: Profile,
    /// The holder's name or company name (CN, name and O).
    pub holder: String,
    /// x500UniqueIdentifier as SAT writes it.
    pub unique_identifier: String,
    /// serialNumber as SAT writes it.
    pub serial_number: String,
    /// The first instant it is valid.
    pub not_before: DateTime<Utc>,
    /// The last instant it is valid.
    pub not_after: DateTime<Utc>,
}

impl Spec {
    /// A persona física's FIEL, valid from a year ago for four years.
    pub fn fisica() -> Spec {
        let now = Utc::now();
        Spec {
            profile: Profile::Fiel,
            holder: "JOSÉ IAÑEZ LÓPEZ".into(),
            unique_identifier: RFC_FISICA.into(),
            serial_number: CURP_FISICA.into(),
            not_before: now - Duration::days(365),
            not_after: now + Duration::days(3 * 365),
        }
    }

    /// A persona moral's FIEL: the company's RFC and its representative's.
    pub fn moral() -> Spec {
        Spec {
            holder: "OÑORO & ASOCIADOS SA DE CV".into(),
            unique_identifier: format!("{RFC_MORAL} / {RFC_FISICA}"),
            serial_number: format!(" / {CURP_FISICA}"),
            ..Spec::fisica()
        }
    }

    /// The same holder's CSD (sello digital).
    pub fn csd(self) -> Spec {
        Spec {
            profile: Profile::Csd,
            ..self
        }
    }

    /// The same certificate valid over another span, such as one already expired.
    pub fn valid(self, not_before: DateTime<Utc>, not_after: DateTime<Utc>) -> Spec {
        Spec {
            not_before,
            not_after,
            ..self
        }
    }
}

/// An issued certificate and key, as files and bytes.
pub struct Issued {
    /// The `.cer` (DER).
    pub cer: PathBuf,
    /// The `.key` (DER PKCS#8, encrypted with [`PASSWORD`]).
    pub key: PathBuf,
    /// The key unencrypted (PEM), for `openssl cms -sign`.
    pub key_pem: PathBuf,
    /// The certificate as PEM, for `openssl cms -sign`.
    pub cer_pem: PathBuf,
    /// The 20-digit número de certificado.
    pub certificate_number: String,
}

impl Issued {
    /// The `.cer` file's bytes.
    pub fn cer_bytes(&self) -> Vec<u8> {
        std::fs::read(&self.cer).unwrap()
    }

    /// The `.key` file's bytes.
    pub fn key_bytes(&self) -> Vec<u8> {
        std::fs::read(&self.key).unwrap()
    }

    /// Signs `content` into `p7s` with `openssl cms -sign` (detached, DER, SHA-256): a
    /// signature this crate did not make, for it to verify.
    pub fn openssl_sign(&self, content: &Path, p7s: &Path) {
        let text = |p: &Path| p.to_str().expect("a UTF-8 path").to_owned();
        let dir = content.parent().unwrap_or(Path::new("."));
        openssl(
            dir,
            &[
                "cms",
                "-sign",
                "-binary",
                "-outform",
                "DER",
                "-md",
                "sha256",
                "-in",
                &text(content),
                "-signer",
                &text(&self.cer_pem),
                "-inkey",
                &text(&self.key_pem),
                "-out",
                &text(p7s),
            ],
        );
    }
}

/// Checks a detached DER signature of `content` with `openssl cms -verify`: against the
/// chain of `ca` when given, else the signature alone (`-noverify`). `Err` carries what
/// openssl printed.
pub fn openssl_verify(content: &Path, p7s: &Path, ca: Option<&Path>) -> Result<(), String> {
    let text = |p: &Path| p.to_str().expect("a UTF-8 path").to_owned();
    let mut args = vec!["cms", "-verify", "-binary", "-inform", "DER"]
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>();
    args.extend(["-in".into(), text(p7s), "-content".into(), text(content)]);
    match ca {
        Some(ca) => args.extend(["-CAfile".into(), text(ca), "-purpose".into(), "any".into()]),
        None => args.push("-noverify".into()),
    }
    args.extend(["-out".into(), "/dev/null".into()]);
    let output = Command::new("openssl")
        .args(&args)
        .output()
        .expect("the openssl command runs (Debian package `openssl`)");
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// A certificate authority of its own in a temporary folder.
pub struct TestCa {
    dir: tempfile::TempDir,
    issued: AtomicU32,
}

impl TestCa {
    /// A new CA (self-signed, RSA 2048, valid ten years around now).
    pub fn new() -> TestCa {
        let dir = tempfile::tempdir().unwrap();
        openssl(
            dir.path(),
            &[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-subj",
                "/CN=AC DE PRUEBAS DE VENTANILLA/O=Ventanilla pruebas/C=MX",
                "-days",
                "3650",
                "-sha256",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ],
        );
        openssl(
            dir.path(),
            &["x509", "-in", "ca.pem", "-outform", "DER", "-out", "ca.cer"],
        );
        TestCa {
            dir,
            issued: AtomicU32::new(0),
        }
    }

    /// The CA's certificate (DER).
    pub fn certificate(&self) -> Vec<u8> {
        std::fs::read(self.dir.path().join("ca.cer")).unwrap()
    }

    /// The CA's certificate as a PEM file, for `openssl -CAfile`.
    pub fn certificate_pem(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    /// Issues a certificate to `spec` with a new key, as SAT does, through `openssl ca`
    /// (which, unlike `openssl x509`, sets any start and end date).
    pub fn issue(&self, spec: &Spec) -> Issued {
        let n = self.issued.fetch_add(1, Ordering::SeqCst);
        let certificate_number = format!("3000100000050000{n:04}");
        let dir = self.dir.path().join(format!("issued-{n}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.txt"), "").unwrap();
        let serial_hex: String = certificate_number
            .bytes()
            .map(|b| format!("{b:02X}"))
            .collect();
        std::fs::write(dir.join("serial"), format!("{serial_hex}\n")).unwrap();
        std::fs::write(dir.join("password"), PASSWORD).unwrap();
        // Characters outside PrintableString (Ñ, &) make `nombstr` pick T61String, and
        // without -utf8 openssl takes the file's bytes as Latin-1 characters.
        let mut request =
            b"[req]\nprompt = no\nstring_mask = nombstr\ndistinguished_name = dn\n[dn]\n".to_vec();
        let mut line = |field: &str, value: &str| {
            request.extend_from_slice(field.as_bytes());
            request.extend_from_slice(b" = ");
            request.extend_from_slice(&latin1(value));
            request.push(b'\n');
        };
        line("CN", &spec.holder);
        line("name", &spec.holder);
        line("O", &spec.holder);
        if spec.profile == Profile::Csd {
            line("OU", "SUCURSAL MATRIZ");
        }
        line("C", "MX");
        line("emailAddress", "contacto@ejemplo.mx");
        line("x500UniqueIdentifier", &spec.unique_identifier);
        line("serialNumber", &spec.serial_number);
        std::fs::write(dir.join("request.cnf"), request).unwrap();
        let extensions = match spec.profile {
            Profile::Fiel => "keyUsage = critical, digitalSignature, nonRepudiation, dataEncipherment, keyAgreement\nextendedKeyUsage = emailProtection, clientAuth\n",
            Profile::Csd => "keyUsage = critical, digitalSignature, nonRepudiation\n",
        };
        let ca = self.dir.path();
        std::fs::write(
            dir.join("ca.cnf"),
            format!(
                "[ca]\ndefault_ca = test\n[test]\ndatabase = index.txt\nserial = serial\nnew_certs_dir = .\ncertificate = {}\nprivate_key = {}\ndefault_md = sha256\npolicy = any\nunique_subject = no\n[any]\ncommonName = optional\n[profile]\n{extensions}",
                ca.join("ca.pem").display(),
                ca.join("ca.key").display(),
            ),
        )
        .unwrap();
        openssl(&dir, &["genrsa", "-out", "key.pem", "2048"]);
        openssl(
            &dir,
            &[
                "req",
                "-new",
                "-key",
                "key.pem",
                "-config",
                "request.cnf",
                "-out",
                "request.csr",
            ],
        );
        openssl(
            &dir,
            &[
                "ca",
                "-batch",
                "-config",
                "ca.cnf",
                "-preserveDN",
                "-notext",
                "-extensions",
                "profile",
                "-startdate",
                &openssl_time(spec.not_before),
                "-enddate",
                &openssl_time(spec.not_after),
                "-in",
                "request.csr",
                "-out",
                "certificate.pem",
            ],
        );
        openssl(
            &dir,
            &[
                "x509",
                "-in",
                "certificate.pem",
                "-outform",
                "DER",
                "-out",
                "certificate.cer",
            ],
        );
        openssl(
            &dir,
            &[
                "pkcs8",
                "-topk8",
                "-v2",
                "des3",
                "-v2prf",
                "hmacWithSHA1",
                "-iter",
                "2048",
                "-in",
                "key.pem",
                "-outform",
                "DER",
                "-out",
                "private.key",
                "-passout",
                "file:password",
            ],
        );
        Issued {
            cer: dir.join("certificate.cer"),
            key: dir.join("private.key"),
            key_pem: dir.join("key.pem"),
            cer_pem: dir.join("certificate.pem"),
            certificate_number,
        }
    }
}

impl Default for TestCa {
    fn default() -> TestCa {
        TestCa::new()
    }
}
