//! Locked businesses on real folders: once locked, no byte under the data folder (the
//! databases, their write-ahead logs and journals, the vault, work files) holds the
//! business's RFC, bank account, street, e-mail or the words inside its documents;
//! unlocked with its passphrase everything is there again, edits and new documents
//! included; changing the passphrase rewrites only the key slot; its file
//! (`.ventanilla`) carries it locked to another computer.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::Utc;
use ventanilla_core::checklist::{mexico_city_today, Catalogue};
use ventanilla_core::Field;
use ventanilla_store::{Conflict, Integrity, Library, StoreError};
use ventanilla_testkit::{fixtures, rfc_for};

const PASSPHRASE: &str = "tamales de rajas 1987";
const LABEL: &str = "Cita de las 10";
const MARKER: &str = "MARCADOR-DEL-ACTA-7731";
const LATER_MARKER: &str = "MARCADOR-DEL-PODER-0420";
const STREET: &str = "Calle Dr. Vértiz";
const CLABE: &str = "012180001234567899";
const EMAIL: &str = "proveedores@ejemplo.mx";

/// Every file under `root`, however deep, with its bytes.
fn every_file(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files.push((path.clone(), fs::read(&path).unwrap()));
            }
        }
    }
    files
}

/// The files under `root` in which `needle` appears.
fn found_in(root: &Path, needle: &str) -> Vec<PathBuf> {
    every_file(root)
        .into_iter()
        .filter(|(_, bytes)| bytes.windows(needle.len()).any(|w| w == needle.as_bytes()))
        .map(|(path, _)| path)
        .collect()
}

fn pdf_with(marker: &str) -> Vec<u8> {
    let stream = format!(
        "<< /Length {} >>\nstream\n{marker}\nendstream",
        marker.len()
    );
    fixtures::pdf(
        &[
            fixtures::CATALOG,
            fixtures::ONE_PAGE,
            fixtures::PAGE,
            &stream,
        ],
        "",
    )
}

struct Shop {
    dir: tempfile::TempDir,
    library: Library,
    id: String,
    rfc: String,
}

impl Shop {
    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Attaches a PDF holding `marker` as the business's `code` document.
    fn attach(&self, code: &str, marker: &str) {
        let path = self.dir.path().join(format!("{code}.pdf"));
        fs::write(&path, pdf_with(marker)).unwrap();
        let catalogue = Catalogue::default_catalogue();
        let requirement = catalogue.requirement(code).unwrap();
        let representative = requirement.per_representative.then_some("r1");
        let today = mexico_city_today(Utc::now());
        self.library
            .open_business(&self.id)
            .unwrap()
            .attach(
                &path,
                requirement,
                representative,
                Some(today),
                None,
                &mut |_, _| true,
            )
            .unwrap();
    }

    /// What the data folder gives away of the business: each secret and where.
    fn exposed(&self, secrets: &[&str]) -> BTreeMap<String, Vec<PathBuf>> {
        secrets
            .iter()
            .map(|s| (s.to_string(), found_in(&self.data(), s)))
            .filter(|(_, found)| !found.is_empty())
            .collect()
    }

    fn secrets(&self) -> Vec<&str> {
        vec![&self.rfc, CLABE, STREET, EMAIL, MARKER]
    }
}

/// A complete business whose street is [`STREET`], with its articles of incorporation
/// (ACTA) a PDF holding [`MARKER`], and a queued registration.
fn shop() -> Shop {
    let dir = tempfile::tempdir().unwrap();
    let (library, id, _) = ventanilla_testkit::queued_registration(dir.path(), 11, 5_000);
    let rfc = rfc_for(11);
    let shop = Shop {
        dir,
        library,
        id,
        rfc,
    };
    let business = shop.library.open_business(&shop.id).unwrap();
    business.set_field(Field::Street, STREET).unwrap();
    drop(business);
    shop.attach("ACTA", MARKER);
    // The home screen's summary names the business too.
    let draft = shop
        .library
        .open_business(&shop.id)
        .unwrap()
        .load_draft()
        .unwrap();
    let review = ventanilla_core::registration::review(&draft, &shop.library.banks().unwrap());
    shop.library
        .record_summary(&shop.id, &ventanilla_store::Summary::of(&draft, &review))
        .unwrap();
    shop
}

