//! The store on real files in a temporary folder: what survives a reopen, how schema
//! versions are guarded, how a damaged business stays isolated, the catalogues in use
//! and how a business is named.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::Path;

use rusqlite::Connection;
use ventanilla_core::banks::{Bank, BankCatalogue};
use ventanilla_core::checklist::Catalogue;
use ventanilla_core::{Field, Locale, RegistrationDraft};
use ventanilla_store::{Health, Library, StoreError, Summary};

fn draft(rfc: &str, name: &str) -> RegistrationDraft {
    let mut draft = RegistrationDraft::default();
    draft.set(Field::Rfc, rfc.into());
    draft.set(Field::Name, name.into());
    draft
}

fn business_db(root: &Path, id: &str) -> std::path::PathBuf {
    root.join("businesses").join(id).join("business.db")
}

fn user_version(path: &Path) -> i64 {
    Connection::open(path)
        .unwrap()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap()
}

#[test]
fn a_new_folder_is_migrated_from_empty() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(dir.path()).unwrap();
    let id = library.create_business(&draft("", "")).unwrap();
    drop(library);
    assert!(user_version(&dir.path().join("app.db")) >= 1);
    assert!(user_version(&business_db(dir.path(), &id)) >= 1);
    let journal: String = Connection::open(dir.path().join("app.db"))
        .unwrap()
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(journal, "wal");
}

#[test]
fn reopening_keeps_every_field_and_representative() {
    let dir = tempfile::tempdir().unwrap();
    let id = {
        let library = Library::open(dir.path()).unwrap();
        let id = library
            .create_business(&draft("EKU9003173C9", "Escuela Kemper Urgate"))
            .unwrap();
        let business = library.open_business(&id).unwrap();
        business
            .set_field(Field::Street, "Av. Cuauhtémoc 🌮")
            .unwrap();
        business.set_field(Field::PostalCode, "03100").unwrap();
        let long = "x".repeat(10_000);
        business.set_field(Field::Activity, &long).unwrap();
        let mut first = business.add_representative().unwrap();
        first.name = "María Peña".into();
        business.update_representative(&first).unwrap();
        business.add_representative().unwrap();
        id
    };
    let library = Library::open(dir.path()).unwrap();
    let draft = library.open_business(&id).unwrap().load_draft().unwrap();
    assert_eq!(draft.name, "Escuela Kemper Urgate");
    assert_eq!(draft.street, "Av. Cuauhtémoc 🌮");
    assert_eq!(draft.postal_code, "03100");
    assert_eq!(draft.activity.chars().count(), 10_000);
    assert_eq!(draft.representatives.len(), 2);
    assert_eq!(draft.representatives[0].name, "María Peña");
    let listed = library.list_businesses("").unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].summary.rfc, "EKU9003173C9");
}

#[test]
fn search_ignores_case_and_accents_and_matches_rfc_pieces() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(dir.path()).unwrap();
    library
        .create_business(&draft("EKU9003173C9", "Tortillería La Única"))
        .unwrap();
    library
        .create_business(&draft("", "Papelería 100%"))
        .unwrap();
    let names = |q: &str| -> Vec<String> {
        library
            .list_businesses(q)
            .unwrap()
            .into_iter()
            .map(|e| e.summary.name)
            .collect()
    };
    assert_eq!(names("TORTILLERIA"), ["Tortillería La Única"]);
    assert_eq!(names("eku900"), ["Tortillería La Única"]);
    assert_eq!(names("100%"), ["Papelería 100%"]);
    assert_eq!(names("%"), ["Papelería 100%"]);
    assert_eq!(names("").len(), 2);
    assert!(names("ferretería").is_empty());
}

#[test]
fn a_database_from_a_newer_version_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let id = Library::open(dir.path())
        .unwrap()
        .create_business(&draft("", "Nueva"))
        .unwrap();
    let path = business_db(dir.path(), &id);
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let library = Library::open(dir.path()).unwrap();
    match library.open_business(&id) {
        Err(StoreError::NewerSchema { found: 99, .. }) => {}
        other => panic!("expected NewerSchema, got {:?}", other.err()),
    }
    assert_eq!(
        user_version(&path),
        99,
        "the newer file must not be migrated"
    );

    Connection::open(dir.path().join("app.db"))
        .unwrap()
        .pragma_update(None, "user_version", 42)
        .unwrap();
    drop(library);
    let refused = Library::open(dir.path()).err().unwrap();
    assert_eq!(refused.code(), "newer_version");
}

