//! What the app says when an operation fails: a [`Failure`] is a stable
//! [`FailureCode`] and the data its sentence needs, a value that can be stored (the
//! outbox keeps the last one of each submission as JSON) and worded later, in the
//! language the person reads at that moment.
//!
//! The same mechanism as the issue codes in [`crate::message`]: every code lists its
//! Spanish and English text side by side, so a translation is never forgotten, and
//! `{name}` in a text is filled from the failure's data. The store, sync, the desk and
//! the shell only build failures; this module is the one place that words them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::message::{enum_with_all, Locale};

enum_with_all! {
    /// Which sentence a failure is told with. Stable: stored as snake_case.
    #[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, strum::IntoStaticStr)]
    #[serde(rename_all = "snake_case")]
    #[strum(serialize_all = "snake_case")]
    pub enum FailureCode {
        /// A sentence stored by a version that kept sentences, not codes (`text`).
        EarlierError,
        /// The data folder refuses writes (`path`).
        DataDirUnwritable,
        /// Windows lacks the WebView2 runtime the window is drawn with.
        WebViewMissing,
        /// The window could not be opened (`detail`).
        WindowFailed,
        /// A newer version wrote the data (`path`).
        NewerVersion,
        /// A business's file is damaged or missing.
        Damaged,
        /// A damaged business has submissions to send (`damage`: why it is damaged).
        UnsentUntilRestored,
        /// A locked business's submissions wait until it is unlocked (`label`).
        UnsentUntilUnlocked,
        /// The business was deleted.
        UnknownBusiness,
        /// No business has the id or RFC asked for (`key`).
        NoBusinessMatches,
        /// Several businesses have the RFC asked for (`key`, `count`).
        AmbiguousBusiness,
        /// The representative was removed.
        UnknownRepresentative,
        /// The app asked for a field that is not stored as text.
        BadRequest,
        /// The requirement catalogue received is invalid.
        CatalogueRefused,
        /// The bank catalogue received is invalid.
        BankCatalogueRefused,
        /// No requirement has this code (`code`).
        UnknownRequirement,
        /// The document was removed.
        UnknownDocument,
        /// The submission is not this business's.
        UnknownSubmission,
        /// The bid was deleted.
        UnknownBid,
        /// A retry asked for a submission already sent.
        NotHeldSent,
        /// A retry asked for a submission already queued.
        NotHeldQueued,
        /// Not a server address (`address`).
        BadServerAddress,
        /// A plain-http server on another computer (`address`).
        InsecureServer,
        /// A file to attach or import could not be read (`path`).
        FileUnreadable,
        /// A file refused for its content (`problem`, worded by core's file check).
        FileRefused,
        /// A document's dates refused (`problem`, worded by core's checklist).
        DateInvalid,
        /// A tender file refused (`problem`, worded by core's OCDS reader).
        TenderFileRefused,
        /// The copy of a document was cancelled.
        Cancelled,
        /// The disk refuses writes.
        WriteRefused,
        /// A disk read or write failed (`detail`, technical).
        StorageError,
        /// No server address is set.
        NoServer,
        /// No valid session with the server.
        SignedOut,
        /// The server cannot be reached.
        Offline,
        /// The server is busy or failing (`status`).
        ServerBusy,
        /// The server answered with a redirect (`status`).
        Redirected,
        /// The answer is longer than its endpoint can need (`size`).
        AnswerTooLarge,
        /// The answer could not be read (`status`, `what`: one of the `Answer…` codes).
        BadAnswer,
        /// What an unreadable answer was: a web page.
        AnswerWebPage,
        /// What an unreadable answer was: nothing.
        AnswerEmpty,
        /// What an unreadable answer was: cut or of another shape (`detail`, technical).
        AnswerMalformed,
        /// What an unreadable answer was: the server's key list was empty.
        AnswerNoKeys,
        /// What an unreadable answer was: the published key is not Ed25519.
        AnswerKeyNotEd25519,
        /// The server refused the request (`detail`: the server's own words).
        Refused,
        /// The receipt did not verify (`reason`: one of the `Receipt…` codes).
        ReceiptInvalid,
        /// Why a receipt did not verify: the pinned key is unusable.
        ReceiptPinnedKeyUnusable,
        /// Why a receipt did not verify: its signature.
        ReceiptSignature,
        /// Why a receipt did not verify: it is for other content.
        ReceiptFingerprint,
        /// Why a receipt did not verify: it binds another e.firma signature (or none).
        ReceiptOtherSignature,
        /// Why a receipt did not verify: another kind or RFC.
        ReceiptOtherSubmission,
        /// Why a receipt did not verify: another submission id.
        ReceiptOtherId,
        /// Why a receipt did not verify: the clocks disagree (`server`, `local`).
        ReceiptClock,
        /// The receipt-signing key changed (`pinned`, `published`).
        KeyChanged,
        /// A document of the submission is gone or altered (`reason`).
        DocumentMissing,
        /// Why a document is missing: its bytes no longer match its hash.
        DocumentAltered,
        /// Why a document is missing: it cannot be read (`detail`, technical).
        DocumentUnreadable,
        /// The registration cannot be sent yet (`missing`: a list of `Complete…` codes).
        Incomplete,
        /// What a registration lacks: valid data.
        CompleteTheData,
        /// What a registration lacks: its persona.
        CompleteThePersona,
        /// What a registration lacks: a document (`name`, `status`).
        CompleteTheDocument,
        /// A registration of the business is already waiting.
        AlreadyQueued,
        /// The bid is already in the outbox.
        BidAlreadyQueued,
        /// A question with nothing written.
        QuestionEmpty,
        /// A question over the limit (`length`, `max`).
        QuestionTooLong,
        /// The tender takes no more questions (`until`: day and time in Mexico City).
        QuestionsClosed,
        /// The tender takes no more questions: it is closed, awarded or withdrawn.
        QuestionsTenderClosed,
        /// The submission could not be frozen (`detail`, technical).
        FreezeFailed,
        /// The FIEL could not sign the submission, so nothing was queued (`reason`).
        SigningRefused,
        /// No e.firma certificate (`.cer`) is chosen for the business yet.
        FielCertificateNotChosen,
        /// No e.firma private key (`.key`) is chosen for the business yet.
        FielKeyNotChosen,
        /// A remembered e.firma file cannot be read now (`path`).
        FielFileUnreadable,
        /// The tender is no longer in the catalogue.
        UnknownTender,
        /// A date not written as a date.
        BadDate,
        /// A document too large to preview.
        PreviewTooLarge,
        /// A sent submission without a verified receipt to print.
        NoReceipt,
        /// The connection could not start (`detail`, technical).
        Runtime,
        /// An operation stopped unexpectedly (`detail`, technical).
        Internal,
        /// The file manager did not open the folder (`detail`, technical).
        FolderNotShown,
        /// The page named a file by a token that is not (or no longer) known.
        UnknownFile,
        /// An appointments CSV larger than can be read (`size`).
        CsvTooLarge,
        /// An appointments CSV with no header row.
        CsvEmpty,
        /// An appointments CSV without a column it needs (`column`).
        CsvMissingColumn,
        /// An appointments CSV naming one field in two columns (`first`, `second`).
        CsvRepeatedColumn,
        /// An appointments CSV that cannot be read as CSV (`line`, `detail`).
        CsvMalformed,
        /// A row of an appointments CSV whose RFC an earlier row has (`line`).
        CsvRepeatedRfc,
        /// A row of an appointments CSV whose RFC a kept business has (`rfc`).
        CsvRfcKept,
        /// A row of an appointments CSV whose `cita` cell is no time or date (`value`).
        CsvBookingUnreadable,
        /// Chamber mode was turned on without the operator's name.
        OperatorNameMissing,
        /// In chamber mode, a business worked on before its owner's consent was
        /// recorded for this turn.
        ConsentMissing,
        /// A passphrase shorter than the least allowed (`min`).
        PassphraseTooShort,
        /// A file chosen as a business's file that is not one (`path`).
        BundleNotOurs,
        /// A business's file made by a later version of the app (`found`).
        BundleNewer,
        /// A business's file whose passphrase is not the one typed.
        BundleWrongPassphrase,
        /// A business's file that is cut short or altered (`detail`, technical).
        BundleDamaged,
        /// A business's file of a business this computer already has (`name`).
        BundleExists,
        /// A business's file older than the business on this computer (`name`).
        BundleOlder,
        /// A locked business asked for anything but its unlocking (`label`).
        BusinessLocked,
        /// A passphrase that does not unlock the business.
        WrongPassphrase,
        /// A locked business whose key file cannot be read (`detail`, technical).
        LockDamaged,
        /// Locking a business without the name to show for it while locked.
        LockLabelMissing,
        /// Locking a business that is locked already.
        AlreadyLocked,
        /// Unlocking a business that has no lock.
        NotLocked,
    }
}

