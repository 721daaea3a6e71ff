//! The document vault on real files in a temporary folder: content addressing checked
//! against `sha256sum`, one copy per content, clean cancels and refusals, history, and
//! the integrity check.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::slice;

use chrono::{Days, NaiveDate, Utc};
use ventanilla_core::checklist::{mexico_city_today, Catalogue, Requirement, Status};
use ventanilla_core::filecheck::{FileKind, FileProblem, PdfProblem};
use ventanilla_core::{Field, Locale, RegistrationDraft};
use ventanilla_store::{BusinessStore, Document, Integrity, Library, StoreError};

use ventanilla_testkit::fixtures::{constancia_pdf, encrypted_pdf, one_page_pdf as one_page, qpdf};

struct Fixture {
    // Kept for its lifetime: the folder is deleted when it drops.
    _dir: tempfile::TempDir,
    files: PathBuf,
    vault: PathBuf,
    business: BusinessStore,
}

/// A persona moral with one representative, in a fresh data folder.
fn fixture() -> (Fixture, String) {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(dir.path().join("data")).unwrap();
    let mut draft = RegistrationDraft::default();
    draft.set(Field::Rfc, "EKU9003173C9".into());
    draft.set(Field::Name, "Escuela Kemper Urgate".into());
    let id = library.create_business(&draft).unwrap();
    let business = library.open_business(&id).unwrap();
    let representative = business.add_representative().unwrap().id;
    let files = dir.path().join("files");
    fs::create_dir(&files).unwrap();
    let vault = dir.path().join("data/businesses").join(&id).join("vault");
    let desk = Fixture {
        _dir: dir,
        files,
        vault,
        business,
    };
    (desk, representative)
}

impl Fixture {
    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.files.join(name);
        fs::write(&path, bytes).unwrap();
        path
    }

    fn attach(&self, source: &Path, code: &str) -> Result<Document, StoreError> {
        self.attach_to(source, &requirement(code), None)
    }

    fn attach_to(
        &self,
        source: &Path,
        requirement: &Requirement,
        representative: Option<&str>,
    ) -> Result<Document, StoreError> {
        let issued = Some(today());
        let expires = Some(today() + Days::new(365));
        self.business.attach(
            source,
            requirement,
            representative,
            issued,
            expires,
            &mut |_, _| true,
        )
    }

    /// The names in the vault folder, sorted; none when it does not exist yet.
    fn vault_files(&self) -> Vec<String> {
        let mut names: Vec<String> = match fs::read_dir(&self.vault) {
            Ok(entries) => entries
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .collect(),
            Err(_) => Vec::new(),
        };
        names.sort();
        names
    }
}

fn requirement(code: &str) -> Requirement {
    Catalogue::default_catalogue()
        .requirement(code)
        .unwrap()
        .clone()
}

fn today() -> NaiveDate {
    mexico_city_today(Utc::now())
}

