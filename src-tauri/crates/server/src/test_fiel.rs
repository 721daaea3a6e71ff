//! A test CA issuing FIELs and CSDs of SAT's shapes with the `openssl` command: the
//! sandbox's own (`--sandbox`, `test-fiel`), and every crate's tests' through the test
//! kit. It lives in the server because the sandbox ships it; tests reach it as
//! `ventanilla_testkit::efirma`. x500UniqueIdentifier and serialNumber as SAT writes them
//! (persona moral "COMPANY / REPRESENTATIVE"), Ñ and & as Latin-1 in T61Strings, the
//! 20-digit certificate number as the serial's ASCII bytes, and the key wrapped like
//! SAT's (PKCS#8, PBES2, PBKDF2-HMAC-SHA1 with 2048 iterations, 3DES-CBC).
// Test and sandbox equipment only: the sandbox checks `openssl_available` first, and
// an openssl that then fails is a broken installation worth stopping on.
#![allow(clippy::unwrap_used)]

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

/// A certificate authority of its own, in a temporary folder or a kept one.
pub struct TestCa {
    dir: PathBuf,
    /// Deletes the folder when the CA is dropped, for a temporary one.
    _temporary: Option<tempfile::TempDir>,
    issued: AtomicU32,
}

/// Whether the `openssl` command can be run here, which every other function of this
/// module needs.
pub fn openssl_available() -> bool {
    Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Makes a CA (self-signed, RSA 2048, valid from ten years ago to ten years ahead, so
/// that tests on a clock set in the past can trust it) in `dir`, through
/// `openssl ca -selfsign`, which sets any start date.
fn create_authority(dir: &Path) {
    let now = Utc::now();
    std::fs::write(dir.join("ca-index.txt"), "").unwrap();
    std::fs::write(dir.join("ca-serial"), "01\n").unwrap();
    std::fs::write(
        dir.join("ca-self.cnf"),
        "[ca]\ndefault_ca = self\n[self]\ndatabase = ca-index.txt\nserial = ca-serial\nnew_certs_dir = .\ndefault_md = sha256\npolicy = any\nunique_subject = no\n[any]\ncommonName = supplied\n[authority]\nbasicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign\n",
    )
    .unwrap();
    openssl(dir, &["genrsa", "-out", "ca.key", "2048"]);
    openssl(
        dir,
        &[
            "req",
            "-new",
            "-key",
            "ca.key",
            "-subj",
            "/CN=AC DE PRUEBAS DE VENTANILLA/O=Ventanilla pruebas/C=MX",
            "-out",
            "ca.csr",
        ],
    );
    openssl(
        dir,
        &[
            "ca",
            "-batch",
            "-selfsign",
            "-preserveDN",
            "-config",
            "ca-self.cnf",
            "-keyfile",
            "ca.key",
            "-notext",
            "-extensions",
            "authority",
            "-startdate",
            &openssl_time(now - Duration::days(3650)),
            "-enddate",
            &openssl_time(now + Duration::days(3650)),
            "-in",
            "ca.csr",
            "-out",
            "ca.pem",
        ],
    );
    openssl(
        dir,
        &["x509", "-in", "ca.pem", "-outform", "DER", "-out", "ca.cer"],
    );
}

impl TestCa {
    /// A new CA in a temporary folder, gone when it is dropped.
    pub fn new() -> TestCa {
        let temporary = tempfile::tempdir().unwrap();
        create_authority(temporary.path());
        TestCa {
            dir: temporary.path().to_owned(),
            _temporary: Some(temporary),
            issued: AtomicU32::new(0),
        }
    }

    /// The CA kept in `dir`, made there the first time (a sandbox server's): its key
    /// is not protected, so it must never be trusted outside tests. Certificates it
    /// issued before keep their numbers; new ones continue after them.
    pub fn kept_in(dir: &Path) -> TestCa {
        std::fs::create_dir_all(dir).unwrap();
        if !dir.join("ca.cer").exists() {
            create_authority(dir);
        }
        let issued = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|entry| {
                let name = entry.ok()?.file_name().into_string().ok()?;
                name.strip_prefix("issued-")?.parse::<u32>().ok()
            })
            .map(|n| n + 1)
            .max()
            .unwrap_or(0);
        TestCa {
            dir: dir.to_owned(),
            _temporary: None,
            issued: AtomicU32::new(issued),
        }
    }

    /// The CA's certificate (DER).
    pub fn certificate(&self) -> Vec<u8> {
        std::fs::read(self.dir.join("ca.cer")).unwrap()
    }

    /// The CA's certificate as a PEM file, for `openssl -CAfile`.
    pub fn certificate_pem(&self) -> PathBuf {
        self.dir.join("ca.pem")
    }

    /// Issues a certificate to `spec` with a new key, as SAT does, through `openssl ca`
    /// (which, unlike `openssl x509`, sets any start and end date).
    pub fn issue(&self, spec: &Spec) -> Issued {
        self.issue_keyed(spec, None)
    }

    /// Issues a certificate to `spec` for the key of `other` (not as SAT does: one key
    /// per certificate), skipping the key generation that makes issuing slow: for the
    /// bench's thousands of bidders.
    pub fn issue_with_key_of(&self, spec: &Spec, other: &Issued) -> Issued {
        self.issue_keyed(spec, Some(other))
    }

    fn issue_keyed(&self, spec: &Spec, key_of: Option<&Issued>) -> Issued {
        let n = self.issued.fetch_add(1, Ordering::SeqCst);
        let certificate_number = format!("3000100000050000{n:04}");
        let dir = self.dir.join(format!("issued-{n}"));
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
        let ca = self.dir.as_path();
        std::fs::write(
            dir.join("ca.cnf"),
            format!(
                "[ca]\ndefault_ca = test\n[test]\ndatabase = index.txt\nserial = serial\nnew_certs_dir = .\ncertificate = {}\nprivate_key = {}\ndefault_md = sha256\npolicy = any\nunique_subject = no\n[any]\ncommonName = optional\n[profile]\n{extensions}",
                ca.join("ca.pem").display(),
                ca.join("ca.key").display(),
            ),
        )
        .unwrap();
        match key_of {
            Some(other) => {
                std::fs::copy(&other.key_pem, dir.join("key.pem")).unwrap();
                std::fs::copy(&other.key, dir.join("private.key")).unwrap();
            }
            None => openssl(&dir, &["genrsa", "-out", "key.pem", "2048"]),
        }
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
        if key_of.is_none() {
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
        }
        Issued {
            cer: dir.join("certificate.cer"),
            key: dir.join("private.key"),
            key_pem: dir.join("key.pem"),
            cer_pem: dir.join("certificate.pem"),
            certificate_number,
        }
    }
}

/// An OCSP responder for a [`TestCa`] (`openssl ocsp -port`), asked on 127.0.0.1, answering
/// from the CA's records as they were when it started; stopped when dropped.
pub struct OcspResponder {
    /// Its URL, for `--efirma-ocsp`.
    pub url: String,
    process: std::process::Child,
}

impl Drop for OcspResponder {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

impl TestCa {
    /// Revokes `issued` in the CA's records, as the SAT does with a lost FIEL.
    pub fn revoke(&self, issued: &Issued) {
        let dir = issued.cer_pem.parent().unwrap();
        openssl(
            dir,
            &[
                "ca",
                "-config",
                "ca.cnf",
                "-revoke",
                "certificate.pem",
                "-crl_reason",
                "keyCompromise",
            ],
        );
    }

    /// Every certificate issued so far, in one `openssl ca` index for `openssl ocsp`
    /// (each issued one keeps its own).
    fn write_ocsp_index(&self) -> PathBuf {
        let mut index = String::new();
        for entry in std::fs::read_dir(&self.dir).unwrap() {
            let path = entry.unwrap().path().join("index.txt");
            if path.is_file() {
                index.push_str(&std::fs::read_to_string(path).unwrap());
            }
        }
        let path = self.dir.join("ocsp-index.txt");
        std::fs::write(&path, index).unwrap();
        path
    }

    fn ocsp_arguments(&self) -> Vec<String> {
        let index = self.write_ocsp_index();
        let ca = self.dir.join("ca.pem").display().to_string();
        let key = self.dir.join("ca.key").display().to_string();
        let index = index.display().to_string();
        [
            "ocsp", "-index", &index, "-CA", &ca, "-rsigner", &ca, "-rkey", &key,
        ]
        .map(String::from)
        .to_vec()
    }

    /// The CA's signed OCSP answer to the DER `request`, through `openssl ocsp`, which
    /// refuses a request it cannot read.
    pub fn ocsp_answer(&self, request: &[u8]) -> Vec<u8> {
        let dir = tempfile::tempdir().unwrap();
        let (asked, answer) = (
            dir.path().join("request.der"),
            dir.path().join("answer.der"),
        );
        std::fs::write(&asked, request).unwrap();
        let mut args = self.ocsp_arguments();
        for (flag, path) in [("-reqin", &asked), ("-respout", &answer)] {
            args.extend([flag.to_owned(), path.display().to_string()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        openssl(dir.path(), &args);
        std::fs::read(answer).unwrap()
    }

    /// A responder answering for this CA over HTTP, ready when this returns.
    pub fn ocsp_responder(&self) -> OcspResponder {
        use std::io::BufRead;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut process = Command::new("openssl")
            .current_dir(&self.dir)
            .args(self.ocsp_arguments())
            // `-port` takes a number alone and listens on every interface.
            .args(["-port", &port.to_string(), "-ignore_err"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the openssl command runs (Debian package `openssl`)");
        // Ready once it says so: a connection made only to probe it stops it for good.
        let mut said = std::io::BufReader::new(process.stderr.take().unwrap()).lines();
        let ready = said
            .by_ref()
            .map_while(Result::ok)
            .any(|line| line.contains("waiting for OCSP client connections"));
        assert!(ready, "openssl ocsp did not start on port {port}");
        std::thread::spawn(move || said.for_each(drop));
        OcspResponder {
            url: format!("http://127.0.0.1:{port}/"),
            process,
        }
    }
}

impl Default for TestCa {
    fn default() -> TestCa {
        TestCa::new()
    }
}
