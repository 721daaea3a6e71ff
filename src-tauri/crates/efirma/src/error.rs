//! Why an e.firma cannot be used or a signature is not accepted: a stable code for the UI,
//! the CLI, the server and tests, and what to do about it in plain Spanish or English.

use chrono::{DateTime, Utc};
use ventanilla_core::Locale;

use crate::certificate::Kind;

/// A refusal. Codes are stable (see [`EfirmaError::code`]); messages may change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EfirmaError {
    /// The `.cer` is not a DER X.509 certificate with an RSA key.
    #[error("certificate unreadable")]
    CertificateUnreadable,
    /// The `.key` is not an encrypted PKCS#8 private key (SAT's format).
    #[error("private key file unreadable")]
    KeyUnreadable,
    /// No password was given.
    #[error("password missing")]
    PasswordMissing,
    /// The key did not decrypt to an RSA private key with this password. 3DES padding
    /// lets some wrong passwords through to a parse error, so every failure after the
    /// file's own structure is read lands here.
    #[error("wrong password")]
    WrongPassword,
    /// The private key is not the certificate's.
    #[error("key does not match certificate")]
    KeyMismatch,
    /// The certificate is not a FIEL: a CSD (invoice seal) or something else.
    #[error("not a FIEL: {0:?}")]
    NotFiel(Kind),
    /// The certificate's validity ended before the instant checked.
    #[error("certificate expired on {not_after}")]
    Expired { not_after: DateTime<Utc> },
    /// The certificate's validity starts after the instant checked.
    #[error("certificate not valid before {not_before}")]
    NotYetValid { not_before: DateTime<Utc> },
    /// The certificate belongs to another RFC than the business's.
    #[error("certificate of RFC {found}, expected {expected}")]
    RfcMismatch { expected: String, found: String },
    /// The certificate was not issued by any of the trusted CA certificates.
    #[error("certificate not issued by a trusted CA")]
    Untrusted,
    /// The SAT revoked the certificate (its OCSP responder says so).
    #[error("certificate revoked on {at}")]
    Revoked { at: DateTime<Utc> },
    /// The `.p7s` is not a CMS SignedData.
    #[error("signature unreadable")]
    SignatureUnreadable,
    /// The `.p7s` is CMS but of a shape not accepted (several signers, no signed
    /// attributes, SHA-1, a signer identified by key id, …).
    #[error("signature of an unsupported shape")]
    SignatureUnsupported,
    /// The signature does not match the content or its own signer certificate.
    #[error("signature does not match")]
    SignatureInvalid,
    /// Building the signature failed (not expected with a usable FIEL).
    #[error("signing failed")]
    SigningFailed,
}

fn pick(locale: Locale, es: String, en: String) -> String {
    match locale {
        Locale::Es => es,
        Locale::En => en,
    }
}

fn day(instant: &DateTime<Utc>) -> String {
    instant.format("%Y-%m-%d").to_string()
}

