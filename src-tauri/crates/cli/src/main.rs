//! `ventanilla`: the app's data and checks from a terminal. Every command prints JSON
//! on stdout; exit codes are 0 (done, or valid), 1 (refused or invalid), 2 (usage).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use serde::Serialize;
use serde_json::{json, Value};
use ventanilla_core::registration::review;
use ventanilla_core::{
    clabe, curp, rfc, Code, Field, Locale, RegistrationDraft, Severity, Verdict,
};
use ventanilla_store::{default_data_dir, BusinessEntry, Health, Library, StoreError};

#[derive(Parser)]
#[command(
    name = "ventanilla",
    version,
    about = "Ventanilla desde la terminal: revisa identificadores y administra negocios."
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let data_dir = cli.data_dir.unwrap_or_else(default_data_dir);
    let (output, ok) = match cli.command {
        Command::Check { kind, value } => check(kind, &value),
        Command::Businesses { query, action } => match action {
            None => with_library(&data_dir, |library| list(library, &query)),
            Some(BusinessAction::Create { rfc, name }) => {
                with_library(&data_dir, |library| create(library, rfc, name))
            }
        },
    };
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

fn issue_json(code: Code) -> Value {
    json!({ "code": code, "message": code.message(Locale::Es) })
}

fn verdict_json<D: Serialize>(verdict: &Verdict<D>) -> Value {
    let of = |severities: &[Severity]| -> Vec<Value> {
        verdict
            .issues
            .iter()
            .filter(|c| severities.contains(&c.severity()))
            .map(|&c| issue_json(c))
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

fn check(kind: IdentifierKind, value: &str) -> (Value, bool) {
    match kind {
        IdentifierKind::Rfc => judged(rfc::check(value)),
        IdentifierKind::Curp => judged(curp::check(value)),
        IdentifierKind::Clabe => judged(clabe::check(value)),
    }
}

fn judged<D: Serialize>(verdict: Verdict<D>) -> (Value, bool) {
    (verdict_json(&verdict), verdict.is_valid())
}

fn store_error_json(error: &StoreError) -> Value {
    json!({ "error": { "code": error.code(), "message": error.message(Locale::Es) } })
}

fn with_library(
    data_dir: &PathBuf,
    run: impl FnOnce(&Library) -> Result<Value, StoreError>,
) -> (Value, bool) {
    match Library::open(data_dir).and_then(|library| run(&library)) {
        Ok(value) => {
            let ok = value.get("errors").is_none();
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
        "sections_done": entry.summary.sections_done,
        "sections_total": entry.summary.sections_total,
        "complete": entry.summary.complete,
        "updated_at": entry.updated_at,
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
    let issues: Vec<_> = review(&draft)
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
