//! The `ventanilla` binary as a script would run it: JSON on stdout, exit codes 0
//! (valid or done), 1 (invalid or refused), 2 (usage).
#![allow(clippy::unwrap_used)]

mod binary;

use std::process::Command;

use binary::{kemper, ventanilla};
use serde_json::Value;
use ventanilla_core::{clabe, curp, rfc};

fn codes(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn check_reports_verdicts_with_codes_messages_and_exit_status() {
    let dir = tempfile::tempdir().unwrap();
    let valid_rfc = format!("ABC850101XY{}", rfc::check_digit("ABC850101XY").unwrap());
    let (status, json) = ventanilla(
        dir.path(),
        &["check", "rfc", &format!(" {} ", valid_rfc.to_lowercase())],
    );
    assert_eq!(status, 0);
    assert_eq!(json["valid"], true);
    assert_eq!(json["normalized"], valid_rfc);
    assert_eq!(json["details"]["persona"], "moral");

    let (status, json) = ventanilla(dir.path(), &["check", "rfc", "ABC-851301-XY1"]);
    assert_eq!(status, 1);
    assert_eq!(codes(&json["errors"]), ["rfc_date"]);
    assert!(json["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("fecha"));

    let (status, json) = ventanilla(dir.path(), &["check", "rfc", "XAXX010101000"]);
    assert_eq!(status, 1);
    assert_eq!(codes(&json["errors"]), ["rfc_generic"]);

    // Four letters SAT never issues, typed in lowercase with dashes: refused in words.
    let digit = rfc::check_digit("CACA580710NF").unwrap();
    let (status, json) = ventanilla(
        dir.path(),
        &["check", "rfc", &format!("caca-580710-nf{digit}")],
    );
    assert_eq!(status, 1);
    assert_eq!(json["valid"], false);
    assert_eq!(codes(&json["errors"]), ["rfc_inconvenient_word"]);
    assert!(json["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("el SAT nunca asigna"));
    let body = "BACA890909MJCRMS0";
    let inconvenient_curp = format!("{body}{}", curp::check_digit(body).unwrap());
    let (status, json) = ventanilla(dir.path(), &["check", "curp", &inconvenient_curp]);
    assert_eq!(status, 1);
    assert_eq!(codes(&json["errors"]), ["curp_inconvenient_word"]);

    let curp_body = "PEMJ800101HDFRRN0";
    let good_curp = format!("{curp_body}{}", curp::check_digit(curp_body).unwrap());
    assert_eq!(ventanilla(dir.path(), &["check", "curp", &good_curp]).0, 0);

    let clabe_body = "00201007777777777";
    let digit = clabe::check_digit(clabe_body).unwrap();
    let wrong = if digit == '0' { '1' } else { '0' };
    let (status, json) = ventanilla(
        dir.path(),
        &["check", "clabe", &format!("{clabe_body}{wrong}")],
    );
    assert_eq!(status, 1);
    assert_eq!(codes(&json["errors"]), ["clabe_check_digit"]);
    let (status, json) = ventanilla(
        dir.path(),
        &["check", "clabe", &format!("{clabe_body}{digit}")],
    );
    assert_eq!(status, 0);
    assert!(json["details"]["bank"]
        .as_str()
        .unwrap()
        .contains("Banamex"));

    // A bank the list lacks, with a right check digit: valid, with a warning naming it;
    // once the data folder holds the server's newer list, named.
    let (status, json) = ventanilla(dir.path(), &["check", "clabe", "999180001234567899"]);
    assert_eq!(status, 0);
    assert_eq!(codes(&json["warnings"]), ["clabe_unknown_bank"]);
    assert_eq!(
        json["warnings"][0]["message"],
        "No reconocemos el banco 999; revisa la CLABE."
    );
    ventanilla_store::Library::open(dir.path())
        .unwrap()
        .replace_banks(r#"{"version": "v2", "banks": [{"code": "999", "name": "Banco Nuevo"}]}"#)
        .unwrap();
    let (_, json) = ventanilla(dir.path(), &["check", "clabe", "999180001234567899"]);
    assert_eq!(json["details"]["bank"], "Banco Nuevo");
    assert_eq!(codes(&json["warnings"]), Vec::<String>::new());

    assert_eq!(ventanilla(dir.path(), &["check", "nss", "123"]).0, 2);
    assert_eq!(ventanilla(dir.path(), &["check", "rfc"]).0, 2);
}

#[test]
fn businesses_are_created_with_the_apps_checks_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    let (status, json) = ventanilla(
        dir.path(),
        &["businesses", "create", "--rfc", "ABC12", "--name", "Mala"],
    );
    assert_eq!(status, 1);
    assert_eq!(json["created"], false);
    assert_eq!(codes(&json["errors"]), ["rfc_length"]);

    let (status, json) = ventanilla(
        dir.path(),
        &[
            "businesses",
            "create",
            "--rfc",
            "EKU9003173C9",
            "--name",
            "🌮🌮",
        ],
    );
    assert_eq!(status, 1);
    assert_eq!(codes(&json["errors"]), ["invalid_characters"]);

    let (status, json) = ventanilla(
        dir.path(),
        &[
            "businesses",
            "create",
            "--rfc",
            "eku-900317-3c9",
            "--name",
            "Escuela Kemper Urgate",
        ],
    );
    assert_eq!(status, 0, "{json}");
    assert_eq!(json["business"]["rfc"], "EKU9003173C9");
    assert_eq!(json["business"]["persona"], "moral");

    let (status, json) = ventanilla(dir.path(), &["businesses"]);
    assert_eq!(status, 0);
    assert_eq!(json.as_array().unwrap().len(), 1);
    assert_eq!(json[0]["name"], "Escuela Kemper Urgate");
    let (_, json) = ventanilla(dir.path(), &["businesses", "--query", "kemper"]);
    assert_eq!(json.as_array().unwrap().len(), 1);
    let (_, json) = ventanilla(dir.path(), &["businesses", "--query", "ferreteria"]);
    assert_eq!(json.as_array().unwrap().len(), 0);
}

#[test]
fn an_unusable_data_folder_is_a_clear_json_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file");
    std::fs::write(&file, b"").unwrap();
    let (status, json) = ventanilla(&file, &["businesses"]);
    assert_eq!(status, 1);
    assert_eq!(json["error"]["code"], "data_dir_unwritable");
}

#[test]
fn without_data_dir_the_cli_uses_the_apps_default_folder() {
    let home = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_ventanilla"))
        .args(["businesses"])
        .env_remove("VENTANILLA_DATA_DIR")
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let expected = home
        .path()
        .join("data")
        .join(ventanilla_store::APP_IDENTIFIER)
        .join("app.db");
    assert!(expected.is_file(), "{} was not created", expected.display());
}

/// A one-page PDF padded with `filler` bytes inside a content stream.
fn pdf(filler: usize) -> Vec<u8> {
    ventanilla_testkit::fixtures::one_page_pdf(0, filler)
}

fn item<'a>(checklist: &'a Value, code: &str) -> &'a Value {
    checklist["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == code)
        .unwrap()
}

#[test]
fn checklist_prints_the_evaluation_by_id_or_rfc() {
    let dir = tempfile::tempdir().unwrap();
    let id = kemper(dir.path());
    let (status, json) = ventanilla(
        dir.path(),
        &["checklist", "eku-900317-3c9", "--on", "2025-06-10"],
    );
    assert_eq!(status, 0, "{json}");
    assert_eq!(json["business"], id);
    assert_eq!(json["on"], "2025-06-10");
    assert_eq!(json["catalogue_version"], "default-1");
    assert_eq!(json["procedure"], Value::Null);
    assert_eq!(json["ready"], 0);
    let csf = item(&json, "CSF");
    assert_eq!(csf["status"]["kind"], "missing");
    assert_eq!(csf["name"], "Constancia de Situación Fiscal");
    assert!(csf["message"]
        .as_str()
        .unwrap()
        .starts_with("Falta este documento"));
    assert_eq!(json["total"], json["items"].as_array().unwrap().len());
    // A persona moral: its acta, no CURP; statements only for a public tender.
    let codes = |json: &Value| codes(&json["items"]);
    assert!(codes(&json).contains(&"ACTA".to_owned()));
    assert!(!codes(&json).contains(&"CURP".to_owned()));
    assert!(!codes(&json).contains(&"EDOS_FIN".to_owned()));
    let (status, tender) = ventanilla(dir.path(), &["checklist", &id, "--procedure", "licitacion"]);
    assert_eq!(status, 0, "{tender}");
    assert_eq!(tender["procedure"], "licitacion");
    assert!(codes(&tender).contains(&"EDOS_FIN".to_owned()));
    let today = ventanilla_core::checklist::mexico_city_today(chrono::Utc::now());
    assert_eq!(tender["on"], today.to_string());

    assert_eq!(
        ventanilla(dir.path(), &["checklist", &id, "--procedure", "subasta"]).0,
        2
    );
    assert_eq!(
        ventanilla(dir.path(), &["checklist", &id, "--on", "10/06/2025"]).0,
        2
    );
}

#[test]
fn checklist_names_one_business_or_says_why_not() {
    let dir = tempfile::tempdir().unwrap();
    kemper(dir.path());
    kemper(dir.path());
    let (status, json) = ventanilla(dir.path(), &["checklist", "EKU9003173C9"]);
    assert_eq!(status, 1);
    assert_eq!(json["error"]["code"], "ambiguous_business");
    assert!(json["error"]["message"]
        .as_str()
        .unwrap()
        .contains("2 negocios"));
    let (status, json) = ventanilla(dir.path(), &["checklist", "ABC850101AB1"]);
    assert_eq!(status, 1);
    assert_eq!(json["error"]["code"], "unknown_business");

    // Without a persona there is no checklist yet.
    let library = ventanilla_store::Library::open(dir.path()).unwrap();
    let blank = library
        .create_business(&ventanilla_core::RegistrationDraft::default())
        .unwrap();
    let (status, json) = ventanilla(dir.path(), &["checklist", &blank]);
    assert_eq!(status, 1);
    assert_eq!(json["error"]["code"], "persona_unknown");
}

#[test]
fn attach_prints_the_record_and_refusals_as_json_errors() {
    let dir = tempfile::tempdir().unwrap();
    kemper(dir.path());
    let file = dir.path().join("constancia.pdf");
    std::fs::write(&file, pdf(1_000)).unwrap();
    let today = ventanilla_core::checklist::mexico_city_today(chrono::Utc::now()).to_string();
    let file_arg = file.to_str().unwrap();
    let (status, json) = ventanilla(
        dir.path(),
        &[
            "attach",
            "EKU9003173C9",
            "CSF",
            file_arg,
            "--issued",
            &today,
        ],
    );
    assert_eq!(status, 0, "{json}");
    assert_eq!(json["requirement"], "CSF");
    assert_eq!(json["kind"], "pdf");
    assert_eq!(json["pages"], 1);
    assert_eq!(json["issued_on"], today);
    assert_eq!(json["original_name"], "constancia.pdf");
    assert_eq!(json["sha256"].as_str().unwrap().len(), 64);
    let (_, checklist) = ventanilla(dir.path(), &["checklist", "EKU9003173C9"]);
    assert_eq!(item(&checklist, "CSF")["status"]["kind"], "attached");
    // The home list's expiry alert follows documents attached from the CLI too.
    let (_, listed) = ventanilla(dir.path(), &["businesses"]);
    assert_eq!(
        listed[0]["next_expiry"],
        item(&checklist, "CSF")["valid_until"]
    );
    assert!(listed[0]["next_expiry"].is_string());
    assert_eq!(checklist["ready"], 1);

    let fake = dir.path().join("opinion.pdf");
    std::fs::write(&fake, b"<html>Sesion expirada</html>").unwrap();
    let (status, json) = ventanilla(
        dir.path(),
        &[
            "attach",
            "EKU9003173C9",
            "OPINION_SAT",
            fake.to_str().unwrap(),
        ],
    );
    assert_eq!(status, 1);
    assert_eq!(json["error"]["code"], "file_refused");
    assert!(json["error"]["message"]
        .as_str()
        .unwrap()
        .contains("página web guardada"));

    let cases = [
        (vec!["NO_EXISTE", file_arg], "unknown_requirement"),
        (
            vec!["CSF", file_arg, "--issued", "2999-01-01"],
            "date_invalid",
        ),
        (vec!["CSF", "/no/such/file.pdf"], "file_unreadable"),
        (
            vec!["ID_OFICIAL", file_arg, "--representative", "nadie"],
            "unknown_representative",
        ),
    ];
    for (args, code) in cases {
        let mut all = vec!["attach", "EKU9003173C9"];
        all.extend(args);
        let (status, json) = ventanilla(dir.path(), &all);
        assert_eq!(
            (status, json["error"]["code"].as_str()),
            (1, Some(code)),
            "{json}"
        );
    }
    let (status, _) = ventanilla(
        dir.path(),
        &[
            "attach",
            "EKU9003173C9",
            "CSF",
            file_arg,
            "--issued",
            "ayer",
        ],
    );
    assert_eq!(status, 2);
}

/// A full disk, played by a file-size limit: the write fails mid-copy with EFBIG (the
/// signal that would otherwise end the process is ignored), as it would with ENOSPC.
#[cfg(unix)]
#[test]
fn a_disk_that_fills_up_mid_copy_leaves_no_half_written_file() {
    let dir = tempfile::tempdir().unwrap();
    let id = kemper(dir.path());
    let file = dir.path().join("constancia.pdf");
    std::fs::write(&file, pdf(3 * 1024 * 1024)).unwrap();
    let script = "trap '' XFSZ; ulimit -f 2048; exec \"$@\"";
    let output = Command::new("sh")
        .args([
            "-c",
            script,
            "sh",
            env!("CARGO_BIN_EXE_ventanilla"),
            "--data-dir",
        ])
        .arg(dir.path())
        .args(["attach", &id, "CSF"])
        .arg(&file)
        .env_remove("VENTANILLA_DATA_DIR")
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(1), "{json}");
    assert_eq!(json["error"]["code"], "write_refused");
    let vault = dir.path().join("businesses").join(&id).join("vault");
    let left: Vec<_> = std::fs::read_dir(&vault).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
    let (_, checklist) = ventanilla(dir.path(), &["checklist", &id]);
    assert_eq!(item(&checklist, "CSF")["status"]["kind"], "missing");
}

const TENDER_PACKAGE: &str = r#"{"uri": "usb", "releases": [
  {"ocid": "ocds-bj-abierta", "id": "1", "date": "2026-01-10T09:00:00",
   "buyer": {"name": "Alcaldía Benito Juárez"},
   "tender": {"title": "Papelería y tóner", "status": "active", "procurementMethod": "open",
              "mainProcurementCategory": "goods", "tenderPeriod": {"endDate": "2099-01-01T14:00:00"},
              "items": [{"id": "1", "description": "Tóner", "quantity": "12", "unit": {"name": "pieza"}}]}},
  {"ocid": "ocds-bj-cerrada", "id": "1", "date": "2026-01-10T09:00:00-06:00",
   "tender": {"title": "Limpieza de parques", "status": "active", "mainProcurementCategory": "services",
              "tenderPeriod": {"endDate": "2001-01-01T14:00:00-06:00"}}},
  {"ocid": "ocds-bj-mala", "date": "2026-01-10T09:00:00Z",
   "tender": {"items": [{"quantity": "1,5"}]}}
]}"#;