impl FailureCode {
    /// The code as stored and as the UI and tests know it.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The text for `locale`, with `{name}` where the failure's data goes.
    pub fn template(self, locale: Locale) -> &'static str {
        let (es, en) = self.texts();
        match locale {
            Locale::Es => es,
            Locale::En => en,
        }
    }

    /// Spanish and English side by side.
    fn texts(self) -> (&'static str, &'static str) {
        use FailureCode::*;
        match self {
            EarlierError => (
                "{text}",
                "{text} (recorded in Spanish by an earlier version)",
            ),
            DataDirUnwritable => (
                "No se puede escribir en la carpeta de datos «{path}». Revisa que exista, que tengas permiso de escritura y que el disco no esté lleno; después vuelve a abrir Ventanilla.",
                "Ventanilla cannot write to its data folder “{path}”. Check that it exists, that you may write to it and that the disk is not full, then open Ventanilla again.",
            ),
            WebViewMissing => (
                "Ventanilla no puede abrir su ventana porque falta Microsoft Edge WebView2 Runtime en esta computadora. Windows 10 y 11 lo traen; si falta, instálalo desde https://developer.microsoft.com/microsoft-edge/webview2/ (Evergreen Bootstrapper) y vuelve a abrir Ventanilla. Tus negocios guardados no se tocaron.",
                "Ventanilla cannot open its window because the Microsoft Edge WebView2 Runtime is missing on this computer. Windows 10 and 11 include it; if it is missing, install it from https://developer.microsoft.com/microsoft-edge/webview2/ (Evergreen Bootstrapper) and open Ventanilla again. Your saved businesses were not touched.",
            ),
            WindowFailed => (
                "Ventanilla no pudo abrir su ventana ({detail}). Tus negocios guardados no se tocaron; vuelve a abrirla, y si sigue pasando, reinstala Ventanilla.",
                "Ventanilla could not open its window ({detail}). Your saved businesses were not touched; open it again, and if it keeps happening, reinstall Ventanilla.",
            ),
            NewerVersion => (
                "Los datos en «{path}» los guardó una versión más nueva de Ventanilla. Instala la versión más reciente para abrirlos; no los modificamos.",
                "The data in “{path}” was saved by a newer Ventanilla. Install the latest version to open it; we have not changed it.",
            ),
            Damaged => (
                "El archivo de este negocio está dañado o falta, y no se puede abrir. Los demás negocios no se ven afectados. Si tienes un respaldo de su carpeta, restáuralo; si no, puedes eliminarlo y volver a capturarlo.",
                "This business's file is damaged or missing and cannot be opened. Your other businesses are not affected. Restore its folder from a backup if you have one; otherwise delete it and enter it again.",
            ),
            UnsentUntilRestored => (
                "{damage} Lo que este negocio tenía por enviar no se puede enviar hasta que se restaure.",
                "{damage} What this business had to send cannot be sent until it is restored.",
            ),
            UnsentUntilUnlocked => (
                "«{label}» está bloqueado: lo que tiene por enviar espera, seguro, y se enviará en cuanto lo desbloquees con su contraseña.",
                "“{label}” is locked: what it has to send waits, safe, and goes as soon as you unlock it with its passphrase.",
            ),
            UnknownBusiness => (
                "Ese negocio ya no existe; quizá se eliminó. Vuelve a la lista de negocios.",
                "That business no longer exists; it may have been deleted. Go back to the list of businesses.",
            ),
            NoBusinessMatches => (
                "Ningún negocio tiene el id o el RFC «{key}». Revisa cómo está escrito o busca el negocio en la lista.",
                "No business has the id or RFC “{key}”. Check how it is written or look the business up in the list.",
            ),
            AmbiguousBusiness => (
                "Hay {count} negocios con el RFC «{key}». Indica cuál con su id, que aparece en la lista de negocios.",
                "{count} businesses have the RFC “{key}”. Say which one by its id, shown in the list of businesses.",
            ),
            UnknownRepresentative => (
                "Ese representante ya se había eliminado. Revisa la lista de representantes.",
                "That representative had already been removed. Check the list of representatives.",
            ),
            BadRequest => (
                "La aplicación pidió guardar un dato que no existe. Reinicia Ventanilla; tus datos guardados no se perdieron.",
                "The app tried to save a field that does not exist. Restart Ventanilla; your saved data is safe.",
            ),
            CatalogueRefused => (
                "El catálogo de requisitos recibido no es válido y no se usó. Sigues con el catálogo que tenías; vuelve a intentarlo más tarde.",
                "The requirement catalogue received is not valid and was not used. You keep the catalogue you had; try again later.",
            ),
            BankCatalogueRefused => (
                "El catálogo de bancos recibido no es válido y no se usó. Sigues con el catálogo que tenías; vuelve a intentarlo más tarde.",
                "The bank catalogue received is not valid and was not used. You keep the catalogue you had; try again later.",
            ),
            UnknownRequirement => (
                "El documento «{code}» no está en el catálogo de requisitos. Revisa el código en la lista de documentos.",
                "The document “{code}” is not in the requirement catalogue. Check its code in the list of documents.",
            ),
            UnknownDocument => (
                "Ese documento ya no está en el expediente; quizá se eliminó. Revisa la lista de documentos.",
                "That document is no longer in the file; it may have been removed. Check the list of documents.",
            ),
            UnknownSubmission => (
                "Ese envío no está en la lista de envíos de este negocio. Vuelve a la página de sincronización.",
                "That submission is not in this business's list of submissions. Go back to the sync page.",
            ),
            UnknownBid => (
                "Esa propuesta ya no existe; quizá se eliminó. Revisa la lista de propuestas del negocio.",
                "That bid no longer exists; it may have been deleted. Check the business's list of bids.",
            ),
            NotHeldSent => (
                "Ese envío ya llegó a la alcaldía y tiene su acuse; no hay nada que reintentar.",
                "That submission already reached the borough and has its receipt; there is nothing to retry.",
            ),
            NotHeldQueued => (
                "Ese envío ya está en la cola y se enviará en la próxima sincronización; no hay nada que reintentar.",
                "That submission is already queued and will go out with the next sync; there is nothing to retry.",
            ),
            BadServerAddress => (
                "«{address}» no es una dirección de servidor. Escríbela completa, como https://proveedores.alcaldiabenitojuarez.gob.mx, en Configuración.",
                "“{address}” is not a server address. Type it in full, like https://proveedores.alcaldiabenitojuarez.gob.mx, in Settings.",
            ),
            InsecureServer => (
                "La dirección «{address}» no es segura: un servidor en otro equipo debe usar https:// (http:// solo se admite para uno en este mismo equipo, como http://127.0.0.1). Corrige la dirección del servidor en Configuración; no se envió nada.",
                "The address “{address}” is not secure: a server on another computer must use https:// (http:// is accepted only for one on this same computer, like http://127.0.0.1). Correct the server address in Settings; nothing was sent.",
            ),
            FileUnreadable => (
                "No se pudo leer el archivo «{path}». Revisa que siga en su lugar, que tengas permiso para abrirlo y, si está en una memoria USB o en la red, que siga conectada; después vuelve a adjuntarlo.",
                "The file “{path}” could not be read. Check that it is still there, that you may open it and, if it is on a USB stick or the network, that it is still connected; then attach it again.",
            ),
            FileRefused | DateInvalid | TenderFileRefused => ("{problem}", "{problem}"),
            Cancelled => (
                "Se canceló la copia; el documento no se adjuntó.",
                "The copy was cancelled; the document was not attached.",
            ),
            WriteRefused => (
                "No se pudo guardar: el disco no permite escribir (carpeta de solo lectura o disco lleno). Lo que escribiste sigue en pantalla; libera espacio o revisa los permisos y vuelve a intentarlo.",
                "Could not save: the disk refuses writes (read-only folder or full disk). What you typed is still on screen; free some space or check the permissions and try again.",
            ),
            StorageError => (
                "No se pudo leer o escribir en el disco. Lo que escribiste sigue en pantalla; inténtalo de nuevo. Detalle técnico: {detail}",
                "A disk read or write failed. What you typed is still on screen; try again. Technical detail: {detail}",
            ),
            NoServer => (
                "Falta la dirección del servidor de la alcaldía. Escríbela en Configuración y vuelve a intentarlo.",
                "The borough's server address is missing. Enter it in Settings and try again.",
            ),
            SignedOut => (
                "No hay una sesión válida con la alcaldía. Inicia sesión en Configuración; lo que está por enviar sigue guardado.",
                "There is no valid session with the borough. Sign in under Settings; everything waiting to be sent is kept.",
            ),
            Offline => (
                "Sin conexión con el servidor de la alcaldía. Lo pendiente sigue guardado y se enviará cuando haya conexión.",
                "No connection to the borough's server. Everything pending is kept and will be sent once there is a connection.",
            ),
            ServerBusy => (
                "El servidor de la alcaldía está ocupado o con fallas (código {status}). Se volverá a intentar más tarde; no tienes que hacer nada.",
                "The borough's server is busy or failing (code {status}). It will be tried again later; you need not do anything.",
            ),
            Redirected => (
                "El servidor respondió con una redirección a otra dirección (código {status}); por seguridad no se sigue, y nada se envió a esa otra dirección. Revisa la dirección del servidor en Configuración.",
                "The server answered with a redirect to another address (code {status}); for safety it is not followed, and nothing was sent there. Check the server address in Settings.",
            ),
            AnswerTooLarge => (
                "El servidor respondió con más datos de los que esta respuesta puede tener (más de {size}), y se dejó de leer: no parece el servidor de la alcaldía. No se marcó nada como enviado; revisa la dirección del servidor en Configuración.",
                "The server answered with more data than this answer can hold (over {size}), and reading stopped: it does not look like the borough's server. Nothing was marked as sent; check the server address in Settings.",
            ),
            BadAnswer => (
                "El servidor respondió algo que no se pudo leer (código {status}: {what}). No se marcó nada como enviado; se volverá a intentar más tarde. Si sigue pasando, revisa la dirección del servidor en Configuración.",
                "The server answered something that could not be read (code {status}: {what}). Nothing was marked as sent; it will be tried again later. If it keeps happening, check the server address in Settings.",
            ),
            AnswerWebPage => ("una página web en lugar de datos", "a web page instead of data"),
            AnswerEmpty => ("una respuesta vacía", "an empty answer"),
            AnswerMalformed => (
                "datos incompletos o con otro formato ({detail})",
                "incomplete data or data of another format ({detail})",
            ),
            AnswerNoKeys => ("la lista de llaves está vacía", "the list of keys is empty"),
            AnswerKeyNotEd25519 => (
                "la llave publicada no es una llave Ed25519",
                "the published key is not an Ed25519 key",
            ),
            Refused => (
                "La alcaldía no aceptó el envío: {detail}",
                "The borough did not accept it (its answer, in Spanish): {detail}",
            ),
            ReceiptInvalid => (
                "El acuse de recibo no pudo verificarse: {reason} No se marcó como enviado. Avisa a la alcaldía o a tu cámara antes de volver a intentarlo.",
                "The receipt could not be verified: {reason} It was not marked as sent. Tell the borough or your chamber before trying again.",
            ),
            ReceiptPinnedKeyUnusable => (
                "la llave guardada de la alcaldía no es válida.",
                "the borough's stored key is not valid.",
            ),
            ReceiptSignature => (
                "su firma no corresponde a la llave de la alcaldía (firma alterada o de otra llave).",
                "its signature does not match the borough's key (altered, or made with another key).",
            ),
            ReceiptFingerprint => (
                "su huella no es la del registro que se envió.",
                "its fingerprint is not that of what was sent.",
            ),
            ReceiptOtherSignature => (
                "no corresponde a la e.firma con que se firmó el envío.",
                "it does not match the e.firma the submission was signed with.",
            ),
            ReceiptOtherSubmission => (
                "es de otro envío (tipo o RFC distintos).",
                "it is for another submission (another kind or RFC).",
            ),
            ReceiptOtherId => (
                "es de otro envío (identificador distinto).",
                "it is for another submission (another identifier).",
            ),
            ReceiptClock => (
                "la hora del servidor ({server}) y la de este equipo ({local}) difieren por más de un día; revisa la fecha y hora de tu equipo.",
                "the server's time ({server}) and this computer's ({local}) differ by more than a day; check this computer's date and time.",
            ),
            KeyChanged => (
                "¡Atención! La llave con la que la alcaldía firma los acuses cambió (antes {pinned}, ahora {published}). No se envió nada: podría no ser el servidor de la alcaldía. Confirma el cambio con la alcaldía; solo si lo confirma, acepta la nueva llave (en «Envíos a la alcaldía», o con «ventanilla sign-in --accept-new-key»).",
                "Warning! The key the borough signs receipts with changed (was {pinned}, now {published}). Nothing was sent: this might not be the borough's server. Confirm the change with the borough; only if it confirms, accept the new key (under “Submissions”, or with “ventanilla sign-in --accept-new-key”).",
            ),
            DocumentMissing => (
                "Un documento del envío ya no está en tu equipo como se adjuntó ({reason}). Vuelve a adjuntarlo y crea un envío nuevo.",
                "A document of this submission is no longer on this computer as it was attached ({reason}). Attach it again and make a new submission.",
            ),
            DocumentAltered => (
                "su contenido ya no coincide con su huella",
                "its content no longer matches its fingerprint",
            ),
            DocumentUnreadable => ("no se puede leer: {detail}", "it cannot be read: {detail}"),
            Incomplete => (
                "Todavía no se puede enviar el registro. Falta: {missing}",
                "The registration cannot be sent yet. Still to do: {missing}",
            ),
            CompleteTheData => (
                "completar o corregir los datos del registro.",
                "complete or correct the registration's data.",
            ),
            CompleteThePersona => (
                "indicar si es persona física o moral.",
                "say whether it is an individual (persona física) or a company (persona moral).",
            ),
            CompleteTheDocument => ("{name}: {status}", "{name}: {status}"),
            AlreadyQueued => (
                "Ya hay un registro de este negocio por enviar. Espera a que se envíe o revisa la página de sincronización.",
                "A registration of this business is already waiting to be sent. Wait for it to go out or check the sync page.",
            ),
            BidAlreadyQueued => (
                "Esta propuesta ya está en la lista de envíos. Revisa su avance y su acuse en la página de sincronización.",
                "This bid is already in the list of submissions. Check its progress and its receipt on the sync page.",
            ),
            QuestionEmpty => (
                "La pregunta está vacía. Escribe qué quieres que la alcaldía aclare.",
                "The question is empty. Write what you want the alcaldía to clarify.",
            ),
            QuestionTooLong => (
                "La pregunta tiene {length} caracteres; el máximo es {max}. Acórtala o divídela en varias preguntas.",
                "The question has {length} characters; the most is {max}. Shorten it or split it into several questions.",
            ),
            QuestionsClosed => (
                "El periodo de preguntas de esta licitación terminó el {until} (hora de la Ciudad de México). Ya no se reciben preguntas; revisa las respuestas publicadas.",
                "The question period of this tender ended on {until} (Mexico City time). No more questions are taken; read the published answers.",
            ),
            QuestionsTenderClosed => (
                "Esta licitación ya cerró: ya no recibe preguntas.",
                "This tender has closed: it takes no more questions.",
            ),
            FreezeFailed => (
                "No se pudo preparar el envío. Inténtalo de nuevo. Detalle técnico: {detail}",
                "The submission could not be prepared. Try again. Technical detail: {detail}",
            ),
            SigningRefused => ("No se envió nada. {reason}", "Nothing was sent. {reason}"),
            FielCertificateNotChosen => (
                "Elige el certificado de tu e.firma, el archivo .cer que te entregó el SAT.",
                "Choose your e.firma's certificate, the .cer file the SAT gave you.",
            ),
            FielKeyNotChosen => (
                "Elige la llave privada de tu e.firma, el archivo .key que se generó junto con el certificado.",
                "Choose your e.firma's private key, the .key file created together with the certificate.",
            ),
            FielFileUnreadable => (
                "No se pudo leer «{path}». Revisa que el archivo siga ahí y, si está en una memoria USB, que esté conectada; o elígelo de nuevo.",
                "“{path}” could not be read. Check that the file is still there and, if it is on a USB stick, that it is plugged in; or choose it again.",
            ),
            UnknownTender => (
                "Esa convocatoria ya no está en el catálogo. Vuelve a la lista de convocatorias.",
                "That tender is no longer in the catalogue. Go back to the list of tenders.",
            ),
            BadDate => (
                "La fecha no es válida. Escríbela como dd/mm/aaaa, por ejemplo 03/12/2026.",
                "That date is not valid. Write it as dd/mm/yyyy, for example 03/12/2026.",
            ),
            PreviewTooLarge => (
                "Este archivo es demasiado grande para verlo aquí; está guardado y se enviará completo.",
                "This file is too large to show here; it is stored and will be sent whole.",
            ),
            NoReceipt => (
                "Este envío aún no tiene un acuse verificado de la alcaldía. Sincroniza y, cuando aparezca su folio, vuelve a descargarlo.",
                "This submission has no verified receipt from the borough yet. Sync and, once its folio shows, download it again.",
            ),
            Runtime => (
                "No se pudo iniciar la conexión. Reinicia Ventanilla. Detalle: {detail}",
                "The connection could not start. Restart Ventanilla. Detail: {detail}",
            ),
            Internal => (
                "La operación se interrumpió. Inténtalo de nuevo; tus datos guardados no se perdieron. Detalle: {detail}",
                "The operation stopped unexpectedly. Try again; your saved data is safe. Detail: {detail}",
            ),
            FolderNotShown => (
                "No se pudo abrir la carpeta en el explorador de archivos: cópiala y ábrela desde ahí. Detalle: {detail}",
                "The folder could not be opened in the file manager: copy it and open it from there. Detail: {detail}",
            ),
            UnknownFile => (
                "No se sabe qué archivo usar. Elígelo otra vez con el botón o arrástralo a la ventana.",
                "It is not known which file to use. Choose it again with the button or drop it on the window.",
            ),
            CsvTooLarge => (
                "El archivo de citas pasa de {size}; no se importó nada. Divídelo en varios archivos e impórtalos uno por uno.",
                "The appointments file is over {size}; nothing was imported. Split it into several files and import them one by one.",
            ),
            CsvEmpty => (
                "El archivo de citas está vacío: no tiene la fila de encabezados. La primera fila debe nombrar las columnas (rfc, nombre, correo…); no se importó nada.",
                "The appointments file is empty: it has no header row. Its first row must name the columns (rfc, nombre, correo…); nothing was imported.",
            ),
            CsvMissingColumn => (
                "Al archivo de citas le falta la columna «{column}»: agrégala en la fila de encabezados y vuelve a importarlo. No se importó nada.",
                "The appointments file lacks the column “{column}”: add it to the header row and import it again. Nothing was imported.",
            ),
            CsvRepeatedColumn => (
                "Las columnas «{first}» y «{second}» del archivo de citas son el mismo dato; deja solo una y vuelve a importarlo. No se importó nada.",
                "The columns “{first}” and “{second}” of the appointments file are the same field; keep only one and import it again. Nothing was imported.",
            ),
            CsvMalformed => (
                "El archivo de citas no se puede leer como CSV en la línea {line} ({detail}); guárdalo de nuevo como «CSV UTF-8» y vuelve a importarlo. No se importó nada.",
                "The appointments file cannot be read as CSV at line {line} ({detail}); save it again as “CSV UTF-8” and import it again. Nothing was imported.",
            ),
            CsvRepeatedRfc => (
                "Este RFC ya venía en la línea {line} del archivo; esta fila no se importó.",
                "This RFC already came on line {line} of the file; this row was not imported.",
            ),
            CsvRfcKept => (
                "Ya hay un negocio con el RFC {rfc} en esta computadora; no se creó otro ni se cambió el que hay.",
                "A business with the RFC {rfc} is already on this computer; no other was created and the one there was not changed.",
            ),
            CsvBookingUnreadable => (
                "No entendimos la cita «{value}»: escribe la hora como 10:30 o la fecha y la hora como 2026-12-07 10:30. El negocio quedó en la cola de hoy, sin hora.",
                "We could not read the appointment «{value}»: write the time as 10:30, or the date and time as 2026-12-07 10:30. The business is in today's queue, with no time.",
            ),
            ConsentMissing => (
                "Antes de capturar sus datos, el dueño tiene que dar su consentimiento: marca la casilla de «Consentimiento» con él presente.",
                "Before their data is entered, the owner has to give consent: tick the «Consent» box with them present.",
            ),
            OperatorNameMissing => (
                "Escribe tu nombre para usar el modo cámara: queda anotado en cada negocio que atiendas y en el informe del día.",
                "Type your name to use chamber mode: it is recorded on every business you serve and in the day's report.",
            ),
            PassphraseTooShort => (
                "La contraseña debe tener al menos {min} caracteres: con menos, alguien podría adivinarla. Escribe una más larga; una frase de varias palabras es fácil de recordar.",
                "The passphrase must have at least {min} characters: a shorter one could be guessed. Type a longer one; a phrase of several words is easy to remember.",
            ),
            BundleNotOurs => (
                "«{path}» no es un expediente de Ventanilla. Elige el archivo .ventanilla que se entregó con «Entregar expediente».",
                "“{path}” is not a Ventanilla business file. Choose the .ventanilla file made with “Hand over the file”.",
            ),
            BundleNewer => (
                "Este expediente se hizo con una versión más nueva de Ventanilla (formato {found}). Actualiza Ventanilla en esta computadora y vuelve a abrirlo; no se importó nada.",
                "This file was made by a newer version of Ventanilla (format {found}). Update Ventanilla on this computer and open it again; nothing was imported.",
            ),
            BundleWrongPassphrase => (
                "La contraseña no abre este expediente. Revisa mayúsculas y acentos y vuelve a escribirla; no se importó nada.",
                "The passphrase does not open this file. Check capitals and accents and type it again; nothing was imported.",
            ),
            BundleDamaged => (
                "El expediente está incompleto o fue modificado, así que no se importó nada. Pide que lo entreguen de nuevo. Detalle técnico: {detail}",
                "The file is incomplete or was altered, so nothing was imported. Ask for it to be handed over again. Technical detail: {detail}",
            ),
            BundleExists => (
                "«{name}» ya está en esta computadora. Elige conservar los dos o reemplazar el de esta computadora por el del expediente.",
                "“{name}” is already on this computer. Choose to keep both or to replace the one on this computer with the file's.",
            ),
            BundleOlder => (
                "El expediente de «{name}» es más antiguo que lo que hay en esta computadora, así que no lo reemplaza. Conserva los dos si quieres revisarlo.",
                "The file of “{name}” is older than what this computer has, so it does not replace it. Keep both if you want to look at it.",
            ),
            BusinessLocked => (
                "negocio bloqueado: desbloquéalo primero. «{label}» está protegido con su contraseña; escríbela para abrirlo.",
                "business locked: unlock it first. “{label}” is protected by its passphrase; type it to open it.",
            ),
            WrongPassphrase => (
                "La contraseña no es la de este negocio. Revisa mayúsculas y acentos y vuelve a escribirla.",
                "That is not this business's passphrase. Check capitals and accents and type it again.",
            ),
            LockDamaged => (
                "El archivo de la llave de este negocio está dañado, así que no se puede abrir. Importa de nuevo su expediente (.ventanilla). Detalle técnico: {detail}",
                "This business's key file is damaged, so it cannot be opened. Import its file (.ventanilla) again. Technical detail: {detail}",
            ),
            LockLabelMissing => (
                "Escribe un nombre para mostrar este negocio mientras esté bloqueado (por ejemplo, «Cita 3» o el nombre de pila del dueño): su nombre y su RFC no se muestran.",
                "Type a name to show this business by while it is locked (say, “Appointment 3” or the owner's first name): its name and RFC are not shown.",
            ),
            AlreadyLocked => (
                "Este negocio ya está protegido con contraseña.",
                "This business is already protected by a passphrase.",
            ),
            NotLocked => (
                "Este negocio no tiene contraseña; no hay nada que desbloquear.",
                "This business has no passphrase; there is nothing to unlock.",
            ),
        }
    }
}

