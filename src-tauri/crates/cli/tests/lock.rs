//! `ventanilla lock` and `unlock` as a chamber's operator runs them: the passphrase on
//! standard input (or one generated to print), a locked business listed by its label
//! only and refusing every other command with the same plain words, its file exported
//! with its passphrase, and the lock removed for good.
#![allow(clippy::unwrap_used)]

mod binary;

use binary::{command, kemper, run, ventanilla};

const PASSPHRASE: &str = "mole poblano 1962\n";
const REFUSAL: &str = "negocio bloqueado: desbloquéalo primero";

#[test]
fn a_locked_business_shows_only_its_label_refuses_other_commands_and_unlocks_for_good() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    kemper(&data);

    let (status, json, _) = run(command(&data).args(["lock", "EKU9003173C9"]), "corta\n");
    assert_eq!(
        (status, json["error"]["code"].as_str()),
        (1, Some("passphrase_too_short"))
    );

    let (status, json, _) = run(
        command(&data).args(["lock", "EKU9003173C9", "--label", "Cita 4"]),
        PASSPHRASE,
    );
    assert_eq!(status, 0, "{json}");
    assert!(json["warning"]
        .as_str()
        .unwrap()
        .contains("no se pueden recuperar"));
    assert!(
        json.get("passphrase").is_none(),
        "a typed passphrase is never echoed"
    );

    let (_, list) = ventanilla(&data, &["businesses"]);
    assert_eq!(list[0]["name"], "Cita 4");
    assert_eq!(list[0]["rfc"], "");
    assert_eq!(list[0]["locked"], true);

    for args in [
        &["checklist", "Cita 4"][..],
        &["bid", "list", "Cita 4"],
        &["submit", "Cita 4"],
    ] {
        let (status, json) = ventanilla(&data, args);
        assert_eq!(status, 1, "{args:?}: {json}");
        assert_eq!(json["error"]["code"], "business_locked", "{args:?}");
        assert!(
            json["error"]["message"]
                .as_str()
                .unwrap()
                .starts_with(REFUSAL),
            "{args:?}: {json}"
        );
    }
    // Its RFC is not kept in the clear, so it does not name it any more.
    let (status, json) = ventanilla(&data, &["checklist", "EKU9003173C9"]);
    assert_eq!(
        (status, json["error"]["code"].as_str()),
        (1, Some("unknown_business"))
    );

    let file = dir.path().join("cita4.ventanilla");
    let (status, json, _) = run(
        command(&data).args([
            "bundle",
            "export",
            "Cita 4",
            "--out",
            file.to_str().unwrap(),
        ]),
        "no es la suya\n",
    );
    assert_eq!(
        (status, json["error"]["code"].as_str()),
        (1, Some("wrong_passphrase"))
    );
    let (status, json, _) = run(
        command(&data).args([
            "bundle",
            "export",
            "Cita 4",
            "--out",
            file.to_str().unwrap(),
        ]),
        PASSPHRASE,
    );
    assert_eq!(status, 0, "{json}");

    let (status, json, _) = run(command(&data).args(["unlock", "Cita 4"]), "no es la suya\n");
    assert_eq!(
        (status, json["error"]["code"].as_str()),
        (1, Some("wrong_passphrase"))
    );
    let (status, json, _) = run(command(&data).args(["unlock", "cita 4"]), PASSPHRASE);
    assert_eq!(status, 0, "{json}");
    let (status, json) = ventanilla(&data, &["checklist", "EKU9003173C9"]);
    assert_eq!(status, 0, "{json}");
    let (_, list) = ventanilla(&data, &["businesses"]);
    assert_eq!(
        (list[0]["rfc"].as_str(), list[0]["locked"].as_bool()),
        (Some("EKU9003173C9"), Some(false))
    );
}

#[test]
fn a_generated_passphrase_is_shown_once_and_opens_the_business() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    kemper(&data);
    let (status, json) = ventanilla(&data, &["lock", "EKU9003173C9", "--generate"]);
    assert_eq!(status, 0, "{json}");
    let passphrase = json["passphrase"].as_str().unwrap().to_owned();
    assert_eq!(passphrase.len(), 24);
    let label = json["label"].as_str().unwrap().to_owned();
    assert!(label.starts_with("Negocio "), "{label}");
    let (status, json, _) = run(
        command(&data).args(["unlock", &label]),
        &format!("{passphrase}\n"),
    );
    assert_eq!(status, 0, "{json}");
}