#[test]
fn a_damaged_business_is_isolated_from_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(dir.path()).unwrap();
    let good = library.create_business(&draft("", "Sana")).unwrap();
    let bad = library.create_business(&draft("", "Dañada")).unwrap();
    let gone = library.create_business(&draft("", "Borrada")).unwrap();
    drop(library);
    fs::write(
        business_db(dir.path(), &bad),
        b"this is not a database at all, sorry",
    )
    .unwrap();
    fs::remove_file(business_db(dir.path(), &gone)).unwrap();

    let library = Library::open(dir.path()).unwrap();
    let health = |id: &str| {
        library
            .list_businesses("")
            .unwrap()
            .into_iter()
            .find(|e| e.id == id)
            .unwrap()
            .health
    };
    assert!(matches!(health(&bad), Health::Damaged(_)));
    assert!(matches!(health(&gone), Health::Damaged(_)));
    assert_eq!(health(&good), Health::Ok);
    assert_eq!(library.open_business(&bad).err().unwrap().code(), "damaged");
    assert_eq!(
        library.open_business(&gone).err().unwrap().code(),
        "damaged"
    );
    assert!(
        !business_db(dir.path(), &gone).exists(),
        "a missing file is not recreated empty"
    );
    let sane = library.open_business(&good).unwrap();
    sane.set_field(Field::Email, "hola@sana.mx").unwrap();
    assert_eq!(sane.load_draft().unwrap().email, "hola@sana.mx");

    library.delete_business(&bad).unwrap();
    assert!(!dir.path().join("businesses").join(&bad).exists());
    assert_eq!(library.list_businesses("").unwrap().len(), 2);
}

#[test]
fn corruption_inside_a_valid_header_is_caught_when_opened() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(dir.path()).unwrap();
    let id = library.create_business(&draft("", "Rota")).unwrap();
    let business = library.open_business(&id).unwrap();
    for i in 0..200 {
        business
            .set_field(
                Field::Activity,
                &format!("actividad {i} {}", "y".repeat(3000)),
            )
            .unwrap();
    }
    drop(business);
    drop(library);
    let path = business_db(dir.path(), &id);
    // Keep the header, scribble over the pages behind it.
    let mut bytes = fs::read(&path).unwrap();
    for byte in bytes.iter_mut().skip(100) {
        *byte = 0xA5;
    }
    fs::write(&path, bytes).unwrap();
    let _ = fs::remove_file(path.with_extension("db-wal"));
    let library = Library::open(dir.path()).unwrap();
    assert_eq!(library.open_business(&id).err().unwrap().code(), "damaged");
    assert!(matches!(
        library.list_businesses("").unwrap()[0].health,
        Health::Damaged(_)
    ));
}

#[test]
fn a_data_folder_that_cannot_be_created_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-folder");
    fs::write(&file, b"").unwrap();
    let error = Library::open(&file).err().unwrap();
    assert_eq!(error.code(), "data_dir_unwritable");
    assert!(error
        .message(ventanilla_core::Locale::Es)
        .contains("not-a-folder"));
}

#[test]
fn representatives_can_be_removed_and_unknown_ones_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(dir.path()).unwrap();
    let id = library.create_business(&draft("", "")).unwrap();
    let business = library.open_business(&id).unwrap();
    let one = business.add_representative().unwrap();
    let two = business.add_representative().unwrap();
    business.remove_representative(&one.id).unwrap();
    let left = business.load_draft().unwrap().representatives;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].id, two.id);
    assert_eq!(
        business
            .remove_representative(&one.id)
            .err()
            .unwrap()
            .code(),
        "unknown_representative"
    );
    assert_eq!(
        library.open_business("nope").err().unwrap().code(),
        "unknown_business"
    );
}

#[test]
fn a_damaged_index_is_set_aside_and_rebuilt_from_the_businesses() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(dir.path()).unwrap();
    let kept = library
        .create_business(&draft("EKU9003173C9", "Escuela Kemper Urgate"))
        .unwrap();
    let broken = library.create_business(&draft("", "Rota")).unwrap();
    drop(library);
    fs::write(dir.path().join("app.db"), b"garbage, not an index").unwrap();
    let _ = fs::remove_file(dir.path().join("app.db-wal"));
    fs::write(business_db(dir.path(), &broken), b"also garbage").unwrap();

    let library = Library::open(dir.path()).unwrap();
    let listed = library.list_businesses("").unwrap();
    assert_eq!(listed.len(), 2);
    let entry = listed.iter().find(|e| e.id == kept).unwrap();
    assert_eq!(entry.summary.name, "Escuela Kemper Urgate");
    assert_eq!(entry.summary.rfc, "EKU9003173C9");
    assert_eq!(entry.health, Health::Ok);
    let rotten = listed.iter().find(|e| e.id == broken).unwrap();
    assert!(matches!(rotten.health, Health::Damaged(_)));
    let set_aside = fs::read_dir(dir.path()).unwrap().flatten().any(|e| {
        e.file_name()
            .to_string_lossy()
            .starts_with("app.db.damaged-")
    });
    assert!(set_aside, "the damaged index is kept beside the new one");
}

