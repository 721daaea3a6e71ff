//! The tender catalogue on a real `app.db`: imports of several shapes, the latest release
//! kept, skips with reasons, all-or-nothing on a refused file, search and filters by the
//! given clock, the server's ETag.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, Utc};
use ventanilla_core::tender::TenderStatus;
use ventanilla_core::Locale;
use ventanilla_store::{is_open, Library, StatusFilter, StoreError, TenderQuery, TenderSource};
use ventanilla_testkit::fixtures::write_release_package;

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn file() -> TenderSource {
    TenderSource::File("convocatorias.json".into())
}

fn release(ocid: &str, id: &str, date: &str, tender: &str) -> String {
    format!(r#"{{"ocid": "{ocid}", "id": "{id}", "date": "{date}", "tender": {tender}}}"#)
}

fn package(releases: &[String]) -> String {
    format!(r#"{{"uri": "x", "releases": [{}]}}"#, releases.join(","))
}

const CATALOGUE: &str = r#"{"releases": [
  {"ocid": "ocds-bj-1", "id": "1", "date": "2026-03-01T10:00:00-06:00",
   "buyer": {"name": "Alcaldía Benito Juárez"},
   "tender": {"title": "Adquisición de PAPELERÍA", "status": "active", "mainProcurementCategory": "goods",
              "tenderPeriod": {"endDate": "2026-03-20T14:00:00-06:00"},
              "items": [{"id": "1", "description": "Tóner para impresora", "quantity": 3}]}},
  {"ocid": "ocds-bj-2", "id": "1", "date": "2026-03-01T10:00:00-06:00",
   "tender": {"title": "Mantenimiento de parques", "status": "active", "mainProcurementCategory": "services",
              "tenderPeriod": {"endDate": "2026-03-10T14:00:00-06:00"}}},
  {"ocid": "ocds-bj-3", "id": "1", "date": "2026-03-01T10:00:00-06:00",
   "tender": {"title": "Obra: banquetas", "status": "active", "mainProcurementCategory": "works",
              "tenderPeriod": {"endDate": "2026-02-01T14:00:00-06:00"}}},
  {"ocid": "ocds-bj-4", "id": "1", "date": "2026-03-01T10:00:00-06:00",
   "tender": {"title": "Papelería cancelada", "status": "cancelled", "mainProcurementCategory": "goods",
              "tenderPeriod": {"endDate": "2026-03-25T14:00:00-06:00"}}},
  {"ocid": "ocds-bj-5", "id": "1", "date": "2026-03-01T10:00:00-06:00",
   "tender": {"title": "Sin plazo", "status": "planned"}}
]}"#;

fn ocids(library: &Library, query: &TenderQuery, now: &str) -> Vec<String> {
    library
        .search_tenders(query, utc(now))
        .unwrap()
        .into_iter()
        .map(|e| e.ocid)
        .collect()
}

