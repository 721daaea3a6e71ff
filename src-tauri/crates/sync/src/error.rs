//! What can go wrong talking to the server, sorted by what to do about it: wait and
//! retry (transient), stop the item for a person to look at, or stop the whole drain.

use ventanilla_api::Problem;
use ventanilla_store::StoreError;

/// A failed exchange with the server, or with the local files it needed.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// No server address is set.
    #[error("no server address is set")]
    NoServer,
    /// Nobody is signed in, or the session expired or was revoked.
    #[error("not signed in: {0}")]
    SignedOut(String),
    /// No answer: no network, refused connection, timeout, a cut.
    #[error("the server could not be reached: {0}")]
    Unreachable(String),
    /// The server said it is busy or failing (408, 429, 5xx).
    #[error("the server answered {status}: {detail}")]
    Busy {
        /// The HTTP status.
        status: u16,
        /// The server's explanation, or the status's name.
        detail: String,
    },
    /// The server answered with a redirect to another address, which is not followed:
    /// it would carry the request (a password, a registration) there.
    #[error("the server answered {status}, a redirect, which is not followed")]
    Redirected {
        /// The HTTP status (3xx).
        status: u16,
    },
    /// The answer is longer than its endpoint can need: not the alcaldía's API.
    #[error("the answer is longer than {limit} bytes")]
    TooLarge {
        /// The endpoint's cap, in bytes.
        limit: usize,
    },
    /// An answer that is not what the contract says (HTML, garbage, truncated JSON).
    #[error("the server's answer ({status}) could not be read: {what}")]
    Unreadable {
        /// The HTTP status.
        status: u16,
        /// What the answer looked like, for support.
        what: String,
    },
    /// The server refused the request for a reason a person must fix.
    #[error("the server refused it ({status}): {detail}")]
    Refused {
        /// The HTTP status (4xx).
        status: u16,
        /// The server's own Spanish explanation.
        detail: String,
        /// The problem+json answer, when the server sent one.
        problem: Option<Box<Problem>>,
    },
    /// The receipt does not prove the server accepted this submission.
    #[error("the receipt was not accepted: {0}")]
    Receipt(String),
    /// The server's signing key is not the one pinned at first contact.
    #[error("the receipt-signing key changed from {pinned} to {published}")]
    KeyChanged {
        /// The id of the key trusted so far (or the one the person was shown).
        pinned: String,
        /// The id of the key the server publishes now.
        published: String,
    },
    /// A file the submission references is not in the vault as it was attached.
    #[error("document {sha256} is missing or altered in the vault: {reason}")]
    Document {
        /// The file's SHA-256.
        sha256: String,
        /// Missing or altered, for support.
        reason: String,
    },
    /// The local files failed (the outbox, the vault, the settings).
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl SyncError {
    /// Worth retrying later on its own: nothing a person must change.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            SyncError::Unreachable(_) | SyncError::Busy { .. } | SyncError::Unreadable { .. }
        )
    }

    /// Stops the whole drain, not only the item: every item would meet it.
    pub fn stops_the_drain(&self) -> bool {
        matches!(
            self,
            SyncError::NoServer
                | SyncError::SignedOut(_)
                | SyncError::Redirected { .. }
                | SyncError::KeyChanged { .. }
                | SyncError::Store(_)
        )
    }

    /// A stable code for the UI, the CLI and tests.
    pub fn code(&self) -> &'static str {
        match self {
            SyncError::NoServer => "no_server",
            SyncError::SignedOut(_) => "signed_out",
            SyncError::Unreachable(_) => "offline",
            SyncError::Busy { .. } => "server_busy",
            SyncError::Redirected { .. } => "redirected",
            SyncError::TooLarge { .. } => "answer_too_large",
            SyncError::Unreadable { .. } => "bad_answer",
            SyncError::Refused { .. } => "refused",
            SyncError::Receipt(_) => "receipt_invalid",
            SyncError::KeyChanged { .. } => "key_changed",
            SyncError::Document { .. } => "document_missing",
            SyncError::Store(e) => e.code(),
        }
    }

    /// What happened and what to do, in Spanish.
    pub fn message(&self) -> String {
        match self {
            SyncError::NoServer => "Falta la dirección del servidor de la alcaldía. Escríbela en Configuración y vuelve a intentarlo.".into(),
            SyncError::SignedOut(detail) => format!("No hay una sesión válida con la alcaldía ({detail}). Inicia sesión en Configuración; lo que está por enviar sigue guardado."),
            SyncError::Unreachable(_) => "Sin conexión con el servidor de la alcaldía. Lo pendiente sigue guardado y se enviará cuando haya conexión.".into(),
            SyncError::Busy { status, .. } => format!("El servidor de la alcaldía está ocupado o con fallas (código {status}). Se volverá a intentar más tarde; no tienes que hacer nada."),
            SyncError::Redirected { status } => format!("El servidor respondió con una redirección a otra dirección (código {status}); por seguridad no se sigue, y nada se envió a esa otra dirección. Revisa la dirección del servidor en Configuración."),
            SyncError::TooLarge { limit } => format!("El servidor respondió con más datos de los que esta respuesta puede tener (más de {}), y se dejó de leer: no parece el servidor de la alcaldía. No se marcó nada como enviado; revisa la dirección del servidor en Configuración.", size_text(*limit)),
            SyncError::Unreadable { status, what } => format!("El servidor respondió algo que no se pudo leer (código {status}: {what}). No se marcó nada como enviado; se volverá a intentar más tarde. Si sigue pasando, revisa la dirección del servidor en Configuración."),
            SyncError::Refused { detail, .. } => format!("La alcaldía no aceptó el envío: {detail}"),
            SyncError::Receipt(why) => format!("El acuse de recibo no pudo verificarse: {why} No se marcó como enviado. Avisa a la alcaldía o a tu cámara antes de volver a intentarlo."),
            SyncError::KeyChanged { pinned, published } => format!("¡Atención! La llave con la que la alcaldía firma los acuses cambió (antes {pinned}, ahora {published}). No se envió nada: podría no ser el servidor de la alcaldía. Confirma el cambio con la alcaldía; solo si lo confirma, acepta la nueva llave (en «Envíos a la alcaldía», o con «ventanilla sign-in --accept-new-key»)."),
            SyncError::Document { reason, .. } => format!("Un documento del envío ya no está en tu equipo como se adjuntó ({reason}). Vuelve a adjuntarlo y crea un envío nuevo."),
            SyncError::Store(e) => e.message(ventanilla_core::Locale::Es),
        }
    }
}

/// A byte count in words: "4 KiB", "64 MiB".
fn size_text(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} MiB", bytes / (1024 * 1024))
    } else {
        format!("{} KiB", bytes / 1024)
    }
}

/// Result alias for this crate.
pub type Result<T, E = SyncError> = std::result::Result<T, E>;
