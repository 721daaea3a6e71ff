//! `ventanilla`: the app's data and checks from a terminal. Every command prints JSON
//! on stdout; exit codes are 0 (done, or valid), 1 (refused or invalid), 2 (usage).
//! A refusal prints `{"error": {"code", "message"}}`, the message in Spanish.

mod efirma;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{NaiveDate, Utc};
use clap::{Parser, Subcommand, ValueEnum};
use serde::Serialize;
use serde_json::{json, Value};
use ventanilla_api::auth::Role;
use ventanilla_core::banks::BankCatalogue;
use ventanilla_core::bid::FreezeError;
use ventanilla_core::checklist::{mexico_city_today, Procedure};
use ventanilla_core::registration::review;
use ventanilla_core::{
    clabe, curp, rfc, Code, Field, Locale, RegistrationDraft, Severity, Verdict,
};
use ventanilla_desk::bids::{write_proposal, WrittenProposal};
use ventanilla_desk::report::{write_report, ReportFormat};
use ventanilla_store::{
    default_data_dir, generate_passphrase, BusinessEntry, Conflict, Health, Library, OutboxItem,
    StatusFilter, StoreError, TenderQuery, TenderSource,
};
use ventanilla_sync::{
    accept_new_key, queue_bid, queue_registration, retry_held, sign_in as sign_in_to, sign_up,
    sync_now, ClientOptions, DrainOptions, NewAccount, Retry, SubmitError, SyncError,
};

#[derive(Parser)]
#[command(
    name = "ventanilla",
    version,
    about = "Ventanilla desde la terminal: revisa identificadores, administra negocios y sus documentos, importa y lista convocatorias, y envía registros a la alcaldía."
)]
struct Cli {
    /// Carpeta de datos (por omisión, la misma que usa la aplicación, o VENTANILLA_DATA_DIR).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Revisa un RFC, una CURP o una CLABE y explica qué está mal.
    Check { kind: IdentifierKind, value: String },
    /// Lista los negocios o crea uno.
    Businesses {
        /// Filtra por nombre o RFC.
        #[arg(long, default_value = "")]
        query: String,
        #[command(subcommand)]
        action: Option<BusinessAction>,
    },
    /// Muestra los documentos que un negocio debe adjuntar y en qué estado está cada uno.
    Checklist {
        /// El id del negocio o su RFC.
        business: String,
        /// El procedimiento de compra; sin él, el registro en el padrón de proveedores.
        #[arg(long, value_enum)]
        procedure: Option<ProcedureArg>,
        /// El día de la revisión; por omisión, hoy en la Ciudad de México.
        #[arg(long, value_name = "AAAA-MM-DD")]
        on: Option<NaiveDate>,
    },
    /// Adjunta un archivo (PDF, JPG o PNG) a un documento de la lista de un negocio.
    Attach {
        /// El id del negocio o su RFC.
        business: String,
        /// El código del documento en el catálogo, como CSF u OPINION_SAT.
        requirement: String,
        file: PathBuf,
        /// La fecha de emisión que aparece en el documento.
        #[arg(long, value_name = "AAAA-MM-DD")]
        issued: Option<NaiveDate>,
        /// La fecha de vencimiento que aparece en el documento.
        #[arg(long, value_name = "AAAA-MM-DD")]
        expires: Option<NaiveDate>,
        /// El id del representante legal al que pertenece el documento (persona moral).
        #[arg(long, value_name = "ID")]
        representative: Option<String>,
    },
    /// Inicia sesión en el servidor de la alcaldía (o crea la cuenta con --create); la
    /// contraseña se lee de la entrada estándar.
    SignIn {
        /// La dirección del servidor, como https://proveedores.alcaldiabenitojuarez.gob.mx.
        #[arg(long)]
        server: String,
        #[arg(long)]
        email: String,
        /// Crea antes la cuenta: de proveedor (con --rfc) u operador de cámara.
        #[arg(long, value_enum)]
        create: Option<RoleArg>,
        /// El RFC del negocio, para una cuenta de proveedor.
        #[arg(long)]
        rfc: Option<String>,
        /// El código de entrega que te dio la cámara u operador que registró tu negocio:
        /// con él, tu cuenta de proveedor (--create supplier) toma el RFC.
        #[arg(long, value_name = "CÓDIGO", requires = "rfc")]
        handover: Option<String>,
        /// Acepta la nueva llave de firma de la alcaldía, tras confirmar que cambió.
        #[arg(long)]
        accept_new_key: bool,
    },
    /// Congela el registro completo de un negocio y lo deja listo para enviarse, firmado
    /// con la e.firma del negocio si se dan --cer y --key.
    Submit {
        /// El id del negocio o su RFC.
        business: String,
        #[command(flatten)]
        fiel: efirma::SigningArgs,
    },
    /// Envía lo pendiente de todos los negocios y trae el estado de su revisión; lista
    /// todo lo que sigue sin enviarse y termina con código 1 mientras algo necesite
    /// atención.
    Sync {
        /// La dirección del servidor; por omisión, la de la última sesión.
        #[arg(long)]
        server: Option<String>,
    },
    /// Vuelve a poner en la cola un envío detenido que necesita atención, o todos (el
    /// mismo envío: la alcaldía lo acepta una sola vez).
    Retry {
        /// El id del envío, como aparece en la salida de «ventanilla sync».
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        submission: Option<String>,
        /// Todos los envíos detenidos de todos los negocios.
        #[arg(long)]
        all: bool,
    },
    /// Importa convocatorias de un archivo OCDS o lista las del catálogo.
    Tenders {
        #[command(subcommand)]
        action: TenderAction,
    },
    /// Propuestas de un negocio a las convocatorias.
    Bid {
        #[command(subcommand)]
        action: BidAction,
    },
    /// Informes de la cámara.
    Report {
        #[command(subcommand)]
        action: ReportAction,
    },
    /// El expediente de un negocio en un solo archivo .ventanilla, cifrado con una
    /// contraseña (que se lee de la entrada estándar), para llevarlo a otra computadora.
    Bundle {
        #[command(subcommand)]
        action: BundleAction,
    },
    /// Protege un negocio con una contraseña (de al menos 8 caracteres, leída de la
    /// entrada estándar, o creada con --generate para imprimirla): su base de datos y
    /// sus documentos quedan cifrados y esta computadora sólo muestra su etiqueta. Una
    /// contraseña olvidada no se puede recuperar.
    Lock {
        /// El id del negocio o su RFC.
        business: String,
        /// El nombre con que se muestra mientras está bloqueado (no su RFC ni su
        /// razón social); por omisión, «Negocio» y cuatro letras de su id.
        #[arg(long, value_name = "NOMBRE")]
        label: Option<String>,
        /// Crea una contraseña de 20 caracteres fáciles de leer y la muestra una vez.
        #[arg(long)]
        generate: bool,
    },
    /// Quita la contraseña de un negocio (leída de la entrada estándar): su base de
    /// datos y sus documentos vuelven a guardarse sin cifrar.
    Unlock {
        /// El id del negocio o su etiqueta.
        business: String,
    },
    /// Borra un negocio de esta computadora: su carpeta, su base de datos y sus
    /// documentos. No se puede deshacer; entrega antes su expediente si lo necesita.
    Wipe {
        /// El id del negocio o su RFC.
        business: String,
        /// Confirma el borrado.
        #[arg(long, required = true)]
        yes: bool,
    },
    /// La e.firma (FIEL): revisa el certificado y la llave, firma archivos y verifica
    /// firmas; la contraseña se lee de --password-file o de la entrada estándar.
    Efirma {
        #[command(subcommand)]
        action: efirma::EfirmaAction,
    },
}