fn sha256sum(path: &Path) -> String {
    let output = Command::new("sha256sum").arg(path).output().unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

#[test]
fn a_stored_file_is_named_by_its_sha256() {
    let (desk, _) = fixture();
    let source = desk.file("Constancia fiscal.PDF", &one_page(1, 10_000));
    let document = desk.attach(&source, "CSF").unwrap();
    let expected = sha256sum(&source);
    assert_eq!(document.sha256, expected);
    assert_eq!(desk.vault_files(), [expected.as_str()]);
    assert_eq!(
        fs::read(desk.vault.join(&expected)).unwrap(),
        fs::read(&source).unwrap()
    );
    assert_eq!(
        (document.kind, document.size, document.pages),
        (FileKind::Pdf, fs::metadata(&source).unwrap().len(), Some(1))
    );
    assert_eq!(document.original_name, "Constancia fiscal.PDF");
    assert_eq!(document.requirement, "CSF");
    assert_eq!(desk.business.documents().unwrap(), [document]);
}

#[test]
fn the_same_file_for_two_items_is_stored_once() {
    let (desk, _) = fixture();
    let source = desk.file("scan.pdf", &one_page(2, 1_000));
    let csf = desk.attach(&source, "CSF").unwrap();
    let curriculum = desk.attach(&source, "CURRICULUM").unwrap();
    assert_eq!(csf.sha256, curriculum.sha256);
    assert_ne!(csf.id, curriculum.id);
    assert_eq!(desk.vault_files(), [csf.sha256.as_str()]);
    assert_eq!(desk.business.documents().unwrap().len(), 2);
}

#[test]
fn a_cancelled_copy_leaves_nothing_behind() {
    let (desk, _) = fixture();
    let before = desk
        .attach(&desk.file("before.pdf", &one_page(3, 100)), "CSF")
        .unwrap();
    // Four chunks or so, well under the 5 MB the requirement accepts.
    let big = desk.file("big.pdf", &one_page(4, 4 * 1024 * 1024));
    let mut heard = Vec::new();
    let result = desk.business.attach(
        &big,
        &requirement("OPINION_SAT"),
        None,
        Some(today()),
        None,
        &mut |copied, total| {
            heard.push(copied);
            copied < total / 2
        },
    );
    assert!(matches!(result, Err(StoreError::Cancelled)), "{result:?}");
    assert_eq!(result.unwrap_err().code(), "cancelled");
    assert!(heard.len() >= 2, "{heard:?}");
    assert_eq!(desk.vault_files(), [before.sha256.as_str()]);
    assert_eq!(desk.business.documents().unwrap(), [before]);
    assert!(desk
        .business
        .history("OPINION_SAT", None)
        .unwrap()
        .is_empty());
}

#[test]
fn tampered_and_deleted_files_are_reported() {
    let (desk, _) = fixture();
    let shared = desk.file("shared.pdf", &one_page(5, 100));
    let a = desk.attach(&shared, "CSF").unwrap();
    let b = desk.attach(&shared, "CURRICULUM").unwrap();
    let c = desk
        .attach(&desk.file("c.pdf", &one_page(6, 100)), "DOMICILIO")
        .unwrap();
    let d = desk
        .attach(&desk.file("d.pdf", &one_page(7, 100)), "BANCO")
        .unwrap();
    let all_ok = [&a, &b, &c, &d].map(|doc| (doc.id.clone(), Integrity::Ok));
    assert_eq!(desk.business.verify_vault().unwrap(), all_ok);

    let mut bytes = fs::read(desk.vault.join(&a.sha256)).unwrap();
    bytes[20] ^= 1;
    fs::write(desk.vault.join(&a.sha256), &bytes).unwrap();
    fs::remove_file(desk.vault.join(&c.sha256)).unwrap();
    assert_eq!(
        desk.business.verify_vault().unwrap(),
        [
            (a.id, Integrity::Altered),
            (b.id, Integrity::Altered),
            (c.id.clone(), Integrity::Missing),
            (d.id, Integrity::Ok),
        ]
    );

    // Attaching a missing file's content again puts it back.
    desk.attach(&desk.files.join("c.pdf"), "ACTA").unwrap();
    let integrity = desk.business.verify_vault().unwrap();
    assert_eq!(integrity[2], (c.id, Integrity::Ok));
}

#[test]
fn replacing_keeps_the_history_and_removing_brings_the_previous_back() {
    let (desk, representative) = fixture();
    let id_oficial = requirement("ID_OFICIAL");
    let attach = |seed| {
        let source = desk.file(&format!("ine-{seed}.pdf"), &one_page(seed, 100));
        desk.attach_to(&source, &id_oficial, Some(&representative))
            .unwrap()
    };
    let first = attach(10);
    let second = attach(11);
    let third = attach(12);
    let history = |desk: &Fixture| -> Vec<(String, Option<String>)> {
        desk.business
            .history("ID_OFICIAL", Some(&representative))
            .unwrap()
            .into_iter()
            .map(|d| (d.id, d.replaced_by))
            .collect()
    };
    assert_eq!(
        history(&desk),
        [
            (third.id.clone(), None),
            (second.id.clone(), Some(third.id.clone())),
            (first.id.clone(), Some(second.id.clone())),
        ]
    );
    // The business's own id is another item.
    assert!(desk
        .business
        .history("ID_OFICIAL", None)
        .unwrap()
        .is_empty());
    let current: Vec<String> = desk
        .business
        .documents()
        .unwrap()
        .into_iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(current, [third.id.as_str()]);
    assert_eq!(desk.vault_files().len(), 3);

    // Out of the middle: the history closes over the gap.
    desk.business.remove_document(&second.id).unwrap();
    assert_eq!(
        history(&desk),
        [
            (third.id.clone(), None),
            (first.id.clone(), Some(third.id.clone()))
        ]
    );
    // The current one: the previous document is current again.
    desk.business.remove_document(&third.id).unwrap();
    assert_eq!(history(&desk), [(first.id.clone(), None)]);
    assert_eq!(desk.vault_files(), [first.sha256.as_str()]);

    let gone = desk.business.remove_document(&third.id).unwrap_err();
    assert_eq!(gone.code(), "unknown_document");
}

#[test]
fn a_shared_file_goes_with_its_last_record() {
    let (desk, _) = fixture();
    let source = desk.file("shared.pdf", &one_page(20, 100));
    let csf = desk.attach(&source, "CSF").unwrap();
    let curriculum = desk.attach(&source, "CURRICULUM").unwrap();
    desk.business.remove_document(&csf.id).unwrap();
    assert_eq!(desk.vault_files(), [curriculum.sha256.as_str()]);
    assert_eq!(
        desk.business.documents().unwrap(),
        slice::from_ref(&curriculum)
    );
    desk.business.remove_document(&curriculum.id).unwrap();
    assert!(desk.vault_files().is_empty());
    assert!(desk.business.documents().unwrap().is_empty());
}

#[test]
fn files_the_alcaldia_could_not_open_are_refused_before_copying() {
    let (desk, _) = fixture();
    let whole = one_page(30, 100);
    let encrypted = encrypted_pdf();
    let mut small = requirement("CSF");
    small.max_bytes = 1_000;
    let pdf_problem = |problem| FileProblem::Pdf { problem };
    let cases = [
        (
            "sesion.pdf",
            b"<html><body>Tu sesion expiro</body></html>".to_vec(),
            requirement("CSF"),
            FileProblem::NotWhatItsNameSays {
                named: FileKind::Pdf,
                found: None,
            },
        ),
        (
            "protegido.pdf",
            encrypted,
            requirement("CSF"),
            pdf_problem(PdfProblem::NeedsPassword),
        ),
        (
            "con-contraseña.pdf",
            qpdf(
                &constancia_pdf(),
                &["--encrypt", "usuario", "dueño", "256", "--"],
            ),
            requirement("CSF"),
            pdf_problem(PdfProblem::NeedsPassword),
        ),
        (
            "cortado.pdf",
            whole[..whole.len() / 2].to_vec(),
            requirement("CSF"),
            pdf_problem(PdfProblem::Truncated),
        ),
        (
            "grande.pdf",
            one_page(31, 2_000),
            small,
            FileProblem::TooLarge {
                size: one_page(31, 2_000).len() as u64,
                max_bytes: 1_000,
            },
        ),
        (
            "vacio.pdf",
            Vec::new(),
            requirement("CSF"),
            FileProblem::Empty,
        ),
    ];
    for (name, bytes, requirement, expected) in cases {
        let source = desk.file(name, &bytes);
        let error = desk.attach_to(&source, &requirement, None).unwrap_err();
        assert_eq!(error.code(), "file_refused", "{name}");
        assert_eq!(
            error.message(Locale::Es),
            expected.message(Locale::Es),
            "{name}"
        );
        match error {
            StoreError::FileRefused { problem } => assert_eq!(problem, expected, "{name}"),
            other => panic!("{name}: {other:?}"),
        }
    }
    assert!(desk.vault_files().is_empty(), "{:?}", desk.vault_files());
    assert!(desk.business.documents().unwrap().is_empty());
}

#[test]
fn pdfs_protected_only_against_editing_are_attached() {
    // As SAT issues its constancias: no password to open, an owner's one to edit.
    let (desk, _) = fixture();
    let protected = qpdf(
        &constancia_pdf(),
        &["--encrypt", "", "dueño-SAT", "256", "--modify=none", "--"],
    );
    let source = desk.file("constancia-sat.pdf", &protected);
    let document = desk.attach(&source, "CSF").unwrap();
    assert_eq!(document.kind, FileKind::Pdf);
    assert_eq!(document.pages, Some(2));
    assert_eq!(document.size, protected.len() as u64);
    assert_eq!(desk.vault_files(), [document.sha256.as_str()]);
    assert_eq!(desk.business.documents().unwrap(), [document]);
}

#[test]
fn impossible_dates_are_refused_with_the_checklists_words() {
    let (desk, _) = fixture();
    let source = desk.file("csf.pdf", &one_page(40, 100));
    let csf = requirement("CSF");
    let later = today() + Days::new(2);
    let attach = |issued, expires| {
        desk.business
            .attach(&source, &csf, None, issued, expires, &mut |_, _| true)
            .unwrap_err()
    };
    let cases = [
        (
            attach(Some(later), None),
            Status::DateInvalid {
                problem: ventanilla_core::checklist::DateProblem::IssuedInFuture,
            },
        ),
        (
            attach(Some(today()), today().checked_sub_days(Days::new(1))),
            Status::DateInvalid {
                problem: ventanilla_core::checklist::DateProblem::ExpiresBeforeIssue,
            },
        ),
    ];
    for (error, status) in cases {
        assert_eq!(error.code(), "date_invalid");
        for locale in [Locale::Es, Locale::En] {
            assert_eq!(error.message(locale), status.message(locale));
        }
    }
    assert!(desk.vault_files().is_empty());

    let document = desk.attach(&source, "CSF").unwrap();
    let refused = desk
        .business
        .set_document_dates(&document.id, Some(later), None)
        .unwrap_err();
    assert_eq!(refused.code(), "date_invalid");
    let issued = today().checked_sub_days(Days::new(3));
    desk.business
        .set_document_dates(&document.id, issued, None)
        .unwrap();
    let stored = &desk.business.documents().unwrap()[0];
    assert_eq!((stored.issued_on, stored.expires_on), (issued, None));
    let unknown = desk.business.set_document_dates("nope", None, None);
    assert_eq!(unknown.unwrap_err().code(), "unknown_document");
}

#[test]
fn unreadable_sources_and_unknown_representatives_are_reported() {
    let (desk, representative) = fixture();
    let missing = desk.files.join("no-such-file.pdf");
    let error = desk.attach(&missing, "CSF").unwrap_err();
    assert_eq!(error.code(), "file_unreadable");
    assert!(error.message(Locale::Es).contains("no-such-file.pdf"));
    let folder = desk.attach(&desk.files, "CSF").unwrap_err();
    assert_eq!(folder.code(), "file_unreadable");

    let source = desk.file("ine.pdf", &one_page(50, 100));
    let id_oficial = requirement("ID_OFICIAL");
    let stranger = desk.attach_to(&source, &id_oficial, Some("r-unknown"));
    assert_eq!(stranger.unwrap_err().code(), "unknown_representative");
    desk.attach_to(&source, &id_oficial, Some(&representative))
        .unwrap();
}

#[test]
fn the_checklist_reads_the_draft_and_the_current_documents() {
    let (desk, representative) = fixture();
    let catalogue = Catalogue::default_catalogue();
    let status = |code: &str, holder: Option<&str>| {
        let evaluation = desk
            .business
            .checklist(&catalogue, None, today())
            .unwrap()
            .unwrap();
        assert_eq!(evaluation.catalogue_version, catalogue.version);
        evaluation
            .items
            .into_iter()
            .find(|i| i.code == code && i.representative.as_deref() == holder)
            .unwrap()
            .status
    };
    assert_eq!(status("ACTA", None), Status::Missing);
    assert_eq!(status("ID_OFICIAL", Some(&representative)), Status::Missing);
    desk.attach(&desk.file("acta.pdf", &one_page(60, 100)), "ACTA")
        .unwrap();
    desk.attach_to(
        &desk.file("ine.pdf", &one_page(61, 100)),
        &requirement("ID_OFICIAL"),
        Some(&representative),
    )
    .unwrap();
    assert_eq!(status("ACTA", None), Status::Attached);
    assert_eq!(
        status("ID_OFICIAL", Some(&representative)),
        Status::Attached
    );
    let facts = desk.business.document_facts().unwrap();
    assert_eq!(facts.len(), 2);
    assert_eq!(
        facts[1].representative.as_deref(),
        Some(representative.as_str())
    );

    // Until the persona is known there is no checklist.
    desk.business.set_field(Field::Rfc, "").unwrap();
    assert_eq!(
        desk.business.checklist(&catalogue, None, today()).unwrap(),
        None
    );
}

#[test]
fn documents_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("csf.pdf");
    fs::write(&source, one_page(70, 100)).unwrap();
    let (id, document) = {
        let library = Library::open(dir.path().join("data")).unwrap();
        let id = library
            .create_business(&RegistrationDraft::default())
            .unwrap();
        let business = library.open_business(&id).unwrap();
        let document = business
            .attach(
                &source,
                &requirement("CSF"),
                None,
                None,
                None,
                &mut |_, _| true,
            )
            .unwrap();
        (id, document)
    };
    let library = Library::open(dir.path().join("data")).unwrap();
    let business = library.open_business(&id).unwrap();
    assert_eq!(business.documents().unwrap(), slice::from_ref(&document));
    assert_eq!(
        business.verify_vault().unwrap(),
        [(document.id, Integrity::Ok)]
    );
}
