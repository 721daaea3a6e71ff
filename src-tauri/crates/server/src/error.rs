//! Every failure becomes a problem+json answer. Storage and disk failures are logged
//! on the server and answered with a bare 500: no SQL, paths or traces reach a client.
//! A full disk is the exception: 507, so that the client keeps its work and retries
//! later instead of taking the refusal for something it did wrong.

use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use ventanilla_api::problem::PROBLEM_CONTENT_TYPE;
use ventanilla_api::{FieldError, Problem, ProblemType};

use crate::blobs::BlobError;
use crate::storage::StorageError;

/// A problem to answer with, and any headers it needs (`Retry-After`...). Boxed:
/// errors travel through every `Result` and should stay small.
#[derive(Debug)]
pub struct ApiError {
    pub problem: Box<Problem>,
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl ApiError {
    pub fn new(problem_type: ProblemType, detail: impl Into<String>) -> ApiError {
        ApiError {
            problem: Box::new(Problem::new(problem_type, detail)),
            headers: Vec::new(),
        }
    }

    /// The problem with the type's usual wording.
    pub fn plain(problem_type: ProblemType) -> ApiError {
        ApiError::new(problem_type, usual_detail(problem_type))
    }

    pub fn with_errors(mut self, errors: Vec<FieldError>) -> ApiError {
        self.problem.errors = errors;
        self
    }

    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> ApiError {
        self.headers.push((name, value));
        self
    }

    /// Logs `cause` for the operator and answers a bare 500.
    pub fn internal(cause: impl std::fmt::Display) -> ApiError {
        eprintln!("ventanilla-server: internal error: {cause}");
        ApiError::plain(ProblemType::Internal)
    }

    /// Logs that the disk is full, for the operator to make room, and answers 507.
    fn disk_full(cause: impl std::fmt::Display) -> ApiError {
        eprintln!("ventanilla-server: no room to write: {cause}");
        ApiError::plain(ProblemType::InsufficientStorage)
    }
}

/// Whether the file system had no room (or the user's disk quota was used up).
pub fn is_disk_full_io(error: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    matches!(
        error.kind(),
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded
    )
}

/// Whether the database could not write for lack of room.
pub fn is_disk_full(error: &StorageError) -> bool {
    match error {
        StorageError::Sqlite(rusqlite::Error::SqliteFailure(failure, _)) => {
            failure.code == rusqlite::ErrorCode::DiskFull
        }
        StorageError::Postgres(e) => e.code() == Some(&tokio_postgres::error::SqlState::DISK_FULL),
        _ => false,
    }
}

/// The error SQLite answers when the disk is full, for a failure told to several
/// waiters at once.
pub fn disk_full_error() -> StorageError {
    let code = rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL);
    StorageError::Sqlite(rusqlite::Error::SqliteFailure(code, None))
}

impl From<StorageError> for ApiError {
    fn from(error: StorageError) -> ApiError {
        if is_disk_full(&error) {
            return ApiError::disk_full(error);
        }
        if let StorageError::Unreachable(why) = &error {
            eprintln!("ventanilla-server: the database does not answer: {why}");
            return ApiError::plain(ProblemType::DatabaseUnavailable);
        }
        ApiError::internal(error)
    }
}

impl From<std::io::Error> for ApiError {
    fn from(error: std::io::Error) -> ApiError {
        if is_disk_full_io(&error) {
            return ApiError::disk_full(error);
        }
        ApiError::internal(error)
    }
}

impl From<BlobError> for ApiError {
    fn from(error: BlobError) -> ApiError {
        match error {
            BlobError::Io(e) => e.into(),
            BlobError::Full(why) => ApiError::disk_full(format!("the document store: {why}")),
            BlobError::Unreachable(why) => {
                eprintln!("ventanilla-server: the document store does not answer: {why}");
                ApiError::plain(ProblemType::DocumentStoreUnavailable)
            }
            refused @ BlobError::Refused(_) => ApiError::internal(refused),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = problem_response(&self.problem);
        response.headers_mut().extend(self.headers);
        response
    }
}

/// `problem` as an HTTP answer.
pub fn problem_response(problem: &Problem) -> Response {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_vec(problem).unwrap_or_default();
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(PROBLEM_CONTENT_TYPE),
        )],
        body,
    )
        .into_response()
}

