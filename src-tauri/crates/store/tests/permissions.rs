//! What the client writes is its owner's alone, whatever the umask of the program that
//! writes it: the data folder, `app.db`, each business's folder, `business.db` and its
//! journal files, the vault and its files, and the session token. Run in a child
//! process started with umask 000, since a umask is the whole process's.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use chrono::Utc;
use ventanilla_core::checklist::{mexico_city_today, Catalogue};
use ventanilla_core::{Field, RegistrationDraft};
use ventanilla_store::{Library, Token};
use ventanilla_testkit::fixtures::one_page_pdf;

const CHILD: &str = "VENTANILLA_PERMISSIONS_CHILD";
const TEST: &str = "client_data_is_its_owners_alone_whatever_the_umask";

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn client_data_is_its_owners_alone_whatever_the_umask() {
    if std::env::var_os(CHILD).is_none() {
        let status = Command::new("sh")
            .args(["-c", "umask 000 && exec \"$0\" \"$@\""])
            .arg(std::env::current_exe().unwrap())
            .args(["--exact", TEST, "--nocapture", "--test-threads=1"])
            .env(CHILD, "1")
            .status()
            .unwrap();
        assert!(status.success(), "the child run failed: {status}");
        return;
    }
    let scratch = tempfile::tempdir().unwrap();
    // The umask really is 000 here: a file made the ordinary way is open to all.
    let probe = scratch.path().join("probe");
    fs::write(&probe, b"").unwrap();
    assert_eq!(mode(&probe), 0o666, "the child runs with umask 000");

    let root = scratch.path().join("data");
    let library = Library::open(&root).unwrap();
    let mut draft = RegistrationDraft::default();
    draft.set(Field::Rfc, "EKU9003173C9".into());
    draft.set(Field::Persona, "moral".into());
    let id = library.create_business(&draft).unwrap();
    let business = library.open_business(&id).unwrap();
    business
        .set_field(Field::Name, "Escuela Kemper Urgate")
        .unwrap();
    let pdf = scratch.path().join("csf.pdf");
    fs::write(&pdf, one_page_pdf(1, 100)).unwrap();
    let catalogue = Catalogue::default_catalogue();
    let document = business
        .attach(
            &pdf,
            catalogue.requirement("CSF").unwrap(),
            None,
            Some(mexico_city_today(Utc::now())),
            None,
            &mut |_, _| true,
        )
        .unwrap();
    library
        .save_session("a@b.mx", &Token::new("secreto"))
        .unwrap();

    let folder = root.join("businesses").join(&id);
    let mut private_folders = vec![root.clone(), root.join("businesses"), folder.clone()];
    private_folders.push(folder.join("vault"));
    for path in &private_folders {
        assert_eq!(mode(path), 0o700, "{}", path.display());
    }
    let mut private_files = vec![
        folder.join("vault").join(&document.sha256),
        root.join("session.token"),
    ];
    for db in [root.join("app.db"), folder.join("business.db")] {
        for suffix in ["", "-wal", "-shm"] {
            private_files.push(format!("{}{suffix}", db.display()).into());
        }
    }
    for path in &private_files {
        assert_eq!(mode(path), 0o600, "{}", path.display());
    }
}
