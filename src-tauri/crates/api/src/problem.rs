//! Errors as `application/problem+json` (RFC 9457). Clients branch on `type`, which
//! is stable; `detail` is for people, in plain Spanish.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The media type of every error body.
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// An error answer.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct Problem {
    /// A stable URN such as `urn:ventanilla:problem:missing-documents`.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// A short summary of the type, the same for every occurrence.
    pub title: String,
    /// The HTTP status, repeated for clients that only keep the body.
    pub status: u16,
    /// What went wrong this time and what to do, in Spanish.
    pub detail: String,
    /// The individual problems, for a body with several (a field, a document...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// One problem inside a request body.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct FieldError {
    /// Where: a JSON pointer into the body (`/rfc`) or a requirement code (`CSF`).
    pub pointer: String,
    /// What, as a stable code (`rfc_shape`, `missing`...).
    pub code: String,
    /// What, in Spanish.
    pub detail: String,
}

macro_rules! problem_types {
    ($($variant:ident => ($code:literal, $status:literal, $title:literal),)*) => {
        /// Every kind of error the API answers with.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum ProblemType {
            $(#[doc = concat!("`", $code, "` (", $status, "): ", $title, ".")] $variant,)*
        }

        impl ProblemType {
            /// Every type, for documentation and tests.
            pub const ALL: &'static [ProblemType] = &[$(ProblemType::$variant,)*];

            /// The stable code, the last part of the `type` URN.
            pub fn code(self) -> &'static str {
                match self { $(ProblemType::$variant => $code,)* }
            }

            /// The HTTP status it is answered with.
            pub fn status(self) -> u16 {
                match self { $(ProblemType::$variant => $status,)* }
            }

            /// The short summary, in Spanish.
            pub fn title(self) -> &'static str {
                match self { $(ProblemType::$variant => $title,)* }
            }
        }
    };
}

problem_types! {
    MalformedRequest => ("malformed-request", 400, "Solicitud mal formada"),
    IdempotencyKeyRequired => ("idempotency-key-required", 400, "Falta la clave de idempotencia"),
    Unauthenticated => ("unauthenticated", 401, "Sesión no válida"),
    InvalidCredentials => ("invalid-credentials", 401, "Credenciales incorrectas"),
    NotFound => ("not-found", 404, "No encontrado"),
    MethodNotAllowed => ("method-not-allowed", 405, "Método no permitido"),
    Timeout => ("timeout", 408, "Tiempo de espera agotado"),
    AccountExists => ("account-exists", 409, "La cuenta ya existe"),
    RfcHeld => ("rfc-held", 409, "El RFC ya tiene titular"),
    IdempotencyInProgress => ("idempotency-in-progress", 409, "Solicitud en proceso"),
    UploadOffsetMismatch => ("upload-offset-mismatch", 409, "Posición de carga distinta"),
    BidExists => ("bid-exists", 409, "Propuesta ya presentada"),
    PayloadTooLarge => ("payload-too-large", 413, "Contenido demasiado grande"),
    UnsupportedMediaType => ("unsupported-media-type", 415, "Tipo de contenido no admitido"),
    Validation => ("validation", 422, "Datos no válidos"),
    InvalidRfc => ("invalid-rfc", 422, "RFC no válido"),
    MissingDocuments => ("missing-documents", 422, "Faltan documentos"),
    UnknownDocuments => ("unknown-documents", 422, "Documentos no cargados"),
    UploadHashMismatch => ("upload-hash-mismatch", 422, "El archivo no coincide con su huella"),
    UploadExceedsSize => ("upload-exceeds-size", 422, "El archivo excede el tamaño declarado"),
    IdempotencyKeyReused => ("idempotency-key-reused", 422, "Clave de idempotencia reutilizada"),
    DeadlinePassed => ("deadline-passed", 422, "Plazo vencido"),
    SupplierNotRegistered => ("supplier-not-registered", 422, "Proveedor sin registro"),
    NotActingFor => ("not-acting-for", 422, "La cuenta no actúa por ese RFC"),
    TenderClosed => ("tender-closed", 422, "Licitación cerrada"),
    EnquiryPeriodEnded => ("enquiry-period-ended", 422, "Periodo de preguntas terminado"),
    EfirmaMissing => ("efirma/missing", 422, "Falta la e.firma"),
    EfirmaBadSignature => ("efirma/bad-signature", 422, "La firma no corresponde al envío"),
    EfirmaNotFiel => ("efirma/not-fiel", 422, "El certificado no es una e.firma"),
    EfirmaExpired => ("efirma/expired", 422, "e.firma vencida o aún no vigente"),
    EfirmaUntrusted => ("efirma/untrusted", 422, "e.firma no emitida por una autoridad reconocida"),
    EfirmaRfcMismatch => ("efirma/rfc-mismatch", 422, "e.firma de otro RFC"),
    EfirmaRevoked => ("efirma/revoked", 422, "e.firma revocada por el SAT"),
    TooManyAttempts => ("too-many-attempts", 429, "Demasiados intentos"),
    TooManyUploads => ("too-many-uploads", 429, "Demasiadas cargas en curso"),
    Internal => ("internal", 500, "Error interno"),
    ServerBusy => ("server-busy", 503, "Servidor ocupado"),
    DatabaseUnavailable => ("database-unavailable", 503, "Base de datos sin respuesta"),
    DocumentStoreUnavailable => ("document-store-unavailable", 503, "Almacén de documentos sin respuesta"),
    InsufficientStorage => ("insufficient-storage", 507, "Servidor sin espacio"),
    QuotaExceeded => ("quota-exceeded", 507, "Espacio de la cuenta agotado"),
}

impl ProblemType {
    /// The `type` member: `urn:ventanilla:problem:<code>`.
    pub fn uri(self) -> String {
        format!("urn:ventanilla:problem:{}", self.code())
    }

    /// The type a `type` member names, if it is one of ours.
    pub fn from_uri(uri: &str) -> Option<ProblemType> {
        let code = uri.strip_prefix("urn:ventanilla:problem:")?;
        ProblemType::ALL.iter().copied().find(|t| t.code() == code)
    }
}

impl Problem {
    /// A problem of `problem_type` with a Spanish `detail`.
    pub fn new(problem_type: ProblemType, detail: impl Into<String>) -> Problem {
        Problem {
            problem_type: problem_type.uri(),
            title: problem_type.title().to_owned(),
            status: problem_type.status(),
            detail: detail.into(),
            errors: Vec::new(),
        }
    }

    /// The same problem listing `errors`.
    pub fn with_errors(mut self, errors: Vec<FieldError>) -> Problem {
        self.errors = errors;
        self
    }

    /// Its type, when it is one this version of the contract knows.
    pub fn kind(&self) -> Option<ProblemType> {
        ProblemType::from_uri(&self.problem_type)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_round_trips_through_its_uri_and_codes_are_unique() {
        let mut codes = std::collections::HashSet::new();
        for &t in ProblemType::ALL {
            assert_eq!(ProblemType::from_uri(&t.uri()), Some(t));
            assert!(codes.insert(t.code()), "repeated code {}", t.code());
            assert!((400..600).contains(&t.status()));
        }
        assert_eq!(ProblemType::from_uri("about:blank"), None);
    }

    #[test]
    fn errors_are_omitted_when_empty() {
        let json = serde_json::to_value(Problem::new(ProblemType::NotFound, "No existe."))
            .unwrap_or_default();
        assert_eq!(json["type"], "urn:ventanilla:problem:not-found");
        assert_eq!(json["status"], 404);
        assert!(json.get("errors").is_none());
    }
}