#[test]
fn an_empty_business_file_is_damage_not_a_fresh_business() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(dir.path()).unwrap();
    let emptied = library
        .create_business(&draft("EKU9003173C9", "Vaciada"))
        .unwrap();
    drop(library);
    // As a full disk or a copy cut short leaves it.
    let path = business_db(dir.path(), &emptied);
    fs::write(&path, b"").unwrap();
    for suffix in ["-wal", "-shm"] {
        let _ = fs::remove_file(format!("{}{suffix}", path.display()));
    }

    let library = Library::open(dir.path()).unwrap();
    let refused = library.open_business(&emptied).err().unwrap();
    assert_eq!(refused.code(), "damaged");
    assert_eq!(
        fs::metadata(&path).unwrap().len(),
        0,
        "no schema written over it"
    );
    let entry = library.list_businesses("").unwrap().pop().unwrap();
    assert!(
        matches!(entry.health, Health::Damaged(_)),
        "{:?}",
        entry.health
    );
    assert_eq!(entry.summary.name, "Vaciada", "still listed, by its name");
}

#[test]
fn an_empty_or_missing_index_is_rebuilt_from_the_businesses() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(dir.path()).unwrap();
    let kept = library
        .create_business(&draft("EKU9003173C9", "Escuela Kemper Urgate"))
        .unwrap();
    drop(library);
    let app_db = dir.path().join("app.db");
    let remove_journals = || {
        for suffix in ["-wal", "-shm"] {
            let _ = fs::remove_file(format!("{}{suffix}", app_db.display()));
        }
    };
    for lose in ["emptied", "removed"] {
        if lose == "emptied" {
            fs::write(&app_db, b"").unwrap();
        } else {
            fs::remove_file(&app_db).unwrap();
        }
        remove_journals();
        let library = Library::open(dir.path()).unwrap();
        let listed = library.list_businesses("").unwrap();
        assert_eq!(listed.len(), 1, "{lose}");
        assert_eq!(listed[0].id, kept);
        assert_eq!(listed[0].summary.name, "Escuela Kemper Urgate");
        assert_eq!(listed[0].health, Health::Ok);
        assert_eq!(listed[0].unsent, Some(0), "its outbox counted again");
        drop(library);
    }
    let set_aside = fs::read_dir(dir.path()).unwrap().flatten().any(|e| {
        e.file_name()
            .to_string_lossy()
            .starts_with("app.db.damaged-")
    });
    assert!(set_aside, "the emptied index is kept, like a damaged one");
}

#[test]
fn the_catalogue_in_use_is_the_last_valid_one_received() {
    let dir = tempfile::tempdir().unwrap();
    let shipped = Catalogue::default_catalogue();
    let library = Library::open(dir.path()).unwrap();
    assert_eq!(library.catalogue().unwrap(), shipped);

    let mut received = shipped.clone();
    received.version = "2026-01".into();
    received.requirements.truncate(3);
    let json = serde_json::to_string(&received).unwrap();
    assert_eq!(library.replace_catalogue(&json).unwrap(), received);

    let no_version = json.replace("\"2026-01\"", "\"\"");
    for refused in ["", "{", "<html>503</html>", &no_version] {
        let error = library.replace_catalogue(refused).unwrap_err();
        assert_eq!(error.code(), "catalogue_refused", "{refused}");
        assert_ne!(error.message(Locale::Es), error.message(Locale::En));
        assert_eq!(library.catalogue().unwrap(), received);
    }

    // The server may go back to an earlier catalogue to withdraw a mistaken rule.
    let mut earlier = shipped.clone();
    earlier.version = "2025-01".into();
    let earlier_json = serde_json::to_string(&earlier).unwrap();
    library.replace_catalogue(&earlier_json).unwrap();
    drop(library);
    let library = Library::open(dir.path()).unwrap();
    assert_eq!(library.catalogue().unwrap(), earlier);

    // One stored by a newer build that this one cannot read gives way to the shipped one.
    let newer = earlier_json.replace("[\"pdf\"]", "[\"pdf\",\"docx\"]");
    Connection::open(dir.path().join("app.db"))
        .unwrap()
        .execute("UPDATE catalogue SET json = ?1", [newer])
        .unwrap();
    assert_eq!(library.catalogue().unwrap(), shipped);
}

