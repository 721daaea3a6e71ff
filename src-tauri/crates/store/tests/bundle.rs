//! A business's file (`.ventanilla`) on real folders: a business with documents and a
//! queued registration handed from one data folder to another comes back the same;
//! every bad file (too short a passphrase, a wrong one, cut, altered, of a newer
//! format, not ours) is refused with nothing imported; a business already here is
//! kept beside or replaced only when the file is newer.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use ventanilla_core::Field;
use ventanilla_store::{Conflict, Library, StoreError};

const PASSPHRASE: &str = "nopal con queso 2026";

/// Every file under `folder` (the database aside) by its path, with its SHA-256.
fn vault_hashes(folder: &Path) -> BTreeMap<String, String> {
    let vault = folder.join("vault");
    fs::read_dir(&vault)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (
                name,
                format!("{:x}", Sha256::digest(fs::read(e.path()).unwrap())),
            )
        })
        .collect()
}

/// Whatever the data folder holds besides `app.db` and `businesses/`: work folders
/// an import or export must not leave behind.
fn leftovers(root: &Path) -> Vec<String> {
    fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("app.db") && n != "businesses")
        .collect()
}

struct Handover {
    dir: tempfile::TempDir,
    from: Library,
    id: String,
    file: PathBuf,
}

/// A complete business with a queued registration, exported.
fn handover() -> Handover {
    let dir = tempfile::tempdir().unwrap();
    let (from, id, _) = ventanilla_testkit::queued_registration(dir.path(), 3, 20_000);
    let file = dir.path().join("papeleria.ventanilla");
    let exported = from.export_bundle(&id, &file, PASSPHRASE).unwrap();
    assert!(exported.files > 1, "the database and the documents");
    Handover {
        dir,
        from,
        id,
        file,
    }
}

impl Handover {
    fn folder(&self, library: &Library, id: &str) -> PathBuf {
        library.root().join("businesses").join(id)
    }

    fn second_library(&self) -> Library {
        Library::open(self.dir.path().join("owner")).unwrap()
    }

    fn refused(&self, file: &Path, passphrase: &str) -> StoreError {
        let to = self.second_library();
        let error = to.import_bundle(file, passphrase, None).unwrap_err();
        assert!(
            to.list_businesses("").unwrap().is_empty(),
            "nothing imported"
        );
        assert_eq!(leftovers(to.root()), Vec::<String>::new());
        assert_eq!(
            fs::read_dir(to.root().join("businesses")).unwrap().count(),
            0
        );
        error
    }

    fn damaged_copy(&self, change: impl FnOnce(&mut Vec<u8>)) -> PathBuf {
        let mut bytes = fs::read(&self.file).unwrap();
        change(&mut bytes);
        let path = self
            .dir
            .path()
            .join(format!("bad-{}.ventanilla", uuid_like(&bytes)));
        fs::write(&path, bytes).unwrap();
        path
    }
}

fn uuid_like(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))[..12].to_owned()
}

#[test]
fn a_business_handed_over_comes_back_the_same_on_another_data_folder() {
    let h = handover();
    let to = h.second_library();
    let imported = to.import_bundle(&h.file, PASSPHRASE, None).unwrap();
    assert_eq!(imported.id, h.id, "the same business, under its own id");
    assert!(!imported.replaced);

    let (a, b) = (
        h.from.open_business(&h.id).unwrap(),
        to.open_business(&h.id).unwrap(),
    );
    assert_eq!(a.load_draft().unwrap(), b.load_draft().unwrap());
    assert_eq!(a.documents().unwrap(), b.documents().unwrap());
    assert_eq!(a.outbox().unwrap(), b.outbox().unwrap());
    let hashes = vault_hashes(&h.folder(&h.from, &h.id));
    assert!(!hashes.is_empty());
    assert_eq!(hashes, vault_hashes(&h.folder(&to, &h.id)));
    // Every vault file is still named by its content.
    assert!(hashes.iter().all(|(name, hash)| name == hash));

    let listed = to.list_businesses("").unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        listed[0].summary,
        h.from.list_businesses("").unwrap()[0].summary
    );
    assert_eq!(
        listed[0].unsent,
        Some(1),
        "the queued registration came along"
    );
    assert_eq!(leftovers(to.root()), Vec::<String>::new());
    assert_eq!(leftovers(h.from.root()), Vec::<String>::new());
}

#[test]
fn the_file_is_not_readable_without_the_passphrase() {
    let h = handover();
    let bytes = fs::read(&h.file).unwrap();
    let rfc = ventanilla_testkit::rfc_for(3);
    let found = bytes.windows(rfc.len()).any(|w| w == rfc.as_bytes());
    assert!(!found, "the RFC is not in the clear");
    assert!(bytes.starts_with(b"VENTANILLA-EXPEDIENTE 1\n"));
}

