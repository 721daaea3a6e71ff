//! `ventanilla bundle export`, `bundle import` and `wipe` as a chamber's operator runs
//! them: the passphrase on standard input, the business handed to a second data
//! folder, a repeated import that asks for a choice, and the wipe after the handover.
#![allow(clippy::unwrap_used)]

mod binary;

use binary::{command, kemper, run, ventanilla};

const PASSPHRASE: &str = "tortas de tamal\n";

#[test]
fn a_business_is_handed_over_imported_once_and_wiped_from_the_chamber() {
    let dir = tempfile::tempdir().unwrap();
    let (chamber, owner) = (dir.path().join("chamber"), dir.path().join("owner"));
    kemper(&chamber);
    let file = dir.path().join("kemper.ventanilla");
    let file_arg = file.to_str().unwrap();

    let (status, json, _) = run(
        command(&chamber).args(["bundle", "export", "EKU9003173C9", "--out", file_arg]),
        "corta\n",
    );
    assert_eq!(status, 1);
    assert_eq!(json["error"]["code"], "passphrase_too_short");
    assert!(!file.exists());

    let (status, json, _) = run(
        command(&chamber).args(["bundle", "export", "EKU9003173C9", "--out", file_arg]),
        PASSPHRASE,
    );
    assert_eq!(status, 0, "{json}");
    assert!(json["files"].as_u64().unwrap() >= 1);

    let (status, json, _) = run(
        command(&owner).args(["bundle", "import", file_arg]),
        "otra frase\n",
    );
    assert_eq!(status, 1);
    assert_eq!(json["error"]["code"], "bundle_wrong_passphrase");

    let (status, json, _) = run(
        command(&owner).args(["bundle", "import", file_arg]),
        PASSPHRASE,
    );
    assert_eq!(status, 0, "{json}");
    assert_eq!(json["name"], "Escuela Kemper Urgate");
    let (status, json, _) = run(
        command(&owner).args(["bundle", "import", file_arg]),
        PASSPHRASE,
    );
    assert_eq!(status, 1);
    assert_eq!(json["error"]["code"], "bundle_exists");
    assert!(json["error"]["message"]
        .as_str()
        .unwrap()
        .contains("conservar los dos"));
    let (status, json) = ventanilla(&owner, &["businesses"]);
    assert_eq!(status, 0);
    assert_eq!(json.as_array().unwrap().len(), 1, "{json}");
    assert_eq!(json[0]["rfc"], "EKU9003173C9");

    let (status, json) = ventanilla(&chamber, &["wipe", "EKU9003173C9"]);
    assert_eq!(status, 2, "--yes is required: {json}");
    let (status, json) = ventanilla(&chamber, &["wipe", "EKU9003173C9", "--yes"]);
    assert_eq!(status, 0, "{json}");
    let (_, json) = ventanilla(&chamber, &["businesses"]);
    assert_eq!(json.as_array().unwrap().len(), 0);
    assert_eq!(
        std::fs::read_dir(chamber.join("businesses"))
            .unwrap()
            .count(),
        0
    );
}