#[test]
fn import_then_search_and_filter_by_the_given_clock() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(dir.path()).unwrap();
    let summary = library
        .import_tenders(CATALOGUE.as_bytes(), &file())
        .unwrap();
    assert_eq!(
        (summary.imported, summary.updated, summary.skipped.len()),
        (5, 0, 0)
    );

    let now = "2026-03-05T12:00:00Z";
    let all = TenderQuery::default();
    // Ahead (soonest first), then past, then without a deadline.
    assert_eq!(
        ocids(&library, &all, now),
        [
            "ocds-bj-2",
            "ocds-bj-1",
            "ocds-bj-4",
            "ocds-bj-3",
            "ocds-bj-5"
        ]
    );
    let open = TenderQuery {
        status: Some(StatusFilter::Open),
        ..Default::default()
    };
    assert_eq!(ocids(&library, &open, now), ["ocds-bj-2", "ocds-bj-1"]);
    // At the deadline's second, it is no longer open.
    assert_eq!(
        ocids(&library, &open, "2026-03-10T20:00:00Z"),
        ["ocds-bj-1"]
    );
    assert_eq!(
        ocids(&library, &open, "2026-03-10T19:59:59Z"),
        ["ocds-bj-2", "ocds-bj-1"]
    );
    // The Rust rule the window shows and the SQL the search runs agree.
    for at in [now, "2026-03-10T20:00:00Z", "2026-03-10T19:59:59Z"] {
        let mut judged: Vec<String> = library
            .search_tenders(&all, utc(at))
            .unwrap()
            .into_iter()
            .filter(|t| is_open(t.status, t.deadline, utc(at)))
            .map(|t| t.ocid)
            .collect();
        let mut searched = ocids(&library, &open, at);
        searched.sort();
        judged.sort();
        assert_eq!(judged, searched, "at {at}");
    }

    let text = |t: &str| TenderQuery {
        text: t.into(),
        ..Default::default()
    };
    assert_eq!(
        ocids(&library, &text("papeleria"), now),
        ["ocds-bj-1", "ocds-bj-4"]
    );
    assert_eq!(
        ocids(&library, &text("TONER"), now),
        ["ocds-bj-1"],
        "items are searched"
    );
    assert_eq!(ocids(&library, &text("benito juárez"), now), ["ocds-bj-1"]);
    assert_eq!(ocids(&library, &text("ocds-bj-3"), now), ["ocds-bj-3"]);
    assert!(ocids(&library, &text("inexistente"), now).is_empty());

    let filtered = TenderQuery {
        text: "papelería".into(),
        status: Some(StatusFilter::Is(TenderStatus::Withdrawn)),
        category: Some("goods".into()),
        ..Default::default()
    };
    assert_eq!(ocids(&library, &filtered, now), ["ocds-bj-4"]);
    let window = TenderQuery {
        deadline_from: Some(utc("2026-03-15T00:00:00Z")),
        deadline_to: Some(utc("2026-03-31T00:00:00Z")),
        ..Default::default()
    };
    assert_eq!(ocids(&library, &window, now), ["ocds-bj-1", "ocds-bj-4"]);
    let first = TenderQuery {
        limit: Some(1),
        ..Default::default()
    };
    assert_eq!(ocids(&library, &first, now), ["ocds-bj-2"]);

    let entry = &library.search_tenders(&text("toner"), utc(now)).unwrap()[0];
    assert_eq!(entry.buyer, "Alcaldía Benito Juárez");
    assert_eq!(entry.deadline, Some(utc("2026-03-20T20:00:00Z")));
    let tender = library.tender("ocds-bj-1").unwrap().unwrap();
    assert_eq!(tender.items[0].description, "Tóner para impresora");
    assert_eq!(library.tender("ocds-nope").unwrap(), None);
}