#[test]
fn the_bank_catalogue_in_use_is_the_last_valid_one_received() {
    let dir = tempfile::tempdir().unwrap();
    let shipped = BankCatalogue::default_catalogue();
    let library = Library::open(dir.path()).unwrap();
    assert_eq!(library.banks().unwrap(), shipped);

    let mut received = shipped.clone();
    received.version = "spei-2027-01".into();
    received.banks.push(Bank {
        code: "999".into(),
        name: "Banco Nuevo".into(),
        note: None,
    });
    let json = serde_json::to_string(&received).unwrap();
    assert_eq!(library.replace_banks(&json).unwrap(), received);

    let repeated = json.replace("\"999\"", "\"002\"");
    for refused in ["", "{", "<html>503</html>", &repeated] {
        let error = library.replace_banks(refused).unwrap_err();
        assert_eq!(error.code(), "bank_catalogue_refused", "{refused}");
        assert_ne!(error.message(Locale::Es), error.message(Locale::En));
        assert_eq!(library.banks().unwrap(), received);
    }
    drop(library);
    let library = Library::open(dir.path()).unwrap();
    assert_eq!(library.banks().unwrap(), received, "kept in app.db");

    // One stored by a newer build that this one cannot read gives way to the shipped one.
    Connection::open(dir.path().join("app.db"))
        .unwrap()
        .execute("UPDATE bank_catalogue SET json = '{\"banks\": 7}'", [])
        .unwrap();
    assert_eq!(library.banks().unwrap(), shipped);
}

#[test]
fn a_business_is_found_by_its_id_or_an_rfc_only_it_has() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(dir.path()).unwrap();
    let kemper = library
        .create_business(&draft("EKU9003173C9", "Escuela Kemper Urgate"))
        .unwrap();
    let twins = ["Uno", "Dos"].map(|name| {
        library
            .create_business(&draft("ABC850101AB1", name))
            .unwrap()
    });
    library.create_business(&draft("", "Sin RFC")).unwrap();

    let cases = [
        (kemper.as_str(), Ok(kemper.as_str())),
        (twins[1].as_str(), Ok(twins[1].as_str())),
        (" eku-900317-3c9 ", Ok(kemper.as_str())),
        ("ABC850101AB1", Err("ambiguous_business")),
        ("XYZ", Err("unknown_business")),
        ("", Err("unknown_business")),
    ];
    for (key, expected) in cases {
        let found = library.resolve_business(key);
        let found = found.as_deref().map_err(StoreError::code);
        assert_eq!(found, expected, "{key:?}");
    }
    let ambiguous = library.resolve_business("abc850101ab1").unwrap_err();
    assert!(matches!(
        &ambiguous,
        StoreError::AmbiguousBusiness { key, count: 2 } if key == "ABC850101AB1"
    ));
    assert!(ambiguous.message(Locale::Es).contains("ABC850101AB1"));
}

#[test]
fn databases_from_before_the_vault_gain_its_tables_and_keep_their_data() {
    let dir = tempfile::tempdir().unwrap();
    let id = Library::open(dir.path())
        .unwrap()
        .create_business(&draft("EKU9003173C9", "Escuela Kemper Urgate"))
        .unwrap();
    // Back to the first schema of each file, as the previous release left them.
    let downgrades = [
        (
            dir.path().join("app.db"),
            "DROP TABLE appointment; DROP TABLE bank_catalogue; DROP TABLE tender_json; DROP TABLE tender; DROP TABLE catalogue; ALTER TABLE business DROP COLUMN next_expiry; ALTER TABLE business DROP COLUMN unsent; ALTER TABLE business DROP COLUMN fiel_not_after; DROP TABLE enquiry_seen; ALTER TABLE business DROP COLUMN won; DROP TABLE fit_notice; ALTER TABLE business DROP COLUMN scian; ALTER TABLE business DROP COLUMN offer; ALTER TABLE business DROP COLUMN fit_count; ALTER TABLE business DROP COLUMN fit_top; ALTER TABLE business DROP COLUMN fit_until; DROP TABLE locked_day_facts; ALTER TABLE business DROP COLUMN locked_label;",
        ),
        (
            business_db(dir.path(), &id),
            "DROP TABLE review_status; DROP TABLE upload; DROP TABLE receipt;
             DROP TABLE outbox; DROP TABLE submission_document; DROP TABLE submission;
             DROP TABLE document;",
        ),
        (
            business_db(dir.path(), &id),
            "DROP TABLE activity; DROP TABLE fiel; DROP TABLE bid_annex; DROP TABLE bid_field; DROP TABLE bid;",
        ),
    ];
    for (path, sql) in &downgrades {
        let conn = Connection::open(path).unwrap();
        conn.execute_batch(sql).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
    }
    let library = Library::open(dir.path()).unwrap();
    assert_eq!(library.catalogue().unwrap(), Catalogue::default_catalogue());
    assert_eq!(library.banks().unwrap(), BankCatalogue::default_catalogue());
    let listed = library.list_businesses("").unwrap();
    assert_eq!(listed[0].summary.name, "Escuela Kemper Urgate");
    assert_eq!(listed[0].next_expiry, None);
    let business = library.open_business(&id).unwrap();
    assert_eq!(business.load_draft().unwrap().name, "Escuela Kemper Urgate");
    assert!(business.documents().unwrap().is_empty());
    assert!(business.bids().unwrap().is_empty());
    for (path, _) in &downgrades {
        assert!(user_version(path) >= 2, "{}", path.display());
    }
}

