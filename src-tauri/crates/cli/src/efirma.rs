//! `ventanilla efirma`: checks an e.firma (FIEL), signs a file with it (a detached
//! `.p7s`) and verifies a signature, printing JSON like every other command.

use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::Utc;
use clap::{Args, Subcommand};
use serde_json::{json, Value};
use ventanilla_core::Locale;
use ventanilla_efirma::{inspect, sign_detached, verify_detached, Credentials, EfirmaError};
use zeroize::Zeroizing;

#[derive(Subcommand)]
pub enum EfirmaAction {
    /// Muestra los datos del certificado y si la e.firma sirve para firmar hoy.
    Inspect {
        #[command(flatten)]
        fiel: FielArgs,
    },
    /// Firma un archivo con la e.firma: escribe una firma separada (.p7s).
    Sign {
        file: PathBuf,
        #[command(flatten)]
        fiel: FielArgs,
        /// El archivo de firma que se escribe; por omisión, el mismo nombre con .p7s.
        #[arg(long, value_name = "ARCHIVO.p7s")]
        out: Option<PathBuf>,
    },
    /// Verifica que una firma (.p7s) corresponda a un archivo.
    Verify { file: PathBuf, signature: PathBuf },
}

#[derive(Args)]
pub struct FielArgs {
    /// El certificado de la e.firma (.cer).
    #[arg(long, value_name = "ARCHIVO.cer")]
    cer: PathBuf,
    /// La llave privada de la e.firma (.key).
    #[arg(long, value_name = "ARCHIVO.key")]
    key: PathBuf,
    /// Un archivo con la contraseña de la llave (se ignora el salto de línea final); sin
    /// él, se lee de la entrada estándar.
    #[arg(long, value_name = "ARCHIVO")]
    password_file: Option<PathBuf>,
    /// El RFC del negocio que firma (de una persona moral, el de la empresa).
    #[arg(long)]
    rfc: Option<String>,
}

/// A refusal that is not the e.firma's: a file that cannot be read or written.
fn file_error(code: &str, path: &Path, error: &std::io::Error) -> Value {
    json!({ "error": { "code": code, "message": format!("No se pudo usar el archivo «{}»: {error}. Revisa la ruta y los permisos.", path.display()) } })
}

fn read(path: &Path) -> Result<Vec<u8>, Value> {
    std::fs::read(path).map_err(|e| file_error("file_unreadable", path, &e))
}

fn efirma_error_json(error: &EfirmaError) -> Value {
    json!({ "code": error.code(), "message": error.message(Locale::Es) })
}

/// The password, from its file or standard input, without its line ending.
fn password(file: Option<&Path>) -> Result<Zeroizing<Vec<u8>>, Value> {
    let mut bytes = Zeroizing::new(Vec::new());
    match file {
        Some(path) => {
            *bytes = read(path)?;
        }
        None => {
            std::io::stdin().read_to_end(&mut bytes).map_err(|e| {
                json!({ "error": { "code": "password_unreadable", "message": format!("No se pudo leer la contraseña de la entrada estándar: {e}") } })
            })?;
        }
    }
    // One line ending: "\n" or "\r\n".
    for ending in [b'\n', b'\r'] {
        if bytes.last() == Some(&ending) {
            bytes.pop();
        }
    }
    Ok(bytes)
}

/// The e.firma that signs a submission, when given: `ventanilla submit` and
/// `ventanilla bid submit` sign the frozen snapshot with it before queueing.
#[derive(Args)]
pub struct SigningArgs {
    /// El certificado de la e.firma (.cer) con que se firma el envío.
    #[arg(long, value_name = "ARCHIVO.cer", requires = "key")]
    cer: Option<PathBuf>,
    /// La llave privada de la e.firma (.key).
    #[arg(long, value_name = "ARCHIVO.key", requires = "cer")]
    key: Option<PathBuf>,
    /// Un archivo con la contraseña de la llave (se ignora el salto de línea final); sin
    /// él, se lee de la entrada estándar.
    #[arg(long, value_name = "ARCHIVO", requires = "cer")]
    password_file: Option<PathBuf>,
}

impl SigningArgs {
    /// The FIEL read from its files; `None` when no `--cer` was given (unsigned).
    pub fn read(&self) -> Result<Option<Fiel>, Value> {
        let (Some(cer), Some(key)) = (&self.cer, &self.key) else {
            return Ok(None);
        };
        Fiel::from_files(cer, key, self.password_file.as_deref()).map(Some)
    }
}