#[test]
fn the_latest_release_of_a_process_is_kept_across_files_and_within_one() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(dir.path()).unwrap();
    let first = package(&[
        release("o1", "a", "2026-01-01T00:00:00Z", r#"{"title": "Uno"}"#),
        release("o2", "a", "2026-01-01T00:00:00Z", r#"{"title": "Dos"}"#),
    ]);
    library.import_tenders(first.as_bytes(), &file()).unwrap();

    let second = package(&[
        // The same as kept: unchanged (but updated below).
        release("o1", "a", "2026-01-01T00:00:00Z", r#"{"title": "Uno"}"#),
        // The same as kept: unchanged.
        release("o2", "a", "2026-01-01T00:00:00Z", r#"{"title": "Dos"}"#),
        // Older than kept: superseded.
        release(
            "o2",
            "z",
            "2025-12-01T00:00:00Z",
            r#"{"title": "Dos viejo"}"#,
        ),
        // Newer, then newer again in the same file: one update.
        release("o1", "b", "2026-02-01T00:00:00Z", r#"{"title": "Uno bis"}"#),
        release("o1", "c", "2026-03-01T00:00:00Z", r#"{"title": "Uno ter"}"#),
        // New, then an older one of it in the same file.
        release("o3", "b", "2026-02-01T00:00:00Z", r#"{"title": "Tres"}"#),
        release(
            "o3",
            "a",
            "2026-01-01T00:00:00Z",
            r#"{"title": "Tres viejo"}"#,
        ),
        release("o4", "a", "not a date", r#"{"title": "Cuatro"}"#),
    ]);
    let summary = library.import_tenders(second.as_bytes(), &file()).unwrap();
    assert_eq!(
        (summary.imported, summary.updated, summary.unchanged),
        (1, 1, 1)
    );
    let skipped: Vec<_> = summary
        .skipped
        .iter()
        .map(|s| (s.position, s.ocid.as_deref().unwrap(), s.reason.code()))
        .collect();
    assert_eq!(
        skipped,
        [
            (3, "o2", "superseded"),
            (7, "o3", "superseded"),
            (8, "o4", "bad_date")
        ]
    );
    assert_eq!(library.tender("o1").unwrap().unwrap().title, "Uno ter");
    assert_eq!(library.tender("o2").unwrap().unwrap().title, "Dos");
    assert_eq!(library.tender("o3").unwrap().unwrap().title, "Tres");
    assert_eq!(library.tender_count().unwrap(), 3);
}

#[test]
fn a_refused_file_leaves_the_catalogue_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(dir.path()).unwrap();
    library
        .import_tenders(CATALOGUE.as_bytes(), &file())
        .unwrap();
    // Valid releases first, then the file breaks off (a copy cut short on a USB stick).
    let mut cut = package(&[
        release(
            "new-1",
            "a",
            "2026-01-01T00:00:00Z",
            r#"{"title": "Nueva"}"#,
        ),
        release(
            "ocds-bj-1",
            "z",
            "2027-01-01T00:00:00Z",
            r#"{"title": "Cambiada"}"#,
        ),
    ]);
    cut.truncate(cut.len() - 2);
    let error = library.import_tenders(cut.as_bytes(), &file()).unwrap_err();
    assert!(matches!(error, StoreError::TenderFileRefused(_)));
    assert_eq!(error.code(), "ocds_not_json");
    assert!(error.message(Locale::Es).contains("No se importó nada"));
    assert_eq!(library.tender("new-1").unwrap(), None);
    assert_eq!(
        library.tender("ocds-bj-1").unwrap().unwrap().title,
        "Adquisición de PAPELERÍA"
    );
    let error = library
        .import_tenders(r#"{"businesses": []}"#.as_bytes(), &file())
        .unwrap_err();
    assert_eq!(error.code(), "ocds_not_ocds");
    assert_eq!(library.tender_count().unwrap(), 5);
}

#[test]
fn a_server_import_keeps_its_etag_and_survives_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    {
        let library = Library::open(dir.path()).unwrap();
        assert_eq!(library.tenders_etag().unwrap(), None);
        let server = TenderSource::Server {
            etag: Some("\"v42\"".into()),
        };
        library
            .import_tenders(CATALOGUE.as_bytes(), &server)
            .unwrap();
        // A file import does not touch the server's ETag.
        library
            .import_tenders(CATALOGUE.as_bytes(), &file())
            .unwrap();
    }
    let library = Library::open(dir.path()).unwrap();
    assert_eq!(library.tenders_etag().unwrap().as_deref(), Some("\"v42\""));
    assert_eq!(library.tender_count().unwrap(), 5);
}

#[test]
fn a_generated_ten_thousand_release_package_imports_with_progress() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(dir.path()).unwrap();
    let mut bytes = Vec::new();
    write_release_package(&mut bytes, 10_000, 2).unwrap();
    let mut reports = 0;
    let mut last = None;
    let summary = library
        .import_tenders_with_progress(bytes.as_slice(), &file(), |p| {
            reports += 1;
            last = Some(p);
        })
        .unwrap();
    assert_eq!(summary.imported, 10_000);
    assert_eq!(reports, 10_000);
    let last = last.unwrap();
    assert_eq!(last.releases_read, 10_000);
    assert!(last.bytes_read > bytes.len() as u64 - 10);
    let found = library
        .search_tenders(
            &TenderQuery {
                text: "ocds-test-9999".into(),
                ..Default::default()
            },
            utc("2026-01-01T00:00:00Z"),
        )
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].title, "Limpieza para oficinas, lote 9999");
}