#[test]
fn tenders_import_a_file_and_list_with_filters() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("convocatorias.json");
    std::fs::write(&file, TENDER_PACKAGE).unwrap();
    let (status, json) = ventanilla(dir.path(), &["tenders", "import", file.to_str().unwrap()]);
    assert_eq!(status, 0, "{json}");
    assert_eq!(json["shape"], "release_package");
    assert_eq!(json["imported"], 2);
    assert_eq!(json["updated"], 0);
    assert_eq!(json["skipped"][0]["ocid"], "ocds-bj-mala");
    assert_eq!(json["skipped"][0]["position"], 3);
    assert_eq!(json["skipped"][0]["code"], "bad_number");
    assert!(json["skipped"][0]["message"]
        .as_str()
        .unwrap()
        .contains("1,5"));

    let (status, json) = ventanilla(dir.path(), &["tenders", "import", file.to_str().unwrap()]);
    assert_eq!(
        (status, &json["imported"], &json["unchanged"]),
        (0, &0.into(), &2.into())
    );

    let (status, json) = ventanilla(dir.path(), &["tenders", "list"]);
    assert_eq!(status, 0);
    let ocids: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["ocid"].as_str().unwrap())
        .collect();
    assert_eq!(ocids, ["ocds-bj-abierta", "ocds-bj-cerrada"]);
    // Offset-less times are Mexico City's.
    assert_eq!(json[0]["deadline"], "2099-01-01T20:00:00Z");
    assert_eq!(json[0]["procedure"], "licitacion");
    assert_eq!(json[0]["status"], "active");

    let (_, json) = ventanilla(dir.path(), &["tenders", "list", "--open"]);
    assert_eq!(json.as_array().unwrap().len(), 1);
    assert_eq!(json[0]["ocid"], "ocds-bj-abierta");
    let (_, json) = ventanilla(dir.path(), &["tenders", "list", "--query", "PARQUES"]);
    assert_eq!(json[0]["ocid"], "ocds-bj-cerrada");
    let (_, json) = ventanilla(dir.path(), &["tenders", "list", "--category", "goods"]);
    assert_eq!(json.as_array().unwrap().len(), 1);
    let (_, json) = ventanilla(
        dir.path(),
        &["tenders", "list", "--open", "--query", "parques"],
    );
    assert_eq!(json, Value::Array(vec![]));
}

