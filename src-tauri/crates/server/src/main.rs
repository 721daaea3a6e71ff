//! `ventanilla-server`: serve the API (`--sandbox` seeds sample tenders, lets
//! operators sign up and trusts its own test CA), review a registration, create an
//! operator account, issue a test e.firma from the sandbox's CA, list and answer the
//! questions on a tender, or decide a tender (award) and record its contract.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Parser, Subcommand, ValueEnum};
use ventanilla_api::registration::ReviewStatus;
use ventanilla_server::admin::{
    self, create_operator, parse_observation, review, AdminError, Decision as AwardDecision,
    ServerData,
};
use ventanilla_server::blobs::{BadBlobsUrl, BlobsUrl, S3Keys};
use ventanilla_server::database::{BadDatabaseUrl, Database};
use ventanilla_server::efirma::sandbox::{self, TestFielKind};
use ventanilla_server::efirma::{load_authorities, EfirmaPolicy, OcspResponder};
use ventanilla_server::storage::AwardOutcome;
use ventanilla_server::{serve, App, Config};

#[derive(Parser)]
#[command(
    name = "ventanilla-server",
    version,
    about = "The alcaldía API reference server",
    after_help = "e.firma: registrations and bids must be signed with the supplier's FIEL \
(a detached CMS .p7s over the snapshot, in the `signature` field). Give the SAT's CA \
certificates with --efirma-ca DIR. With --sandbox the server also makes a test CA in \
DATA_DIR/efirma-ca-de-prueba on its first start (needs the openssl command) and trusts \
it; get a test FIEL for any RFC with `ventanilla-server test-fiel --data-dir DATA_DIR \
--rfc RFC --out DIR` (its .cer, .key and a file with its password). A server without \
--sandbox refuses to start without --efirma-ca unless --allow-unsigned is given."
)]
#[command(args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Seed sample tenders (open, closing soon, closed) and let operators sign up.
    #[arg(long)]
    sandbox: bool,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Folder for the database, documents and signing key.
    #[arg(long, default_value = "ventanilla-server-data")]
    data_dir: PathBuf,
    /// The database: sqlite:PATH (a file) or postgres://USER@HOST:PORT/NAME, which
    /// several instances may share [default: sqlite:DATA_DIR/server.db].
    #[arg(long, value_name = "URL", value_parser = Database::parse)]
    database_url: Option<Database>,
    /// Where documents are kept: file:DIR (a folder) or s3://BUCKET?endpoint=URL&region=NAME
    /// (an S3-compatible object store, which several instances may share; its keys from
    /// AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) [default: file:DATA_DIR].
    #[arg(long, value_name = "URL", value_parser = BlobsUrl::parse)]
    blobs: Option<BlobsUrl>,
    /// Folder of the SAT's CA certificates (DER .cer or PEM): a submission's e.firma
    /// must be issued by one of them. Required without --sandbox or --allow-unsigned.
    #[arg(long, value_name = "DIR")]
    efirma_ca: Option<PathBuf>,
    /// Also accept submissions without an e.firma (tests, integrations that do not sign
    /// yet); a signature that is sent is still verified.
    #[arg(long)]
    allow_unsigned: bool,
    /// The SAT's OCSP responder (https://cfdi.sat.gob.mx/edofiel): each signer's FIEL is
    /// asked about and a revoked one refused; when it does not answer within 3 s the
    /// submission is accepted and its receipt says "no verificada". Needs --efirma-ca or
    /// --sandbox.
    #[arg(long, value_name = "URL")]
    efirma_ocsp: Option<String>,
    #[command(flatten)]
    limits: Limits,
}

/// Bounds on what clients may hold of the server; each defaults to [`Config::new`]'s.
#[derive(clap::Args)]
struct Limits {
    /// Seconds a client may take to send a request's headers, or to start its next
    /// request on a kept-alive connection, before the connection is closed [default: 10].
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    header_timeout: Option<u64>,
    /// Connections served at once; past them a client is answered 503 [default: 512].
    /// Keep it below the process's open-file limit (ulimit -n).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    max_connections: Option<u64>,
    /// Mebibytes of documents each account may keep [default: 2048].
    #[arg(long, value_name = "MIB", value_parser = clap::value_parser!(u64).range(1..))]
    account_quota_mib: Option<u64>,
}