/// One piece of a failure's data.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(untagged)]
pub enum Datum {
    /// Shown as it is in every language: a path, a status code, a technical detail.
    Text(String),
    /// Already worded by another part of core, in both languages.
    Words {
        /// In Spanish.
        es: String,
        /// In English.
        en: String,
    },
    /// A failure of its own, worded in the same language (the reason of a reason).
    Failure(Box<Failure>),
    /// Several failures, worded one after the other.
    List(Vec<Failure>),
}

/// A failure as a value: what went wrong and the data its sentence needs.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// Which sentence tells it.
    pub code: FailureCode,
    /// What fills the sentence's `{name}`s.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub data: BTreeMap<String, Datum>,
}

impl From<FailureCode> for Failure {
    fn from(code: FailureCode) -> Failure {
        Failure {
            code,
            data: BTreeMap::new(),
        }
    }
}

impl Failure {
    /// A failure with `text` under `name`.
    pub fn with(mut self, name: &str, text: impl ToString) -> Failure {
        self.data
            .insert(name.to_owned(), Datum::Text(text.to_string()));
        self
    }

    /// A failure with a text core words elsewhere under `name`, in both languages.
    pub fn with_words(mut self, name: &str, words: impl Fn(Locale) -> String) -> Failure {
        let words = Datum::Words {
            es: words(Locale::Es),
            en: words(Locale::En),
        };
        self.data.insert(name.to_owned(), words);
        self
    }