/// What each type means to the person reading it, when there is nothing more specific
/// to say.
pub fn usual_detail(problem_type: ProblemType) -> &'static str {
    use ProblemType as P;
    match problem_type {
        P::MalformedRequest => "La solicitud está mal formada. Revisa la ruta, los encabezados y el cuerpo.",
        P::IdempotencyKeyRequired => "Falta el encabezado Idempotency-Key con el identificador del envío.",
        P::Unauthenticated => "La sesión no es válida o expiró. Inicia sesión de nuevo.",
        P::InvalidCredentials => "El correo o la contraseña no son correctos.",
        P::NotFound => "No existe o no tienes acceso.",
        P::MethodNotAllowed => "Esta ruta no admite ese método.",
        P::Timeout => "La solicitud tardó demasiado. Inténtalo de nuevo.",
        P::AccountExists => "Ya existe una cuenta con ese correo.",
        P::RfcHeld => "Ese RFC ya lo tiene otra cuenta. Pide a quien lo tiene un código de entrega o acude a la alcaldía con tu constancia de situación fiscal.",
        P::IdempotencyInProgress => "Un envío con la misma clave se está procesando. Espera un momento y vuelve a intentarlo.",
        P::UploadOffsetMismatch => "La carga no está en esa posición. Consulta la posición actual y continúa desde ahí.",
        P::BidExists => "Ya presentaste una propuesta para esta licitación con ese RFC.",
        P::PayloadTooLarge => "El contenido es demasiado grande.",
        P::UnsupportedMediaType => "El tipo de contenido no es el esperado.",
        P::Validation => "Algunos datos no son válidos.",
        P::InvalidRfc => "El RFC no es válido.",
        P::MissingDocuments => "Faltan documentos obligatorios.",
        P::UnknownDocuments => "Algunos documentos no se han cargado con esta cuenta. Cárgalos y vuelve a enviar.",
        P::UploadHashMismatch => "El archivo recibido no coincide con la huella SHA-256 declarada. Vuelve a cargarlo desde el inicio.",
        P::UploadExceedsSize => "Los datos enviados exceden el tamaño declarado del archivo.",
        P::IdempotencyKeyReused => "Esa clave de idempotencia ya se usó con un contenido distinto.",
        P::DeadlinePassed => "El plazo para presentar propuestas ya venció.",
        P::SupplierNotRegistered => "No tienes un registro de proveedor vigente con ese RFC.",
        P::NotActingFor => {
            "Tu cuenta no actúa por ese RFC. Entra con la cuenta del negocio o pide al \
             negocio que te autorice."
        }
        P::TenderClosed => "La licitación ya cerró: ya no recibe preguntas.",
        P::EnquiryPeriodEnded => {
            "El periodo de preguntas de la licitación terminó; consulta las respuestas \
             publicadas."
        }
        P::EfirmaMissing => "Este servidor sólo acepta envíos firmados con la e.firma del negocio. Fírmalo y vuelve a enviarlo.",
        P::EfirmaBadSignature => "La firma no corresponde a este envío. Vuelve a firmarlo con tu e.firma y envíalo de nuevo.",
        P::EfirmaNotFiel => "El certificado no es una e.firma del SAT. Firma con la e.firma (no con el sello digital).",
        P::EfirmaExpired => "La e.firma no está vigente. Renuévala en el SAT y vuelve a firmar.",
        P::EfirmaUntrusted => "La e.firma no la emitió una autoridad certificadora reconocida. Firma con la e.firma que te entregó el SAT.",
        P::EfirmaRfcMismatch => "La e.firma es de otro RFC. Firma con la e.firma del negocio; para una persona moral, la de la empresa.",
        P::EfirmaRevoked => "El SAT revocó esta e.firma. Tramita una nueva en el SAT y vuelve a firmar.",
        P::TooManyAttempts => "Demasiados intentos fallidos. Espera unos minutos antes de volver a intentarlo.",
        P::TooManyUploads => "Tienes demasiadas cargas sin terminar. Termina alguna o espera a que caduquen (24 horas).",
        P::Internal => "Ocurrió un error en el servidor. Inténtalo más tarde.",
        P::ServerBusy => "El servidor está atendiendo demasiadas conexiones. Vuelve a intentarlo en unos segundos.",
        P::DatabaseUnavailable => "El servidor no puede consultar su base de datos en este momento. Vuelve a intentarlo en unos minutos; tus datos siguen en tu equipo.",
        P::DocumentStoreUnavailable => "El servidor no puede guardar documentos en este momento y no guardó esta parte. Tus datos siguen en tu equipo: la carga continúa desde donde iba cuando vuelvas a intentarlo.",
        P::InsufficientStorage => "El servidor se quedó sin espacio en disco y no guardó nada de esta solicitud. Tus datos siguen en tu equipo: vuelve a intentarlo más tarde y, si sigue igual, avisa a la alcaldía.",
        P::QuotaExceeded => "Tu cuenta ya no tiene espacio para más documentos en el servidor. Pide a la mesa de proveedores de la alcaldía que amplíe tu espacio.",
    }
}

/// The problem type a bare error status stands for, for answers made outside the
/// handlers (routing, limits, timeouts).
pub fn type_for_status(status: StatusCode) -> ProblemType {
    use ProblemType as P;
    match status.as_u16() {
        401 => P::Unauthenticated,
        404 => P::NotFound,
        405 => P::MethodNotAllowed,
        408 => P::Timeout,
        413 => P::PayloadTooLarge,
        415 => P::UnsupportedMediaType,
        429 => P::TooManyAttempts,
        400..=499 => P::MalformedRequest,
        503 => P::ServerBusy,
        507 => P::InsufficientStorage,
        _ => P::Internal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_is_507_and_other_failures_500() {
        let answer = |error: ApiError| error.problem.status;
        assert_eq!(answer(disk_full_error().into()), 507);
        let io_full = std::io::Error::from(std::io::ErrorKind::StorageFull);
        assert_eq!(answer(io_full.into()), 507);
        let io_other = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert_eq!(answer(io_other.into()), 500);
        assert_eq!(answer(StorageError::Corrupt("x".to_owned()).into()), 500);
    }
}