impl Limits {
    fn apply(&self, config: &mut Config) {
        if let Some(seconds) = self.header_timeout {
            config.header_timeout = std::time::Duration::from_secs(seconds);
        }
        if let Some(n) = self.max_connections {
            config.max_connections = usize::try_from(n).unwrap_or(usize::MAX);
        }
        if let Some(mib) = self.account_quota_mib {
            config.account_quota_bytes = mib.saturating_mul(1024 * 1024);
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// The receipt-signing key.
    Keys {
        #[command(subcommand)]
        action: KeysAction,
    },
    /// Approve or reject the latest registration of an RFC.
    Review {
        #[command(flatten)]
        data: DataArgs,
        decision: Decision,
        rfc: String,
        /// A remark about one document, as CODE=TEXT (repeatable).
        #[arg(long = "observation", value_name = "CODE=TEXT")]
        observations: Vec<String>,
    },
    /// Create an operator account (chamber staff); the password is read from stdin.
    Operator {
        #[command(flatten)]
        data: DataArgs,
        email: String,
    },
    /// Issue a test e.firma from the sandbox's test CA (made if missing): writes
    /// RFC.cer, RFC.key and RFC.password.txt into --out and prints their paths as JSON.
    TestFiel {
        /// The sandbox server's data folder, whose test CA issues it.
        #[arg(long)]
        data_dir: PathBuf,
        /// The holder's RFC; one of 12 characters gets a persona moral's certificate.
        #[arg(long)]
        rfc: String,
        /// Where to write the files.
        #[arg(long)]
        out: PathBuf,
        /// The holder's name.
        #[arg(long, default_value = "CONTRIBUYENTE DE PRUEBA")]
        name: String,
        /// Issue it as the server refuses it: a CSD (sello digital) or an expired FIEL.
        #[arg(long, value_enum, default_value = "fiel")]
        kind: TestKind,
    },
    /// List the questions on a tender, with their ids and answers, as JSON lines.
    Questions {
        #[command(flatten)]
        data: DataArgs,
        /// The tender's OCID.
        ocid: String,
    },
    /// Answer a question on a tender, or change its answer; the answer is read from
    /// stdin. The tender's OCDS release then publishes it to everyone.
    Answer {
        #[command(flatten)]
        data: DataArgs,
        /// The tender's OCID.
        ocid: String,
        /// The question's id (see `questions`).
        question_id: String,
    },
    /// Decide a tender once its bids are opened (its fallo): the winning bid, or none;
    /// its OCDS release then publishes the award.
    Award {
        #[command(flatten)]
        data: DataArgs,
        /// The tender's OCID.
        ocid: String,
        #[command(flatten)]
        choice: AwardChoice,
    },
    /// Record the contract signed after a tender's award to a bid; its OCDS release then
    /// publishes it.
    Contract {
        #[command(flatten)]
        data: DataArgs,
        /// The tender's OCID.
        ocid: String,
        /// The first day in force (YYYY-MM-DD).
        #[arg(long, value_name = "YYYY-MM-DD")]
        start: chrono::NaiveDate,
        /// The last day in force (YYYY-MM-DD).
        #[arg(long, value_name = "YYYY-MM-DD")]
        end: chrono::NaiveDate,
        /// The contract's total, in the bid's currency [default: the winning bid's].
        #[arg(long)]
        amount: Option<rust_decimal::Decimal>,
    },
}

#[derive(Subcommand)]
enum KeysAction {
    /// Make the key in --data-dir and record it in the database, before the first start
    /// of several instances on one PostgreSQL database; then copy receipt-signing.key to
    /// each instance's data folder. Prints the public key receipts are verified with.
    Init {
        #[command(flatten)]
        data: DataArgs,
    },
}

/// Where an alcaldía command finds the server's data.
#[derive(clap::Args)]
struct DataArgs {
    /// The server's data folder.
    #[arg(long)]
    data_dir: PathBuf,
    /// The server's database, when it is not DATA_DIR/server.db: sqlite:PATH or
    /// postgres://USER@HOST:PORT/NAME.
    #[arg(long, value_name = "URL", value_parser = Database::parse)]
    database_url: Option<Database>,
}

impl DataArgs {
    fn server_data(&self) -> ServerData<'_> {
        ServerData {
            data_dir: &self.data_dir,
            database: self.database_url.as_ref(),
        }
    }
}

/// How a tender is decided: one of --bid, --unsuccessful, --cancelled.
#[derive(clap::Args)]
#[group(required = true, multiple = false)]
struct AwardChoice {
    /// The id of the winning bid (in the tender's `bids.details`).
    #[arg(long, value_name = "BID_ID")]
    bid: Option<String>,
    /// No bid wins: the tender is declared desierta.
    #[arg(long)]
    unsuccessful: bool,
    /// The tender is cancelled.
    #[arg(long)]
    cancelled: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum TestKind {
    Fiel,
    Csd,
    Expired,
}

#[derive(Clone, Copy, ValueEnum)]
enum Decision {
    Approve,
    Reject,
}

/// What is wrong with the command line, in Spanish, and where to look. Help and
/// version requests are shown as clap writes them.
fn usage_error(error: &clap::Error) -> String {
    let context = |kind| match error.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(s)) => s.join(", "),
        _ => String::new(),
    };
    let argument = context(ContextKind::InvalidArg);
    let problem = match error.kind() {
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let valid = context(ContextKind::ValidValue);
            let mut text = format!(
                "El valor «{}» no es válido para {argument}",
                context(ContextKind::InvalidValue)
            );
            // The database's and the documents' URL parsers say why, in Spanish; clap's
            // own parsers would say it in English, so they are left at "not valid".
            let why = std::error::Error::source(error).and_then(|source| {
                let database = source
                    .downcast_ref::<BadDatabaseUrl>()
                    .map(|e| e.to_string());
                database.or_else(|| source.downcast_ref::<BadBlobsUrl>().map(|e| e.to_string()))
            });
            match why {
                Some(why) => text.push_str(&format!(": {why}.")),
                None => text.push('.'),
            }
            if !valid.is_empty() {
                text.push_str(&format!(" Valores posibles: {valid}."));
            }
            text
        }
        ErrorKind::MissingRequiredArgument => format!("Falta {argument}."),
        ErrorKind::UnknownArgument => format!("No se reconoce el argumento {argument}."),
        ErrorKind::InvalidSubcommand => format!(
            "No existe la orden «{}».",
            context(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::MissingSubcommand => "Falta la orden.".to_owned(),
        ErrorKind::NoEquals => format!("{argument} necesita un valor tras «=»."),
        ErrorKind::ArgumentConflict => {
            format!(
                "{argument} no puede usarse junto con {}.",
                context(ContextKind::PriorArg)
            )
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("{argument} recibió un número incorrecto de valores.")
        }
        _ => "La línea de órdenes no es válida.".to_owned(),
    };
    format!("{problem} Consulta ventanilla-server --help (o ventanilla-server ORDEN --help).")
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => e.exit(),
        Err(e) => {
            eprintln!("ventanilla-server: {}", usage_error(&e));
            return ExitCode::from(2);
        }
    };
    let outcome = match cli.command {
        Some(Command::Review {
            data,
            decision,
            rfc,
            observations,
        }) => run_review(data.server_data(), decision, &rfc, &observations),
        Some(Command::Keys {
            action: KeysAction::Init { data },
        }) => run_keys_init(data.server_data()),
        Some(Command::Operator { data, email }) => run_operator(data.server_data(), &email),
        Some(Command::TestFiel {
            data_dir,
            rfc,
            out,
            name,
            kind,
        }) => run_test_fiel(&data_dir, &rfc, &out, &name, kind),
        Some(Command::Questions { data, ocid }) => run_questions(data.server_data(), &ocid),
        Some(Command::Answer {
            data,
            ocid,
            question_id,
        }) => run_answer(data.server_data(), &ocid, &question_id),
        Some(Command::Award { data, ocid, choice }) => run_award(data.server_data(), &ocid, choice),
        Some(Command::Contract {
            data,
            ocid,
            start,
            end,
            amount,
        }) => run_contract(data.server_data(), &ocid, amount, start, end),
        None => run_server(&cli),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("ventanilla-server: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run_review(
    data: ServerData<'_>,
    decision: Decision,
    rfc: &str,
    observations: &[String],
) -> Result<(), String> {
    let (status, word) = match decision {
        Decision::Approve => (ReviewStatus::Aprobado, "aprobado"),
        Decision::Reject => (ReviewStatus::Rechazado, "rechazado"),
    };
    let observations = observations
        .iter()
        .map(|o| parse_observation(o))
        .collect::<Result<Vec<_>, AdminError>>()
        .map_err(|e| e.to_string())?;
    let now = data.now().map_err(|e| e.to_string())?;
    review(data, rfc, status, &observations, now).map_err(|e| e.to_string())?;
    println!("{rfc}: {word}");
    Ok(())
}

fn run_keys_init(data: ServerData<'_>) -> Result<(), String> {
    let public_key = admin::init_keys(data).map_err(|e| e.to_string())?;
    println!("{public_key}");
    Ok(())
}

fn run_questions(data: ServerData<'_>, ocid: &str) -> Result<(), String> {
    for row in admin::questions(data, ocid).map_err(|e| e.to_string())? {
        let answer = row.answers.last();
        let line = serde_json::json!({
            "id": row.id,
            "date": row.asked_at,
            "question": row.question,
            "answer": answer.map(|(text, _)| text),
            "dateAnswered": answer.map(|(_, at)| at),
        });
        println!("{line}");
    }
    Ok(())
}

fn run_answer(data: ServerData<'_>, ocid: &str, question_id: &str) -> Result<(), String> {
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).map_err(|e| {
        format!("No se pudo leer la respuesta de la entrada estándar ({e}). Escríbela en UTF-8.")
    })?;
    let now = data.now().map_err(|e| e.to_string())?;
    let row = admin::answer(data, ocid, question_id, &text, now).map_err(|e| e.to_string())?;
    let word = match row.answers.len() {
        1 => "respondida",
        _ => "respuesta cambiada",
    };
    println!("{ocid}: pregunta {} {word}", row.id);
    Ok(())
}

fn run_award(data: ServerData<'_>, ocid: &str, choice: AwardChoice) -> Result<(), String> {
    let decision = match choice.bid {
        Some(bid) => AwardDecision::Bid(bid),
        None if choice.unsuccessful => AwardDecision::Unsuccessful,
        None => AwardDecision::Cancelled,
    };
    let now = data.now().map_err(|e| e.to_string())?;
    let award = admin::award(data, ocid, &decision, now).map_err(|e| e.to_string())?;
    match award.outcome {
        AwardOutcome::Won(bid) => println!("{ocid}: fallo a la propuesta {bid}"),
        AwardOutcome::Unsuccessful => println!("{ocid}: desierta"),
        AwardOutcome::Cancelled => println!("{ocid}: cancelada"),
    }
    Ok(())
}

fn run_contract(
    data: ServerData<'_>,
    ocid: &str,
    amount: Option<rust_decimal::Decimal>,
    start: chrono::NaiveDate,
    end: chrono::NaiveDate,
) -> Result<(), String> {
    let now = data.now().map_err(|e| e.to_string())?;
    let contract =
        admin::contract(data, ocid, amount, start, end, now).map_err(|e| e.to_string())?;
    println!(
        "{ocid}: contrato por {} {} del {start} al {end}",
        contract.value.amount, contract.value.currency
    );
    Ok(())
}

fn run_operator(data: ServerData<'_>, email: &str) -> Result<(), String> {
    let mut password = String::new();
    std::io::stdin().read_line(&mut password).map_err(|e| {
        format!(
            "No se pudo leer la contraseña de la entrada estándar ({e}). Escríbela en una \
                 línea, por ejemplo: echo 'una contraseña larga' | ventanilla-server operator \
                 --data-dir CARPETA correo@ejemplo.mx"
        )
    })?;
    let password = password.trim_end_matches(['\r', '\n']);
    let now = data.now().map_err(|e| e.to_string())?;
    let account = create_operator(data, email, password, now).map_err(|e| e.to_string())?;
    println!("{} {}", account.id, account.email);
    Ok(())
}

fn run_test_fiel(
    data_dir: &std::path::Path,
    rfc: &str,
    out: &std::path::Path,
    name: &str,
    kind: TestKind,
) -> Result<(), String> {
    let kind = match kind {
        TestKind::Fiel => TestFielKind::Fiel,
        TestKind::Csd => TestFielKind::Csd,
        TestKind::Expired => TestFielKind::Expired,
    };
    let fiel = sandbox::issue(data_dir, rfc, name, kind, out)?;
    println!(
        "{}",
        serde_json::to_string_pretty(&fiel).map_err(|e| e.to_string())?
    );
    Ok(())
}

/// The e.firma policy of the command line: the CAs of --efirma-ca and, in sandbox
/// mode, the sandbox's test CA; signatures required unless --allow-unsigned.
fn efirma_policy(cli: &Cli) -> Result<EfirmaPolicy, String> {
    let mut authorities = match &cli.efirma_ca {
        Some(dir) => load_authorities(dir)?,
        None => Vec::new(),
    };
    if cli.sandbox {
        match sandbox::authority(&cli.data_dir) {
            Ok(ca) => {
                authorities.push(ca);
                let data = cli.data_dir.display();
                eprintln!(
                    "ventanilla-server: e.firma de prueba: este servidor confía en su autoridad certificadora de prueba ({}). Para obtener una e.firma de prueba (.cer, .key y su contraseña) de un RFC: ventanilla-server test-fiel --data-dir {data} --rfc RFC --out CARPETA",
                    sandbox::authority_dir(&cli.data_dir).join("ca.cer").display()
                );
            }
            Err(why) => eprintln!(
                "ventanilla-server: {why} Sin ella, el servidor de prueba acepta envíos sin firmar y verifica las firmas que reciba salvo su emisor."
            ),
        }
    } else if authorities.is_empty() && !cli.allow_unsigned {
        return Err("Falta --efirma-ca CARPETA con los certificados de las autoridades certificadoras del SAT: sin ellos no se puede verificar la e.firma de los envíos. Para pruebas usa --sandbox, o --allow-unsigned para aceptar envíos sin firmar.".to_owned());
    }
    let require_signature = !cli.allow_unsigned && !authorities.is_empty();
    if !require_signature {
        eprintln!("ventanilla-server: se aceptan envíos sin e.firma.");
    }
    let ocsp = match &cli.efirma_ocsp {
        None => None,
        Some(_) if authorities.is_empty() => {
            return Err("--efirma-ocsp necesita --efirma-ca (o --sandbox): la consulta OCSP nombra a la autoridad que emitió cada e.firma.".to_owned())
        }
        Some(url) => Some(OcspResponder::new(url)?),
    };
    Ok(EfirmaPolicy {
        authorities,
        require_signature,
        ocsp,
    })
}

fn run_server(cli: &Cli) -> Result<(), String> {
    let mut config = Config::new(cli.data_dir.clone());
    config.sandbox = cli.sandbox;
    config.database = cli.database_url.clone();
    config.blobs = cli.blobs.clone();
    config.s3_keys = S3Keys::from_env();
    config.efirma = efirma_policy(cli)?;
    cli.limits.apply(&mut config);
    let listen = cli.listen;
    let app = App::open(config).map_err(|e| e.to_string())?;
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| {
                format!("No se pudo escuchar en {listen} ({e}). Elige otra dirección o puerto con --listen.")
            })?;
        // The bound address, so that `--listen 127.0.0.1:0` tells which port it got.
        let bound = listener.local_addr().unwrap_or(listen);
        eprintln!("ventanilla-server: listening on http://{bound}");
        serve(listener, &app, stop_asked())
            .await
            .map_err(|e| e.to_string())
    })
}

/// Ctrl-C, or SIGTERM (what systemd and container runtimes send to stop a service):
/// the server then stops taking connections and finishes the requests it is answering.
async fn stop_asked() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