impl EfirmaError {
    /// A stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            EfirmaError::CertificateUnreadable => "certificate_unreadable",
            EfirmaError::KeyUnreadable => "key_unreadable",
            EfirmaError::PasswordMissing => "password_missing",
            EfirmaError::WrongPassword => "wrong_password",
            EfirmaError::KeyMismatch => "key_mismatch",
            EfirmaError::NotFiel(Kind::Csd) => "certificate_is_csd",
            EfirmaError::NotFiel(_) => "certificate_not_fiel",
            EfirmaError::Expired { .. } => "certificate_expired",
            EfirmaError::NotYetValid { .. } => "certificate_not_yet_valid",
            EfirmaError::RfcMismatch { .. } => "certificate_rfc_mismatch",
            EfirmaError::Untrusted => "certificate_untrusted",
            EfirmaError::Revoked { .. } => "certificate_revoked",
            EfirmaError::SignatureUnreadable => "signature_unreadable",
            EfirmaError::SignatureUnsupported => "signature_unsupported",
            EfirmaError::SignatureInvalid => "signature_invalid",
            EfirmaError::SigningFailed => "signing_failed",
        }
    }

    /// What is wrong and what to do, in plain words in `locale`.
    pub fn message(&self, locale: Locale) -> String {
        match self {
            EfirmaError::CertificateUnreadable => pick(
                locale,
                "El archivo del certificado no es un certificado de e.firma. Elige el archivo .cer que te entregó el SAT.".into(),
                "The certificate file is not an e.firma certificate. Choose the .cer file the SAT gave you.".into(),
            ),
            EfirmaError::KeyUnreadable => pick(
                locale,
                "El archivo de la llave privada no es una llave de e.firma. Elige el archivo .key que se generó junto con tu certificado.".into(),
                "The private key file is not an e.firma key. Choose the .key file created together with your certificate.".into(),
            ),
            EfirmaError::PasswordMissing => pick(
                locale,
                "Escribe la contraseña de la llave privada de tu e.firma.".into(),
                "Type the password of your e.firma's private key.".into(),
            ),
            EfirmaError::WrongPassword => pick(
                locale,
                "La contraseña de la llave privada no es correcta. Escríbela de nuevo respetando mayúsculas y minúsculas; es la de tu e.firma, no la del portal del SAT.".into(),
                "The private key's password is not correct. Type it again minding upper and lower case; it is your e.firma's, not the SAT portal's.".into(),
            ),
            EfirmaError::KeyMismatch => pick(
                locale,
                "La llave privada no corresponde a este certificado. Elige el .key que se generó junto con este .cer.".into(),
                "The private key does not belong to this certificate. Choose the .key created together with this .cer.".into(),
            ),
            EfirmaError::NotFiel(Kind::Csd) => pick(
                locale,
                "Este certificado es un sello digital (CSD), que sólo sirve para facturar. Las propuestas se firman con la e.firma: elige su .cer y su .key.".into(),
                "This certificate is a digital seal (CSD), which only serves for invoicing. Proposals are signed with the e.firma: choose its .cer and .key.".into(),
            ),
            EfirmaError::NotFiel(_) => pick(
                locale,
                "Este certificado no es una e.firma del SAT. Elige el .cer de tu e.firma.".into(),
                "This certificate is not an SAT e.firma. Choose your e.firma's .cer.".into(),
            ),
            EfirmaError::Expired { not_after } => pick(
                locale,
                format!("Tu e.firma venció el {}. Renuévala en el SAT (SAT ID o cita) y usa los archivos nuevos.", day(not_after)),
                format!("Your e.firma expired on {}. Renew it at the SAT (SAT ID or an appointment) and use the new files.", day(not_after)),
            ),
            EfirmaError::NotYetValid { not_before } => pick(
                locale,
                format!("Este certificado es válido a partir del {}. Revisa la fecha y hora de tu computadora, o espera a esa fecha.", day(not_before)),
                format!("This certificate is valid from {}. Check your computer's date and time, or wait until then.", day(not_before)),
            ),
            EfirmaError::RfcMismatch { expected, found } => pick(
                locale,
                format!("Esta e.firma es del RFC {found}, no del negocio ({expected}). Usa la e.firma del negocio; para una persona moral, la de la empresa."),
                format!("This e.firma belongs to RFC {found}, not to the business ({expected}). Use the business's e.firma; for a company, the company's."),
            ),
            EfirmaError::Untrusted => pick(
                locale,
                "El certificado no lo emitió el SAT (ninguna de las autoridades certificadoras reconocidas). Firma con la e.firma que te entregó el SAT.".into(),
                "The certificate was not issued by the SAT (none of the recognized certificate authorities). Sign with the e.firma the SAT gave you.".into(),
            ),
            EfirmaError::Revoked { at } => pick(
                locale,
                format!("El SAT revocó este certificado de e.firma el {}: ya no sirve para firmar. Tramita una e.firma nueva en el SAT y firma de nuevo con ella; lo que preparaste sigue guardado.", day(at)),
                format!("The SAT revoked this e.firma certificate on {}: it can no longer sign. Get a new e.firma from the SAT and sign again with it; what you prepared is still saved.", day(at)),
            ),
            EfirmaError::SignatureUnreadable => pick(
                locale,
                "El archivo de firma no es una firma electrónica (.p7s). Elige el .p7s que se generó al firmar.".into(),
                "The signature file is not an electronic signature (.p7s). Choose the .p7s made when signing.".into(),
            ),
            EfirmaError::SignatureUnsupported => pick(
                locale,
                "La firma usa un formato que no se acepta (se pide una firma separada CMS con SHA-256 y un solo firmante). Vuelve a firmar con Ventanilla.".into(),
                "The signature uses a format that is not accepted (a detached CMS signature with SHA-256 and one signer is required). Sign again with Ventanilla.".into(),
            ),
            EfirmaError::SignatureInvalid => pick(
                locale,
                "La firma no corresponde a este archivo: el archivo cambió después de firmarse o la firma es de otro archivo. Vuelve a firmar el archivo que vas a enviar.".into(),
                "The signature does not match this file: the file changed after it was signed or the signature is of another file. Sign the file you will send again.".into(),
            ),
            EfirmaError::SigningFailed => pick(
                locale,
                "No se pudo firmar con esta e.firma. Vuelve a intentarlo; si se repite, revisa que el .cer y el .key sean los que te entregó el SAT.".into(),
                "Signing with this e.firma failed. Try again; if it happens again, check that the .cer and .key are the ones the SAT gave you.".into(),
            ),
        }
    }
}