#[test]
fn tenders_import_refuses_damaged_or_foreign_files_whole() {
    let dir = tempfile::tempdir().unwrap();
    let cut = dir.path().join("cortado.json");
    std::fs::write(&cut, &TENDER_PACKAGE[..TENDER_PACKAGE.len() / 2]).unwrap();
    let (status, json) = ventanilla(dir.path(), &["tenders", "import", cut.to_str().unwrap()]);
    assert_eq!(status, 1);
    assert_eq!(json["error"]["code"], "ocds_not_json");
    assert!(json["error"]["message"].as_str().unwrap().contains("línea"));
    let (_, json) = ventanilla(dir.path(), &["tenders", "list"]);
    assert_eq!(json, Value::Array(vec![]), "nothing half-imported");

    let foreign = dir.path().join("precios.json");
    std::fs::write(&foreign, r#"{"precios": [1, 2]}"#).unwrap();
    let (status, json) = ventanilla(
        dir.path(),
        &["tenders", "import", foreign.to_str().unwrap()],
    );
    assert_eq!(
        (status, json["error"]["code"].as_str()),
        (1, Some("ocds_not_ocds"))
    );

    let missing = dir.path().join("no-existe.json");
    let (status, json) = ventanilla(
        dir.path(),
        &["tenders", "import", missing.to_str().unwrap()],
    );
    assert_eq!(
        (status, json["error"]["code"].as_str()),
        (1, Some("file_unreadable"))
    );
}