/// The FIEL's files read, for one use.
pub struct Fiel {
    cer: Vec<u8>,
    key: Zeroizing<Vec<u8>>,
    password: Zeroizing<Vec<u8>>,
}

impl Fiel {
    fn read(args: &FielArgs) -> Result<Fiel, Value> {
        Fiel::from_files(&args.cer, &args.key, args.password_file.as_deref())
    }

    fn from_files(cer: &Path, key: &Path, password_file: Option<&Path>) -> Result<Fiel, Value> {
        Ok(Fiel {
            cer: read(cer)?,
            key: Zeroizing::new(read(key)?),
            password: password(password_file)?,
        })
    }

    pub fn credentials(&self) -> Credentials<'_> {
        Credentials {
            certificate: &self.cer,
            key: &self.key,
            password: &self.password,
        }
    }
}

pub fn run(action: EfirmaAction) -> (Value, bool) {
    let outcome = match action {
        EfirmaAction::Inspect { fiel } => inspect_fiel(&fiel),
        EfirmaAction::Sign { file, fiel, out } => sign(&file, &fiel, out),
        EfirmaAction::Verify { file, signature } => verify(&file, &signature),
    };
    outcome.unwrap_or_else(|refusal| (refusal, false))
}

/// Ok (exit 0) only for a current FIEL whose key matches (and of `--rfc`, if given).
fn inspect_fiel(args: &FielArgs) -> Result<(Value, bool), Value> {
    let fiel = Fiel::read(args)?;
    let inspection = inspect(&fiel.credentials(), Utc::now(), args.rfc.as_deref());
    let facts = inspection.certificate.as_ref();
    let errors: Vec<Value> = inspection.problems.iter().map(efirma_error_json).collect();
    Ok((
        json!({
            "usable": inspection.usable(),
            "kind": facts.map(|f| f.kind),
            "rfc": facts.map(|f| &f.rfc),
            "representative_rfc": facts.and_then(|f| f.representative_rfc.as_ref()),
            "curp": facts.and_then(|f| f.curp.as_ref()),
            "holder": facts.map(|f| &f.holder),
            "email": facts.and_then(|f| f.email.as_ref()),
            "certificate_number": facts.map(|f| &f.certificate_number),
            "not_before": facts.map(|f| f.not_before),
            "not_after": facts.map(|f| f.not_after),
            "issuer": facts.map(|f| &f.issuer),
            "errors": errors,
        }),
        inspection.usable(),
    ))
}

/// `FILE.p7s` beside `file`.
fn default_signature_path(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".p7s");
    PathBuf::from(name)
}

fn sign(file: &Path, args: &FielArgs, out: Option<PathBuf>) -> Result<(Value, bool), Value> {
    let content = read(file)?;
    let fiel = Fiel::read(args)?;
    let at = Utc::now();
    let p7s = sign_detached(&fiel.credentials(), &content, at, args.rfc.as_deref())
        .map_err(|e| json!({ "signed": false, "error": efirma_error_json(&e) }))?;
    let out = out.unwrap_or_else(|| default_signature_path(file));
    std::fs::write(&out, &p7s).map_err(|e| file_error("file_unwritable", &out, &e))?;
    let signed = verify_detached(&content, &p7s)
        .map_err(|e| json!({ "signed": false, "error": efirma_error_json(&e) }))?;
    Ok((
        json!({
            "signed": true,
            "file": file,
            "signature": out,
            "bytes": p7s.len(),
            "signer": signed.signer.facts(),
            "signing_time": signed.signing_time,
        }),
        true,
    ))
}

/// Ok (exit 0) only when the signature verifies over the file's bytes. Whether the
/// signer is the SAT's is not known offline without its CA certificates.
fn verify(file: &Path, signature: &Path) -> Result<(Value, bool), Value> {
    let content = read(file)?;
    let p7s = read(signature)?;
    Ok(match verify_detached(&content, &p7s) {
        Ok(verified) => (
            json!({
                "valid": true,
                "signer": verified.signer.facts(),
                "signing_time": verified.signing_time,
            }),
            true,
        ),
        Err(e) => (
            json!({ "valid": false, "error": efirma_error_json(&e) }),
            false,
        ),
    })
}