#[test]
fn an_index_from_before_para_ti_learns_each_business_activity_from_its_draft() {
    let dir = tempfile::tempdir().unwrap();
    let mut typed = draft("EKU9003173C9", "Papelería Kemper");
    typed.scian = " 465311 ".into();
    typed.activity = "Papelería y tóner".into();
    let id = Library::open(dir.path())
        .unwrap()
        .create_business(&typed)
        .unwrap();
    let conn = Connection::open(dir.path().join("app.db")).unwrap();
    conn.execute_batch(
        "DROP TABLE appointment;
         DROP TABLE locked_day_facts; ALTER TABLE business DROP COLUMN locked_label;
         DROP TABLE fit_notice; ALTER TABLE business DROP COLUMN scian;
         ALTER TABLE business DROP COLUMN offer; ALTER TABLE business DROP COLUMN fit_count;
         ALTER TABLE business DROP COLUMN fit_top; ALTER TABLE business DROP COLUMN fit_until;",
    )
    .unwrap();
    conn.pragma_update(None, "user_version", 7).unwrap();
    drop(conn);

    let library = Library::open(dir.path()).unwrap();
    let activities = library.activities().unwrap();
    assert_eq!(activities.len(), 1);
    assert_eq!(activities[0].id, id);
    assert_eq!(
        (activities[0].scian.as_str(), activities[0].offer.as_str()),
        ("465311", "Papelería y tóner")
    );
    let now = chrono::Utc::now();
    assert!(
        library.fits_stale(now).unwrap(),
        "its fits are to be counted"
    );
    library
        .record_fits(&[(id.clone(), Default::default())], now)
        .unwrap();
    assert!(!library.fits_stale(now).unwrap());
    // A change of what it offers asks for a count again; of its name, not.
    typed.name = "Papelería Kemper Urgate".into();
    let summary = |d: &RegistrationDraft| {
        Summary::of(
            d,
            &ventanilla_core::registration::review(d, &library.banks().unwrap()),
        )
    };
    library.record_summary(&id, &summary(&typed)).unwrap();
    assert!(!library.fits_stale(now).unwrap());
    typed.activity = "Papelería, tóner y uniformes".into();
    library.record_summary(&id, &summary(&typed)).unwrap();
    assert!(library.fits_stale(now).unwrap());
}

#[test]
fn the_next_expiry_is_indexed_without_moving_the_business_in_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(dir.path()).unwrap();
    let first = library.create_business(&draft("", "Primero")).unwrap();
    library.create_business(&draft("", "Segundo")).unwrap();
    let listed = |library: &Library| -> Vec<(String, Option<chrono::NaiveDate>)> {
        library
            .list_businesses("")
            .unwrap()
            .into_iter()
            .map(|e| (e.id, e.next_expiry))
            .collect()
    };
    let before = listed(&library);
    assert!(before.iter().all(|(_, expiry)| expiry.is_none()));
    let day = chrono::NaiveDate::from_ymd_opt(2025, 7, 10);
    library.record_next_expiry(&first, day).unwrap();
    let expected: Vec<_> = before
        .iter()
        .map(|(id, _)| (id.clone(), if *id == first { day } else { None }))
        .collect();
    assert_eq!(listed(&library), expected);
    library.record_next_expiry(&first, None).unwrap();
    assert_eq!(listed(&library), before);
    let unknown = library.record_next_expiry("nope", day).unwrap_err();
    assert_eq!(unknown.code(), "unknown_business");
}