#[test]
fn a_locked_business_leaves_nothing_readable_on_disk_and_opens_whole_with_its_passphrase() {
    let shop = shop();
    assert_eq!(
        shop.exposed(&shop.secrets()).len(),
        shop.secrets().len(),
        "before the lock every secret is on disk, so the search can find them"
    );
    let before = shop
        .library
        .open_business(&shop.id)
        .unwrap()
        .load_draft()
        .unwrap();

    shop.library
        .lock_business(&shop.id, PASSPHRASE, LABEL)
        .unwrap();
    // Locked and still open for whoever locked it: an edit and a new document.
    let business = shop.library.open_business(&shop.id).unwrap();
    business.set_field(Field::Phone, "55 1234 9876").unwrap();
    drop(business);
    shop.attach("PODER", LATER_MARKER);
    assert_eq!(
        shop.library.unlocked_businesses(),
        std::slice::from_ref(&shop.id)
    );
    shop.library.lock_again(None);
    assert!(shop.library.unlocked_businesses().is_empty());

    let mut secrets = shop.secrets();
    secrets.extend(["1234 9876", LATER_MARKER]);
    assert_eq!(shop.exposed(&secrets), BTreeMap::new());

    // Another program (the CLI, the app started again) sees only the label.
    let other = Library::open(shop.data()).unwrap();
    let entry = &other.list_businesses("").unwrap()[0];
    assert!(entry.locked);
    assert_eq!(
        (entry.summary.name.as_str(), entry.summary.rfc.as_str()),
        (LABEL, "")
    );
    assert!(other.list_businesses(&shop.rfc).unwrap().is_empty());
    assert_eq!(other.resolve_business("cita de las 10").unwrap(), shop.id);
    match other.open_business(&shop.id) {
        Err(StoreError::Locked { label, .. }) => assert_eq!(label, LABEL),
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("a locked business opened without its passphrase"),
    }
    assert!(matches!(
        other.unlock_business(&shop.id, "tamales de rajas 1988"),
        Err(StoreError::WrongPassphrase)
    ));
    assert!(matches!(
        other.lock_business(&shop.id, PASSPHRASE, LABEL),
        Err(StoreError::AlreadyLocked)
    ));

    other.unlock_business(&shop.id, PASSPHRASE).unwrap();
    let business = other.open_business(&shop.id).unwrap();
    let draft = business.load_draft().unwrap();
    assert_eq!(draft.phone, "55 1234 9876");
    assert_eq!(draft.rfc, before.rfc);
    assert_eq!(draft.street, STREET);
    assert_eq!(draft.clabe, before.clabe);
    assert!(business
        .verify_vault()
        .unwrap()
        .iter()
        .all(|(_, integrity)| *integrity == Integrity::Ok));
    let texts: Vec<String> = business
        .documents()
        .unwrap()
        .iter()
        .map(|d| {
            let mut text = Vec::new();
            business
                .open_document(&d.sha256)
                .unwrap()
                .read_to_end(&mut text)
                .unwrap();
            String::from_utf8_lossy(&text).into_owned()
        })
        .collect();
    assert!(texts.iter().any(|t| t.contains(MARKER)));
    assert!(texts.iter().any(|t| t.contains(LATER_MARKER)));
    assert_eq!(
        business.unsent_count().unwrap(),
        1,
        "the queued registration"
    );
    drop(business);

    // Opened for good, it is a plain business again, RFC in the index included.
    other.remove_lock(&shop.id, PASSPHRASE).unwrap();
    assert!(!other.is_locked(&shop.id));
    let entry = &other.list_businesses(&shop.rfc).unwrap()[0];
    assert_eq!(entry.summary.rfc, shop.rfc);
    assert!(!entry.locked);
    let business = other.open_business(&shop.id).unwrap();
    for document in business.documents().unwrap() {
        let plain = shop
            .data()
            .join("businesses")
            .join(&shop.id)
            .join("vault")
            .join(&document.sha256);
        assert!(plain.is_file(), "named by its hash again");
    }
    assert!(matches!(
        other.unlock_business(&shop.id, PASSPHRASE),
        Err(StoreError::NotLocked)
    ));
}