#[test]
fn a_passphrase_shorter_than_eight_characters_is_refused_and_nothing_is_written() {
    let h = handover();
    let out = h.dir.path().join("corto.ventanilla");
    let error = h.from.export_bundle(&h.id, &out, "nopal12").unwrap_err();
    assert!(
        matches!(error, StoreError::PassphraseTooShort { min: 8 }),
        "{error:?}"
    );
    assert!(error
        .message(ventanilla_core::Locale::Es)
        .contains("al menos 8 caracteres"));
    assert!(!out.exists());
    // Eight characters, accents counted as one each, are enough.
    h.from.export_bundle(&h.id, &out, "ñandú ok").unwrap();
}

#[test]
fn a_wrong_passphrase_imports_nothing_and_says_so_without_a_hint() {
    let h = handover();
    let error = h.refused(&h.file, "otra contraseña");
    assert!(
        matches!(error, StoreError::BundleWrongPassphrase),
        "{error:?}"
    );
    let message = error.message(ventanilla_core::Locale::Es);
    assert!(message.contains("La contraseña no abre este expediente"));
    assert!(!message.contains(&ventanilla_testkit::rfc_for(3)));
}

#[test]
fn a_cut_or_altered_file_imports_nothing() {
    let h = handover();
    let len = fs::metadata(&h.file).unwrap().len() as usize;
    for (what, file) in [
        ("cut in half", h.damaged_copy(|b| b.truncate(len / 2))),
        (
            "its last bytes cut",
            h.damaged_copy(|b| b.truncate(len - 10)),
        ),
        ("a byte changed", h.damaged_copy(|b| b[len / 2] ^= 0x01)),
        (
            "bytes added",
            h.damaged_copy(|b| b.extend_from_slice(b"extra")),
        ),
    ] {
        let error = h.refused(&file, PASSPHRASE);
        assert!(
            matches!(error, StoreError::BundleDamaged { .. }),
            "{what}: {error:?}"
        );
    }
}

#[test]
fn a_file_of_a_newer_format_or_not_ours_is_refused_before_any_passphrase() {
    let h = handover();
    let newer = h.damaged_copy(|b| b[22] = b'2');
    let error = h.refused(&newer, "");
    assert!(
        matches!(error, StoreError::BundleNewer { found: 2 }),
        "{error:?}"
    );
    assert!(error
        .message(ventanilla_core::Locale::Es)
        .contains("versión más nueva"));

    let pdf = h.dir.path().join("files").join("acta.pdf");
    fs::write(&pdf, ventanilla_testkit::fixtures::one_page_pdf(1, 10)).unwrap();
    let error = h.refused(&pdf, PASSPHRASE);
    assert!(
        matches!(error, StoreError::BundleNotOurs { .. }),
        "{error:?}"
    );
}

#[test]
fn a_business_already_here_is_kept_beside_or_replaced_only_by_a_newer_file() {
    let h = handover();
    let to = h.second_library();
    to.import_bundle(&h.file, PASSPHRASE, None).unwrap();

    let error = to.import_bundle(&h.file, PASSPHRASE, None).unwrap_err();
    assert!(
        matches!(&error, StoreError::BundleExists { id, .. } if *id == h.id),
        "{error:?}"
    );
    let error = to
        .import_bundle(&h.file, PASSPHRASE, Some(Conflict::Replace))
        .unwrap_err();
    assert!(
        matches!(error, StoreError::BundleOlder { .. }),
        "the same age: {error:?}"
    );
    assert_eq!(to.list_businesses("").unwrap().len(), 1, "nothing changed");

    let both = to
        .import_bundle(&h.file, PASSPHRASE, Some(Conflict::KeepBoth))
        .unwrap();
    assert_ne!(both.id, h.id);
    assert_eq!(to.list_businesses("").unwrap().len(), 2);
    to.delete_business(&both.id).unwrap();

    // The owner edits at home and hands the business back: it is newer.
    std::thread::sleep(std::time::Duration::from_millis(5));
    let home = to.open_business(&h.id).unwrap();
    home.set_field(Field::Phone, "5556781234").unwrap();
    let back = h.dir.path().join("de-regreso.ventanilla");
    to.export_bundle(&h.id, &back, PASSPHRASE).unwrap();
    let replaced = h
        .from
        .import_bundle(&back, PASSPHRASE, Some(Conflict::Replace))
        .unwrap();
    assert!(replaced.replaced);
    assert_eq!(replaced.id, h.id);
    assert_eq!(
        h.from.open_business(&h.id).unwrap().load_draft().unwrap(),
        home.load_draft().unwrap()
    );
    assert_eq!(h.from.list_businesses("").unwrap().len(), 1);
    assert_eq!(leftovers(h.from.root()), Vec::<String>::new());
}