    /// A failure with another one under `name`.
    pub fn with_reason(mut self, name: &str, reason: impl Into<Failure>) -> Failure {
        self.data
            .insert(name.to_owned(), Datum::Failure(Box::new(reason.into())));
        self
    }

    /// A failure with a list of others under `name`.
    pub fn with_list(mut self, name: &str, list: Vec<Failure>) -> Failure {
        self.data.insert(name.to_owned(), Datum::List(list));
        self
    }

    /// What went wrong and what to do, in `locale`.
    pub fn message(&self, locale: Locale) -> String {
        let mut out = String::new();
        let mut rest = self.code.template(locale);
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            let name = &rest[open + 1..open + close];
            if let Some(datum) = self.data.get(name) {
                out.push_str(&datum.words(locale));
            }
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
        out
    }

    /// The failure as the outbox keeps it.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| self.code.as_str().to_owned())
    }

    /// A failure as the outbox kept it; anything else is a sentence kept by an
    /// earlier version, shown as it was.
    pub fn from_stored(stored: &str) -> Failure {
        serde_json::from_str(stored)
            .unwrap_or_else(|_| Failure::from(FailureCode::EarlierError).with("text", stored))
    }
}

impl Datum {
    fn words(&self, locale: Locale) -> String {
        match self {
            Datum::Text(text) => text.clone(),
            Datum::Words { es, en } => match locale {
                Locale::Es => es.clone(),
                Locale::En => en.clone(),
            },
            Datum::Failure(failure) => failure.message(locale),
            Datum::List(list) => list
                .iter()
                .map(|f| f.message(locale))
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::collections::{BTreeSet, HashSet};

    fn placeholders(template: &str) -> BTreeSet<&str> {
        template
            .split('{')
            .skip(1)
            .filter_map(|part| part.split_once('}').map(|(name, _)| name))
            .collect()
    }

    #[test]
    fn every_code_has_spanish_and_english_text_with_the_same_blanks() {
        for &code in FailureCode::all() {
            let (es, en) = (code.template(Locale::Es), code.template(Locale::En));
            assert!(!es.trim().is_empty() && !en.trim().is_empty(), "{code:?}");
            assert_eq!(placeholders(es), placeholders(en), "{code:?}");
            // Only a text that is all blank (worded elsewhere) reads the same in both.
            let only_blanks = placeholders(es).iter().fold(es.to_owned(), |t, name| {
                t.replace(&format!("{{{name}}}"), "")
            });
            if !only_blanks.trim().chars().all(|c| c == ':' || c == ' ') {
                assert_ne!(es, en, "{code:?} is not translated");
            }
        }
    }

    #[test]
    fn codes_are_unique_snake_case_and_read_back() {
        let unique: HashSet<_> = FailureCode::all().iter().map(|c| c.as_str()).collect();
        assert_eq!(unique.len(), FailureCode::all().len());
        for &code in FailureCode::all() {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(serde_json::from_str::<FailureCode>(&json).unwrap(), code);
        }
        assert_eq!(FailureCode::ServerBusy.as_str(), "server_busy");
    }

    #[test]
    fn data_fills_the_blanks_in_the_language_asked() {
        let busy = Failure::from(FailureCode::ServerBusy).with("status", 503);
        assert!(busy
            .message(Locale::Es)
            .contains("ocupado o con fallas (código 503)"));
        assert!(busy
            .message(Locale::En)
            .contains("busy or failing (code 503)"));

        let receipt = Failure::from(FailureCode::ReceiptInvalid)
            .with_reason("reason", FailureCode::ReceiptSignature);
        assert!(receipt
            .message(Locale::Es)
            .contains("su firma no corresponde"));
        assert!(receipt
            .message(Locale::En)
            .contains("its signature does not match"));

        let incomplete = Failure::from(FailureCode::Incomplete).with_list(
            "missing",
            vec![
                FailureCode::CompleteTheData.into(),
                Failure::from(FailureCode::CompleteTheDocument)
                    .with_words("name", |l| format!("CSF-{l:?}"))
                    .with_words("status", |l| format!("falta-{l:?}")),
            ],
        );
        assert_eq!(
            incomplete.message(Locale::En),
            "The registration cannot be sent yet. Still to do: complete or correct the registration's data. CSF-En: falta-En"
        );
    }

    #[test]
    fn a_failure_is_stored_and_read_back_and_an_earlier_sentence_is_kept() {
        let failure = Failure::from(FailureCode::DocumentMissing).with_reason(
            "reason",
            Failure::from(FailureCode::DocumentUnreadable).with("detail", "No such file"),
        );
        let stored = failure.to_json();
        assert_eq!(Failure::from_stored(&stored), failure);
        assert_eq!(
            serde_json::to_string(&Failure::from(FailureCode::Offline)).unwrap(),
            r#"{"code":"offline"}"#
        );

        let sentence = "Sin conexión con el servidor de la alcaldía.";
        let earlier = Failure::from_stored(sentence);
        assert_eq!(earlier.code, FailureCode::EarlierError);
        assert_eq!(earlier.message(Locale::Es), sentence);
        assert!(earlier.message(Locale::En).starts_with(sentence));
    }
}
