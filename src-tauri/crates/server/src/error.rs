//! Every failure becomes a problem+json answer. Storage and disk failures are logged
//! on the server and answered with a bare 500: no SQL, paths or traces reach a client.

use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use ventanilla_api::problem::PROBLEM_CONTENT_TYPE;
use ventanilla_api::{FieldError, Problem, ProblemType};

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
}

impl From<StorageError> for ApiError {
    fn from(error: StorageError) -> ApiError {
        ApiError::internal(error)
    }
}

impl From<std::io::Error> for ApiError {
    fn from(error: std::io::Error) -> ApiError {
        ApiError::internal(error)
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
        P::TooManyAttempts => "Demasiados intentos fallidos. Espera unos minutos antes de volver a intentarlo.",
        P::TooManyUploads => "Tienes demasiadas cargas sin terminar. Termina alguna o espera a que caduquen (24 horas).",
        P::Internal => "Ocurrió un error en el servidor. Inténtalo más tarde.",
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
        _ => P::Internal,
    }
}