#[test]
fn changing_the_passphrase_rewrites_only_the_key_slot() {
    let shop = shop();
    shop.library
        .lock_business(&shop.id, PASSPHRASE, LABEL)
        .unwrap();
    shop.library.lock_again(None);
    let folder = shop.data().join("businesses").join(&shop.id);
    let others = |folder: &Path| -> BTreeMap<PathBuf, Vec<u8>> {
        every_file(folder)
            .into_iter()
            .filter(|(p, _)| !p.ends_with("lock.json"))
            .collect()
    };
    let before = others(&folder);
    assert!(matches!(
        shop.library
            .change_passphrase(&shop.id, PASSPHRASE, "corto"),
        Err(StoreError::PassphraseTooShort { .. })
    ));
    assert!(matches!(
        shop.library
            .change_passphrase(&shop.id, "no es la de este", "otra frase larga"),
        Err(StoreError::WrongPassphrase)
    ));
    shop.library
        .change_passphrase(&shop.id, PASSPHRASE, "otra frase larga")
        .unwrap();
    assert_eq!(others(&folder), before);
    assert!(matches!(
        shop.library.unlock_business(&shop.id, PASSPHRASE),
        Err(StoreError::WrongPassphrase)
    ));
    shop.library
        .unlock_business(&shop.id, "otra frase larga")
        .unwrap();
    assert_eq!(
        shop.library
            .open_business(&shop.id)
            .unwrap()
            .load_draft()
            .unwrap()
            .street,
        STREET
    );
}

#[test]
fn a_locked_business_travels_locked_in_its_file_and_opens_with_the_same_passphrase() {
    let shop = shop();
    shop.library
        .lock_business(&shop.id, PASSPHRASE, LABEL)
        .unwrap();
    let file = shop.dir.path().join("cita.ventanilla");
    assert!(matches!(
        shop.library
            .export_bundle(&shop.id, &file, "otra contraseña larga"),
        Err(StoreError::WrongPassphrase)
    ));
    assert!(!file.exists());
    shop.library
        .export_bundle(&shop.id, &file, PASSPHRASE)
        .unwrap();
    assert_eq!(
        found_in(
            shop.dir.path().join("cita.ventanilla").parent().unwrap(),
            MARKER
        )
        .iter()
        .filter(|p| p.ends_with("cita.ventanilla"))
        .count(),
        0
    );

    let home = Library::open(shop.dir.path().join("home")).unwrap();
    let imported = home.import_bundle(&file, PASSPHRASE, None).unwrap();
    assert_eq!(imported.id, shop.id);
    assert!(home.is_locked(&shop.id));
    assert_eq!(home.list_businesses("").unwrap()[0].summary.name, LABEL);
    assert!(found_in(&shop.dir.path().join("home"), &shop.rfc).is_empty());
    assert!(found_in(&shop.dir.path().join("home"), MARKER).is_empty());
    assert!(matches!(
        home.open_business(&shop.id),
        Err(StoreError::Locked { .. })
    ));
    home.unlock_business(&shop.id, PASSPHRASE).unwrap();
    assert_eq!(
        home.open_business(&shop.id)
            .unwrap()
            .load_draft()
            .unwrap()
            .street,
        STREET
    );

    // Kept beside the one there, the copy takes a new id and still opens.
    home.lock_again(None);
    let beside = home
        .import_bundle(&file, PASSPHRASE, Some(Conflict::KeepBoth))
        .unwrap();
    assert_ne!(beside.id, shop.id);
    home.unlock_business(&beside.id, PASSPHRASE).unwrap();
    // Erased, its keys go too.
    home.unlock_business(&shop.id, PASSPHRASE).unwrap();
    assert_eq!(home.unlocked_businesses().len(), 2);
    home.delete_business(&shop.id).unwrap();
    assert_eq!(home.unlocked_businesses(), std::slice::from_ref(&beside.id));
    assert_eq!(
        home.open_business(&beside.id)
            .unwrap()
            .load_draft()
            .unwrap()
            .rfc,
        shop.rfc
    );
}