#[derive(Subcommand)]
enum BundleAction {
    /// Escribe el expediente de un negocio (contraseña de al menos 8 caracteres).
    Export {
        /// El id del negocio o su RFC.
        business: String,
        #[arg(long, value_name = "ARCHIVO")]
        out: PathBuf,
    },
    /// Importa un expediente. Si el negocio ya está en esta computadora, elige
    /// --keep-both o --replace (solo si el expediente es más reciente).
    Import {
        file: PathBuf,
        /// Conserva el de esta computadora e importa el del expediente como otro negocio.
        #[arg(long, conflicts_with = "replace")]
        keep_both: bool,
        /// Reemplaza el de esta computadora por el del expediente, si es más reciente.
        #[arg(long)]
        replace: bool,
    },
}

#[derive(Subcommand)]
enum ReportAction {
    /// El informe de un día: por cada negocio atendido, el tiempo, el operador, las
    /// secciones completas, los documentos adjuntos y faltantes, lo enviado (con folio)
    /// y lo pendiente. Sólo RFC y nombre: ningún otro dato personal.
    Day {
        /// El día, en la Ciudad de México; por omisión, hoy.
        #[arg(long, value_name = "AAAA-MM-DD")]
        date: Option<NaiveDate>,
        /// CSV para Excel (UTF-8 con BOM) o PDF para imprimir.
        #[arg(long, value_enum, default_value = "csv")]
        format: ReportFormatArg,
        /// El archivo que se escribe (se reemplaza si existe); por omisión,
        /// informe-del-dia-AAAA-MM-DD.csv (o .pdf) en la carpeta actual.
        #[arg(long, value_name = "ARCHIVO")]
        out: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormatArg {
    Csv,
    Pdf,
}

#[derive(Subcommand)]
enum TenderAction {
    /// Importa un archivo OCDS (paquete de entregas o de registros, o una entrega o
    /// registro) al catálogo de convocatorias.
    Import { file: PathBuf },
    /// Lista las convocatorias del catálogo, las de plazo más próximo primero.
    List {
        /// Sólo las vigentes: activas y con plazo por vencer.
        #[arg(long)]
        open: bool,
        /// Filtra por título, dependencia, ocid o partidas.
        #[arg(long, default_value = "")]
        query: String,
        /// Filtra por categoría.
        #[arg(long, value_enum)]
        category: Option<CategoryArg>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum RoleArg {
    Supplier,
    Operator,
}

#[derive(Clone, Copy, ValueEnum)]
enum CategoryArg {
    Goods,
    Services,
    Works,
}

impl CategoryArg {
    fn as_str(self) -> &'static str {
        match self {
            CategoryArg::Goods => "goods",
            CategoryArg::Services => "services",
            CategoryArg::Works => "works",
        }
    }
}

#[derive(Subcommand)]
enum BidAction {
    /// Lista las propuestas de un negocio, la editada más recientemente primero.
    List {
        /// El id del negocio o su RFC.
        business: String,
    },
    /// Guarda la propuesta técnica y económica y las declaraciones en un PDF.
    ExportPdf {
        /// El id de la propuesta.
        bid: String,
        /// El archivo PDF que se escribe (se reemplaza si existe).
        file: PathBuf,
        /// El id o el RFC del negocio; sin él, se busca entre todos los negocios.
        #[arg(long)]
        business: Option<String>,
    },
    /// Congela una propuesta completa y la deja lista para enviarse, firmada con la
    /// e.firma del negocio si se dan --cer y --key; si no se puede firmar no se envía
    /// nada y la propuesta sigue como estaba.
    Submit {
        /// El id de la propuesta.
        bid: String,
        /// El id o el RFC del negocio; sin él, se busca entre todos los negocios.
        #[arg(long)]
        business: Option<String>,
        #[command(flatten)]
        fiel: efirma::SigningArgs,
    },
}

/// The procedures by their catalogue names.
#[derive(Clone, Copy, ValueEnum)]
#[value(rename_all = "snake_case")]
enum ProcedureArg {
    Licitacion,
    InvitacionRestringida,
    AdjudicacionDirecta,
}

impl From<ProcedureArg> for Procedure {
    fn from(arg: ProcedureArg) -> Procedure {
        match arg {
            ProcedureArg::Licitacion => Procedure::Licitacion,
            ProcedureArg::InvitacionRestringida => Procedure::InvitacionRestringida,
            ProcedureArg::AdjudicacionDirecta => Procedure::AdjudicacionDirecta,
        }
    }
}

/// What to attach, as given on the command line.
struct Attachment {
    requirement: String,
    file: PathBuf,
    issued: Option<NaiveDate>,
    expires: Option<NaiveDate>,
    representative: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum IdentifierKind {
    Rfc,
    Curp,
    Clabe,
}

#[derive(Subcommand)]
enum BusinessAction {
    /// Crea un negocio con su RFC y nombre o razón social.
    Create {
        #[arg(long)]
        rfc: String,
        #[arg(long)]
        name: String,
    },
    /// Crea un negocio por cada fila de un CSV de citas (encabezados rfc, nombre,
    /// correo, telefono, curp, clabe, calle, numero_exterior, colonia, codigo_postal,
    /// municipio, entidad…; UTF-8 o Windows-1252, con comas o punto y coma). Las filas
    /// con errores se informan por línea y no se importan; un RFC que ya existe no
    /// crea otro negocio. Termina con código 1 si alguna fila no se importó.
    Import { file: PathBuf },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let data_dir = cli.data_dir.unwrap_or_else(default_data_dir);
    let (output, ok) = match cli.command {
        Command::Check { kind, value } => check(kind, &value, &data_dir),
        Command::Businesses { query, action } => match action {
            None => with_library(&data_dir, |library| list(library, &query)),
            Some(BusinessAction::Create { rfc, name }) => {
                with_library(&data_dir, |library| create(library, rfc, name))
            }
            Some(BusinessAction::Import { file }) => import_appointments(&data_dir, &file),
        },
        Command::Checklist {
            business,
            procedure,
            on,
        } => with_library(&data_dir, |library| {
            checklist(library, &business, procedure.map(Procedure::from), on)
        }),
        Command::Attach {
            business,
            requirement,
            file,
            issued,
            expires,
            representative,
        } => {
            let attachment = Attachment {
                requirement,
                file,
                issued,
                expires,
                representative,
            };
            with_library(&data_dir, |library| attach(library, &business, &attachment))
        }
        Command::Tenders { action } => match action {
            TenderAction::Import { file } => {
                with_library(&data_dir, |library| import_tenders(library, &file))
            }
            TenderAction::List {
                open,
                query,
                category,
            } => with_library(&data_dir, |library| {
                let query = TenderQuery {
                    text: query,
                    status: open.then_some(StatusFilter::Open),
                    category: category.map(|c| c.as_str().to_owned()),
                    ..TenderQuery::default()
                };
                list_tenders(library, &query)
            }),
        },
        Command::SignIn {
            server,
            email,
            create,
            rfc,
            handover,
            accept_new_key,
        } => {
            let account = SignInArgs {
                server,
                email,
                create,
                rfc,
                handover,
                accept_new_key,
            };
            online(&data_dir, |library| sign_in(library, account))
        }
        Command::Submit { business, fiel } => match Library::open(&data_dir) {
            Ok(library) => submit(&library, &business, &fiel),
            Err(e) => (store_error_json(&e), false),
        },
        Command::Sync { server } => online(&data_dir, |library| sync(library, server)),
        Command::Retry { submission, all } => with_library(&data_dir, |library| {
            let which = match (&submission, all) {
                (Some(id), false) => Retry::One(id),
                _ => Retry::All,
            };
            Ok(json!({ "retried": retry_held(library, which)? }))
        }),
        Command::Bid { action } => match action {
            BidAction::List { business } => {
                with_library(&data_dir, |library| list_bids(library, &business))
            }
            BidAction::ExportPdf {
                bid,
                file,
                business,
            } => with_library(&data_dir, |library| {
                export_pdf(library, &bid, &file, business.as_deref())
            }),
            BidAction::Submit {
                bid,
                business,
                fiel,
            } => match Library::open(&data_dir) {
                Ok(library) => submit_bid(&library, &bid, business.as_deref(), &fiel),
                Err(e) => (store_error_json(&e), false),
            },
        },
        Command::Report {
            action: ReportAction::Day { date, format, out },
        } => with_library(&data_dir, |library| day_report(library, date, format, out)),
        Command::Bundle { action } => bundle(&data_dir, action),
        Command::Lock {
            business,
            label,
            generate,
        } => lock(&data_dir, &business, label, generate),
        Command::Unlock { business } => {
            let passphrase = match password_from_stdin() {
                Ok(passphrase) => passphrase,
                Err(refusal) => return finish(refusal, false),
            };
            with_library(&data_dir, |library| {
                let id = library.resolve_business(&business)?;
                library.remove_lock(&id, &passphrase)?;
                Ok(json!({ "unlocked": id }))
            })
        }
        Command::Wipe { business, .. } => with_library(&data_dir, |library| {
            let id = library.resolve_business(&business)?;
            library.delete_business(&id)?;
            Ok(json!({ "wiped": id }))
        }),
        Command::Efirma { action } => efirma::run(action),
    };
    finish(output, ok)
}

/// Prints a command's answer and gives its exit code.
fn finish(output: Value, ok: bool) -> ExitCode {
    println!(
        "{}",
        serde_json::to_string_pretty(&output).unwrap_or_else(|_| output.to_string())
    );
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn lock(data_dir: &Path, business: &str, label: Option<String>, generate: bool) -> (Value, bool) {
    let passphrase = if generate {
        generate_passphrase()
    } else {
        match password_from_stdin() {
            Ok(passphrase) => passphrase,
            Err(refusal) => return (refusal, false),
        }
    };
    with_library(data_dir, |library| {
        let id = library.resolve_business(business)?;
        let label = label.unwrap_or_else(|| format!("Negocio {}", &id[id.len() - 4..]));
        library.lock_business(&id, &passphrase, &label)?;
        let mut answer = json!({
            "locked": id,
            "label": label,
            "warning": "Si se olvida la contraseña, los datos de este negocio no se pueden recuperar.",
        });
        if generate {
            answer["passphrase"] = json!(passphrase);
        }
        Ok(answer)
    })
}

/// Who signs in, as given on the command line.
struct SignInArgs {
    server: String,
    email: String,
    create: Option<RoleArg>,
    rfc: Option<String>,
    handover: Option<String>,
    accept_new_key: bool,
}

fn sync_error_json(error: &SyncError) -> Value {
    json!({ "error": { "code": error.code(), "message": error.message() } })
}

/// Runs a command that talks to the server, on a runtime of its own.
fn online<F>(data_dir: &Path, run: impl FnOnce(Library) -> F) -> (Value, bool)
where
    F: std::future::Future<Output = (Value, bool)>,
{
    let library = match Library::open(data_dir) {
        Ok(library) => library,
        Err(e) => return (store_error_json(&e), false),
    };
    match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(run(library)),
        Err(e) => (
            json!({ "error": { "code": "runtime", "message": format!("No se pudo iniciar la conexión: {e}") } }),
            false,
        ),
    }
}

/// The first line of standard input: a password or passphrase, never an argument
/// (it would show in the process list and the shell's history).
fn password_from_stdin() -> Result<String, Value> {
    let mut password = String::new();
    match std::io::stdin().read_line(&mut password) {
        Ok(_) => Ok(password.trim_end_matches(['\r', '\n']).to_owned()),
        Err(e) => Err(
            json!({ "error": { "code": "password_unreadable", "message": format!("No se pudo leer la contraseña de la entrada estándar: {e}") } }),
        ),
    }
}

fn bundle(data_dir: &Path, action: BundleAction) -> (Value, bool) {
    let passphrase = match password_from_stdin() {
        Ok(passphrase) => passphrase,
        Err(refusal) => return (refusal, false),
    };
    with_library(data_dir, |library| match action {
        BundleAction::Export { business, out } => {
            let id = library.resolve_business(&business)?;
            // A locked business's file is sealed with its own passphrase.
            if library.is_locked(&id) {
                library.unlock_business(&id, &passphrase)?;
            }
            let exported = library.export_bundle(&id, &out, &passphrase)?;
            Ok(json!({
                "exported": id,
                "file": out,
                "files": exported.files,
                "bytes": exported.bytes,
            }))
        }
        BundleAction::Import {
            file,
            keep_both,
            replace,
        } => {
            let conflict = match (keep_both, replace) {
                (true, _) => Some(Conflict::KeepBoth),
                (_, true) => Some(Conflict::Replace),
                _ => None,
            };
            let imported = library.import_bundle(&file, &passphrase, conflict)?;
            Ok(json!({
                "imported": imported.id,
                "name": imported.name,
                "replaced": imported.replaced,
            }))
        }
    })
}

async fn sign_in(library: Library, args: SignInArgs) -> (Value, bool) {
    let password = match password_from_stdin() {
        Ok(password) => password,
        Err(refusal) => return (refusal, false),
    };
    let options = ClientOptions::default();
    let outcome = match args.create {
        Some(role) => {
            let account = NewAccount {
                role: match role {
                    RoleArg::Supplier => Role::Supplier,
                    RoleArg::Operator => Role::Operator,
                },
                email: args.email.clone(),
                password,
                rfc: args.rfc,
                handover: args.handover,
            };
            sign_up(&library, &args.server, &account, options.clone()).await
        }
        None => {
            sign_in_to(
                &library,
                &args.server,
                &args.email,
                &password,
                options.clone(),
            )
            .await
        }
    };
    let outcome = match outcome {
        Err(SyncError::KeyChanged { .. }) if args.accept_new_key => {
            accept_new_key(&library, options, None).await.map(|_| None)
        }
        other => other.map(Some),
    };
    match (outcome, library.pinned_key()) {
        (Ok(account), Ok(key)) => (
            json!({
                "signed_in": true,
                "server": library.server_url().ok().flatten(),
                "email": args.email,
                "role": account.as_ref().map(|a| a.role),
                "rfc": account.and_then(|a| a.rfc),
                "key_id": key.map(|k| k.key_id),
            }),
            true,
        ),
        (Err(e), _) => (sync_error_json(&e), false),
        (_, Err(e)) => (store_error_json(&e), false),
    }
}

/// The answer to a submission queued: what was frozen and who signed it.
fn queued_json(business: &str, item: &OutboxItem) -> Value {
    let signer = item
        .submission
        .signature
        .as_deref()
        .and_then(|p7s| {
            ventanilla_efirma::verify_detached(item.submission.snapshot.as_bytes(), p7s).ok()
        })
        .map(|verified| verified.signer.facts().clone());
    json!({
        "queued": true,
        "business": business,
        "submission": item.submission.id,
        "sha256": item.submission.sha256,
        "documents": item.submission.documents.len(),
        "signed": item.submission.signature.is_some(),
        "signature_sha256": item.submission.signature.as_deref().map(ventanilla_api::sha256_hex),
        "signer": signer,
    })
}

fn submit_error_json(error: &SubmitError) -> Value {
    let missing: Vec<String> = match error {
        SubmitError::Incomplete(missing) => missing.iter().map(|m| m.message(Locale::Es)).collect(),
        _ => Vec::new(),
    };
    json!({ "queued": false, "error": { "code": error.code(), "message": error.message(), "missing": missing } })
}

/// Queues the registration of a business, if it is complete today in Mexico City,
/// signed with the e.firma given.
fn submit(library: &Library, business: &str, signing: &efirma::SigningArgs) -> (Value, bool) {
    let id = match library.resolve_business(business) {
        Ok(id) => id,
        Err(e) => return (store_error_json(&e), false),
    };
    let fiel = match signing.read() {
        Ok(fiel) => fiel,
        Err(refusal) => return (refusal, false),
    };
    let credentials = fiel.as_ref().map(efirma::Fiel::credentials);
    match queue_registration(
        library,
        &id,
        mexico_city_today(Utc::now()),
        credentials.as_ref(),
    ) {
        Ok(item) => (queued_json(&id, &item), true),
        Err(e) => (submit_error_json(&e), false),
    }
}

/// Freezes a complete bid now and queues it, signed with the e.firma given. Refused
/// with the reason while it is incomplete, late or cannot be signed; then nothing is
/// queued and the bid stays as it was.
fn submit_bid(
    library: &Library,
    bid: &str,
    business: Option<&str>,
    signing: &efirma::SigningArgs,
) -> (Value, bool) {
    let refused = |code: &str, message: &str| json!({ "queued": false, "error": { "code": code, "message": message } });
    let found = match business {
        Some(key) => library.resolve_business(key),
        None => library.find_bid(bid),
    };
    let frozen = found.and_then(|id| {
        let store = library.open_business(&id)?;
        let stored = store.load_bid(bid)?;
        let tender = ventanilla_desk::bids::tender_now(library, &stored)?;
        let frozen = store.freeze_bid(&library.catalogue()?, stored, tender, Utc::now())?;
        Ok((id, store, frozen))
    });
    let (id, store, frozen) = match frozen {
        Ok((id, store, Ok(frozen))) => (id, store, frozen),
        Ok((_, _, Err(FreezeError::NotReady(issues)))) => {
            let first = issues.first().map_or(Code::Required, |i| i.code);
            let code = serde_json::to_value(first).unwrap_or_default();
            return (
                refused(code.as_str().unwrap_or_default(), first.message(Locale::Es)),
                false,
            );
        }
        Ok((_, _, Err(FreezeError::Snapshot(reason)))) => {
            return (refused("freeze_failed", &reason), false)
        }
        Err(e) => return (store_error_json(&e), false),
    };
    let fiel = match signing.read() {
        Ok(fiel) => fiel,
        Err(refusal) => return (refusal, false),
    };
    let credentials = fiel.as_ref().map(efirma::Fiel::credentials);
    match queue_bid(library, &id, &store, frozen, credentials.as_ref()) {
        Ok(item) => (queued_json(&id, &item), true),
        Err(e) => (submit_error_json(&e), false),
    }
}

/// Drains every business's queue once; fails (exit 1) when the drain stopped, an item
/// needs attention (held now or before) or a damaged business holds unsent items, so a
/// schedule notices on every run until a person acts.
async fn sync(library: Library, server: Option<String>) -> (Value, bool) {
    if let Some(server) = server {
        if let Err(e) = library.set_server_url(&server) {
            return (store_error_json(&e), false);
        }
    }
    let summary = sync_now(&library, DrainOptions::default(), &|_| {}).await;
    let ok = summary.stopped.is_none()
        && summary.needs_attention.is_empty()
        && summary.damaged.is_empty();
    (json!(summary), ok)
}

/// A problem as JSON; `subject` is what its message names, if it has a place for it.
fn issue_json(code: Code, subject: Option<&str>) -> Value {
    json!({ "code": code, "message": code.message_about(Locale::Es, subject) })
}

fn verdict_json<D: Serialize>(verdict: &Verdict<D>, subject: Option<&str>) -> Value {
    let of = |severities: &[Severity]| -> Vec<Value> {
        verdict
            .issues
            .iter()
            .filter(|c| severities.contains(&c.severity()))
            .map(|&c| issue_json(c, subject))
            .collect()
    };
    json!({
        "valid": verdict.is_valid(),
        "normalized": verdict.normalized,
        "errors": of(&[Severity::Missing, Severity::Error]),
        "warnings": of(&[Severity::Warning]),
        "details": verdict.details,
    })
}

fn check(kind: IdentifierKind, value: &str, data_dir: &Path) -> (Value, bool) {
    match kind {
        IdentifierKind::Rfc => judged(rfc::check(value), None),
        IdentifierKind::Curp => judged(curp::check(value), None),
        IdentifierKind::Clabe => {
            // The bank list the app uses; a data folder that cannot be opened leaves
            // the shipped one, which is as good for checking an identifier.
            let banks = Library::open(data_dir)
                .and_then(|library| library.banks())
                .unwrap_or_else(|_| BankCatalogue::default_catalogue());
            let verdict = clabe::check(value, &banks);
            let bank_code = verdict.details.bank_code.clone();
            judged(verdict, bank_code.as_deref())
        }
    }
}

fn judged<D: Serialize>(verdict: Verdict<D>, subject: Option<&str>) -> (Value, bool) {
    (verdict_json(&verdict, subject), verdict.is_valid())
}

fn store_error_json(error: &StoreError) -> Value {
    json!({ "error": { "code": error.code(), "message": error.message(Locale::Es) } })
}

fn with_library(
    data_dir: &Path,
    run: impl FnOnce(&Library) -> Result<Value, StoreError>,
) -> (Value, bool) {
    match Library::open(data_dir).and_then(|library| run(&library)) {
        Ok(value) => {
            let ok = value.get("errors").is_none() && value.get("error").is_none();
            (value, ok)
        }
        Err(e) => (store_error_json(&e), false),
    }
}

fn business_json(entry: &BusinessEntry) -> Value {
    json!({
        "id": entry.id,
        "rfc": entry.summary.rfc,
        "name": entry.summary.name,
        "persona": entry.summary.persona,
        "health": match entry.health { Health::Ok => "ok", Health::Damaged(_) => "damaged" },
        "locked": entry.locked,
        "sections_done": entry.summary.sections_done,
        "sections_total": entry.summary.sections_total,
        "complete": entry.summary.complete,
        "updated_at": ventanilla_core::stamp::format(entry.updated_at),
        "next_expiry": entry.next_expiry,
    })
}

fn list(library: &Library, query: &str) -> Result<Value, StoreError> {
    let entries = library.list_businesses(query)?;
    Ok(Value::Array(entries.iter().map(business_json).collect()))
}

/// Creates a business only when its RFC and name pass the checks the app's wizard
/// applies to them; anything else the wizard asks for can be filled in later.
fn create(library: &Library, rfc_input: String, name: String) -> Result<Value, StoreError> {
    let mut draft = RegistrationDraft::default();
    draft.set(Field::Rfc, rfc_input);
    draft.set(Field::Name, name);
    let verdict = rfc::check(&draft.rfc);
    if let Some(persona) = verdict.details.persona {
        draft.set(Field::Persona, persona.as_str().to_owned());
    }
    let issues: Vec<_> = review(&draft, &library.banks()?)
        .issues
        .into_iter()
        .filter(|i| matches!(i.field, Field::Rfc | Field::Name))
        .collect();
    let errors: Vec<Value> = issues
        .iter()
        .filter(|i| i.severity() != Severity::Warning)
        .map(|i| json!(i.view(Locale::Es)))
        .collect();
    if !errors.is_empty() {
        return Ok(json!({ "created": false, "errors": errors }));
    }
    let id = library.create_business(&draft)?;
    let entry = library
        .list_businesses("")?
        .into_iter()
        .find(|e| e.id == id)
        .ok_or(StoreError::UnknownBusiness(id))?;
    let warnings: Vec<Value> = issues.iter().map(|i| json!(i.view(Locale::Es))).collect();
    Ok(json!({ "created": true, "business": business_json(&entry), "warnings": warnings }))
}

/// Imports a chamber's appointments CSV: every row the wizard's checks let through
/// and whose RFC no business has becomes a business. Exit 1 when the file was refused
/// or any row was not imported (the others are).
fn import_appointments(data_dir: &Path, file: &Path) -> (Value, bool) {
    let library = match Library::open(data_dir) {
        Ok(library) => library,
        Err(e) => return (store_error_json(&e), false),
    };
    match ventanilla_desk::appointments::import(&library, file, Locale::Es) {
        Ok(report) => {
            let ok = report.refused.is_empty();
            (json!(report), ok)
        }
        Err(e) => (
            json!({ "error": { "code": e.code, "message": e.message } }),
            false,
        ),
    }
}

/// Writes the report of `date` (default: today in Mexico City).
fn day_report(
    library: &Library,
    date: Option<NaiveDate>,
    format: ReportFormatArg,
    out: Option<PathBuf>,
) -> Result<Value, StoreError> {
    let format = match format {
        ReportFormatArg::Csv => ReportFormat::Csv,
        ReportFormatArg::Pdf => ReportFormat::Pdf,
    };
    let date = date.unwrap_or_else(|| mexico_city_today(Utc::now()));
    let out = out.unwrap_or_else(|| {
        PathBuf::from(format!(
            "informe-del-dia-{}.{}",
            date.format("%Y-%m-%d"),
            format.extension()
        ))
    });
    Ok(json!(write_report(library, date, format, &out)?))
}

/// The checklist of a business on `on` (default: today in Mexico City), each item with
/// its requirement's name and what to do, in Spanish.
fn checklist(
    library: &Library,
    business: &str,
    procedure: Option<Procedure>,
    on: Option<NaiveDate>,
) -> Result<Value, StoreError> {
    let id = library.resolve_business(business)?;
    let store = library.open_business(&id)?;
    let catalogue = library.catalogue()?;
    let on = on.unwrap_or_else(|| mexico_city_today(Utc::now()));
    let Some(evaluation) = store.checklist(&catalogue, procedure, on)? else {
        return Ok(json!({ "error": issue_json(Code::PersonaUnknown, None) }));
    };
    let items: Vec<Value> = evaluation
        .items
        .iter()
        .map(|item| {
            json!({
                "code": item.code,
                "name": catalogue.requirement(&item.code).map(|r| r.name.text(Locale::Es)),
                "representative": item.representative,
                "required": item.required,
                "status": item.status,
                "message": item.status.message(Locale::Es),
                "valid_until": item.valid_until,
                "days_left": item.days_left,
            })
        })
        .collect();
    Ok(json!({
        "business": id,
        "procedure": procedure,
        "catalogue_version": evaluation.catalogue_version,
        "on": evaluation.on,
        "ready": evaluation.ready,
        "total": evaluation.total,
        "items": items,
    }))
}

/// Attaches a file to a requirement of the catalogue in use; prints its record.
fn attach(library: &Library, business: &str, attachment: &Attachment) -> Result<Value, StoreError> {
    let id = library.resolve_business(business)?;
    let catalogue = library.catalogue()?;
    let requirement = catalogue
        .requirement(&attachment.requirement)
        .ok_or_else(|| StoreError::UnknownRequirement(attachment.requirement.clone()))?;
    let business = library.open_business(&id)?;
    let document = business.attach(
        &attachment.file,
        requirement,
        attachment.representative.as_deref(),
        attachment.issued,
        attachment.expires,
        &mut |_, _| true,
    )?;
    library.refresh_next_expiry(&id, &business)?;
    Ok(json!(document))
}

fn import_tenders(library: &Library, file: &Path) -> Result<Value, StoreError> {
    let reader = std::fs::File::open(file).map_err(|source| StoreError::SourceUnreadable {
        path: file.to_path_buf(),
        source,
    })?;
    let name = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let summary = library.import_tenders(reader, &TenderSource::File(name))?;
    let skipped: Vec<Value> = summary
        .skipped
        .iter()
        .map(|s| {
            json!({
                "position": s.position,
                "ocid": s.ocid,
                "code": s.reason.code(),
                "message": s.reason.message(Locale::Es),
            })
        })
        .collect();
    Ok(json!({
        "shape": summary.shape,
        "imported": summary.imported,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "skipped": skipped,
    }))
}

fn list_tenders(library: &Library, query: &TenderQuery) -> Result<Value, StoreError> {
    let entries = library.search_tenders(query, Utc::now())?;
    Ok(Value::Array(
        entries
            .iter()
            .map(|t| {
                json!({
                    "ocid": t.ocid,
                    "title": t.title,
                    "buyer": t.buyer,
                    "status": t.status,
                    "procedure": t.procedure,
                    "category": t.category,
                    "deadline": t.deadline,
                    "release_date": t.release_date,
                })
            })
            .collect(),
    ))
}

fn list_bids(library: &Library, business: &str) -> Result<Value, StoreError> {
    let id = library.resolve_business(business)?;
    Ok(json!(library.open_business(&id)?.bids()?))
}

/// Writes a bid's proposal to `file`, as of now; a bid still incomplete prints as a
/// draft that says so, and the JSON lists what is missing.
fn export_pdf(
    library: &Library,
    bid: &str,
    file: &Path,
    business: Option<&str>,
) -> Result<Value, StoreError> {
    let id = match business {
        Some(key) => library.resolve_business(key)?,
        None => library.find_bid(bid)?,
    };
    let store = library.open_business(&id)?;
    let WrittenProposal { state, bytes } = write_proposal(library, &store, bid, file)?;
    let issues: Vec<Value> = state
        .review
        .issues
        .iter()
        .map(|i| json!(i.view(Locale::Es)))
        .collect();
    Ok(json!({
        "bid": bid,
        "business": id,
        "file": file,
        "bytes": bytes,
        "ready": state.review.ready,
        "total": state.review.totals.map(|t| ventanilla_core::money::centavos_text(t.total)),
        "missing": issues,
    }))
}
