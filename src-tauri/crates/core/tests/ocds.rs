//! Reading OCDS files as publishers write them: samples in each publisher's style
//! (`samples/*.json`), damaged and foreign files, and a package streamed one release at
//! a time.
#![allow(clippy::unwrap_used)]

use std::io::Read;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use ventanilla_core::ocds::{read_tenders, Entry, OcdsError, ReadError, Shape};
use ventanilla_core::tender::{Procedure, Tender, TenderStatus};
use ventanilla_core::Locale;

fn read(json: &str) -> (Shape, Vec<Entry>) {
    let mut entries = Vec::new();
    let shape = read_tenders(json.as_bytes(), |e| {
        entries.push(e);
        Ok::<(), ()>(())
    })
    .map_err(|e| match e {
        ReadError::File(e) => e.to_string(),
        ReadError::Sink(()) => "sink".into(),
    })
    .unwrap();
    (shape, entries)
}

fn tenders(entries: &[Entry]) -> Vec<&Tender> {
    entries
        .iter()
        .filter_map(|e| match e {
            Entry::Tender(t) => Some(&**t),
            Entry::Skipped(_) => None,
        })
        .collect()
}

fn skips(entries: &[Entry]) -> Vec<(usize, Option<&str>, &'static str)> {
    entries
        .iter()
        .filter_map(|e| match e {
            Entry::Skipped(s) => Some((s.position, s.ocid.as_deref(), s.reason.code())),
            Entry::Tender(_) => None,
        })
        .collect()
}

fn refusal(json: &str) -> OcdsError {
    match read_tenders(json.as_bytes(), |_| Ok::<(), ()>(())) {
        Err(ReadError::File(e)) => e,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

/// Mexico's federal publisher: offset-less local times, numeric amounts and ids,
/// the buyer only among the parties, the procedure's Spanish name.
const COMPRANET_STYLE: &str = include_str!("samples/compranet.json");

#[test]
fn compranet_style_local_times_numbers_and_parties() {
    let (shape, entries) = read(COMPRANET_STYLE);
    assert_eq!(shape, Shape::ReleasePackage);
    let [t] = tenders(&entries)[..] else {
        panic!("{entries:?}")
    };
    assert_eq!(t.ocid, "ocds-07smqs-1234567");
    assert_eq!(t.release_id, "1234567");
    // No offset: Mexico City time, UTC-6.
    assert_eq!(t.release_date, utc("2026-02-01T15:30:00Z"));
    assert_eq!(t.deadline, Some(utc("2026-02-20T20:00:00Z")));
    assert_eq!(
        t.buyer,
        "Alcaldía Benito Juárez - Dirección de Recursos Materiales"
    );
    assert_eq!(t.procedure, Some(Procedure::Licitacion));
    assert_eq!(t.status, TenderStatus::Active);
    assert_eq!(t.category, "goods");
    assert_eq!(t.value, Some(dec("1250000.5")));
    assert_eq!(t.items[0].id, "1");
    assert_eq!(t.items[0].quantity, Some(dec("120")));
    assert_eq!(t.items[0].unit, "Pieza");
    assert_eq!(t.items[0].classification, "CUCOP 21401001");
    assert_eq!(t.items[1].quantity, Some(dec("300.5")));
    assert_eq!(t.items[1].unit, "CJ");
    assert_eq!(t.items[1].classification, "");
    assert_eq!(t.documents[0].title, "tenderNotice");
    assert_eq!(t.bid_bond_rate, None);
    assert!(t.requirements.is_empty());
}

/// UK style: `buyer` reference, pounds (not a peso value), CPV codes, no quantities,
/// `Z` instants, a limited procedure.
const CONTRACTS_FINDER_STYLE: &str = include_str!("samples/contracts_finder.json");

#[test]
fn contracts_finder_style_foreign_currency_and_missing_quantities() {
    let (_, entries) = read(CONTRACTS_FINDER_STYLE);
    let found = tenders(&entries);
    assert_eq!(found.len(), 2);
    let t = found[0];
    assert_eq!(t.buyer, "Borough Council");
    assert_eq!(t.procedure, Some(Procedure::Adjudicacion));
    assert_eq!(t.value, None, "pounds are not kept as a peso value");
    assert_eq!(t.deadline, Some(utc("2026-03-30T11:00:00Z")));
    assert_eq!(t.items[0].quantity, None);
    assert_eq!(t.items[0].classification, "CPV 77310000");
    assert_eq!(found[1].status, TenderStatus::Withdrawn);
    assert_eq!(found[1].procedure, Some(Procedure::Invitacion));
    assert_eq!(found[1].category, "");
    assert_eq!(found[1].release_date, utc("2026-03-02T11:00:00.123Z"));
}

/// Prozorro style: a record package with compiled releases, `+02:00` offsets,
/// detailed statuses, amounts as strings, non-Latin units and schemes, guarantees.
const PROZORRO_STYLE: &str = include_str!("samples/prozorro.json");

#[test]
fn prozorro_style_records_with_compiled_releases() {
    let (shape, entries) = read(PROZORRO_STYLE);
    assert_eq!(shape, Shape::RecordPackage);
    let found = tenders(&entries);
    let t = found[0];
    assert_eq!(t.release_id, "UA-1-compiled");
    assert_eq!(t.status, TenderStatus::Active);
    assert_eq!(t.value, Some(dec("15000.75")));
    assert_eq!(t.bid_bond_rate, Some(dec("0.03")));
    assert_eq!(t.items[0].quantity, Some(dec("1500")));
    assert_eq!(t.items[0].unit, "літр");
    assert_eq!(t.items[0].classification, "ДК021 09130000-9");
    assert_eq!(t.deadline, Some(utc("2026-04-15T15:00:00Z")));
    assert_eq!(found[1].status, TenderStatus::Complete);
}

/// The OCP samples' style: several releases of one process in one package
/// (a tender, then an amendment), requirements, bid opening, a bid bond object.
const OCP_SAMPLE_STYLE: &str = include_str!("samples/ocp_sample.json");

#[test]
fn ocp_sample_style_hands_over_every_release_in_order() {
    let (_, entries) = read(OCP_SAMPLE_STYLE);
    let found = tenders(&entries);
    assert_eq!(found.len(), 2, "the receiver chooses the latest");
    assert_eq!(found[0].status, TenderStatus::Planned);
    // A bare day: midnight in Mexico City, the earliest reading of a deadline.
    assert_eq!(found[0].deadline, Some(utc("2026-06-01T06:00:00Z")));
    let amended = found[1];
    assert!(amended.release_date > found[0].release_date);
    assert_eq!(
        amended.buyer, "London Borough of Barnet",
        "found by id among parties"
    );
    assert_eq!(amended.bid_bond_rate, Some(dec("0.05")));
    assert_eq!(amended.requirements, ["EDOS_FIN"]);
    assert_eq!(amended.opening, Some(utc("2026-06-15T21:00:00Z")));
}

#[test]
fn single_release_and_single_records() {
    let (shape, entries) = read(
        r#"{"tag": ["tender"], "date": "2026-01-05T00:00:00Z", "ocid": "ocds-x-1",
            "initiationType": "tender", "tender": {"title": "Sillas", "status": "active"}}"#,
    );
    assert_eq!(shape, Shape::Release);
    assert_eq!(tenders(&entries)[0].title, "Sillas");

    // A record with embedded releases and no compiled release: the latest.
    let (shape, entries) = read(
        r#"{"ocid": "ocds-x-2", "releases": [
              {"ocid": "ocds-x-2", "id": "b", "date": "2026-01-06T00:00:00Z", "tender": {"title": "Nueva"}},
              {"ocid": "ocds-x-2", "id": "a", "date": "2026-01-05T00:00:00Z", "tender": {"title": "Vieja"}}]}"#,
    );
    assert_eq!(shape, Shape::Record);
    assert_eq!(
        tenders(&entries).len(),
        2,
        "streamed; the receiver keeps the latest"
    );

    // Compiled release after linked releases: the compiled one, handed over last.
    let (shape, entries) = read(
        r#"{"releases": [{"url": "https://x/1", "date": "2026-01-05T00:00:00Z"}],
            "compiledRelease": {"ocid": "ocds-x-3", "date": "2026-01-05T00:00:00Z",
                                "tender": {"title": "Compilada"}}, "ocid": "ocds-x-3"}"#,
    );
    assert_eq!(shape, Shape::Record);
    let found = tenders(&entries);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].title, "Compilada");
    assert!(
        skips(&entries).is_empty(),
        "linked releases are pointers, not skips"
    );
}

#[test]
fn bad_releases_are_skipped_with_their_reason_and_place() {
    let (_, entries) = read(
        r#"{"releases": [
          {"id": "no-ocid", "date": "2026-01-01T00:00:00Z", "tender": {}},
          {"ocid": "o2", "date": "2026-01-01T00:00:00Z"},
          {"ocid": "o3", "date": "31/12/2026", "tender": {}},
          {"ocid": "o4", "date": "2026-01-01T00:00:00Z", "tender": {"items": [{"quantity": "1,5"}]}},
          {"ocid": "o5", "date": "2026-01-01T00:00:00Z", "tender": {"title": {"es": "x"}}},
          {"ocid": "o6", "date": "2026-01-01T00:00:00Z", "tender": {"status": "open for bids"}},
          {"ocid": "o7", "date": "2026-01-01T00:00:00Z", "tender": {"bidBond": 5}},
          {"ocid": "o8", "tender": {}},
          {"ocid": "ok", "date": "2026-01-01T00:00:00Z", "tender": {}}
        ]}"#,
    );
    assert_eq!(
        skips(&entries),
        [
            (1, None, "no_ocid"),
            (2, Some("o2"), "no_tender"),
            (3, Some("o3"), "bad_date"),
            (4, Some("o4"), "bad_number"),
            (5, None, "malformed"),
            (6, Some("o6"), "unknown_status"),
            (7, Some("o7"), "bad_number"),
            (8, Some("o8"), "bad_date"),
        ]
    );
    assert_eq!(tenders(&entries).len(), 1);
    let Entry::Skipped(s) = &entries[3] else {
        panic!()
    };
    let message = s.reason.message(Locale::Es);
    assert!(message.contains("1,5") && message.contains("tender.items[0].quantity"));
}

#[test]
fn amounts_are_exact_from_their_text() {
    let (_, entries) = read(
        r#"{"releases": [{"ocid": "o", "date": "2026-01-01T00:00:00Z", "tender": {
            "value": {"amount": 12345678901234567.89},
            "items": [{"quantity": 0.1}, {"quantity": " 7 "}, {"quantity": null}, {"quantity": ""}]}}]}"#,
    );
    let t = tenders(&entries)[0];
    // Through f64 this would be 12345678901234568.
    assert_eq!(t.value, Some(dec("12345678901234567.89")));
    let quantities: Vec<_> = t.items.iter().map(|i| i.quantity).collect();
    assert_eq!(quantities, [Some(dec("0.1")), Some(dec("7")), None, None]);
}

#[test]
fn files_that_are_not_json_or_not_ocds_are_refused_whole() {
    let e = refusal("{\"releases\": [\n  {\"ocid\": \"a\",\n   \"date\": }]}");
    assert!(matches!(e, OcdsError::NotJson { line: 3, .. }), "{e:?}");
    assert!(e.message(Locale::Es).contains("línea 3"));
    assert!(matches!(
        refusal(r#"{"name": "lista de precios"}"#),
        OcdsError::NotOcds(_)
    ));
    assert!(matches!(refusal("42"), OcdsError::NotOcds(_)));
    assert!(matches!(refusal(""), OcdsError::NotJson { .. }));
    assert!(matches!(
        refusal(r#"{"releases": []} trailing"#),
        OcdsError::NotJson { .. }
    ));
    assert!(matches!(
        refusal(r#"{"releases": {"a": 1}}"#),
        OcdsError::NotJson { .. }
    ));
    let e = refusal("\u{feff}{}");
    assert!(
        matches!(e, OcdsError::NotOcds(_)),
        "a byte order mark is allowed"
    );
    assert!(e.message(Locale::Es).contains("No se importó nada"));
}

#[test]
fn a_receiver_error_stops_the_read_and_comes_back() {
    let mut seen = 0;
    let result = read_tenders(CONTRACTS_FINDER_STYLE.as_bytes(), |_| {
        seen += 1;
        Err("disk full")
    });
    assert!(matches!(result, Err(ReadError::Sink("disk full"))));
    assert_eq!(seen, 1);
}

/// One release as Ventanilla's server publishes it (offsets, string amounts, CUCOP items).
const VENTANILLA_RELEASE: &str = include_str!("samples/ventanilla_release.json");

/// A reader that makes the package as it is read, so the test proves the import
/// never needs the whole file at once.
struct Generated {
    next: usize,
    total: usize,
    buffer: Vec<u8>,
    at: usize,
    peak_buffer: usize,
}

impl Read for Generated {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.at == self.buffer.len() {
            self.buffer.clear();
            self.at = 0;
            if self.next == 0 {
                self.buffer.extend_from_slice(br#"{"releases":["#);
            }
            if self.next < self.total {
                let release =
                    VENTANILLA_RELEASE.replace("ocds-test-0", &format!("ocds-gen-{}", self.next));
                if self.next > 0 {
                    self.buffer.push(b',');
                }
                self.buffer.extend_from_slice(release.as_bytes());
                self.next += 1;
                if self.next == self.total {
                    self.buffer.extend_from_slice(b"]}");
                }
            }
            self.peak_buffer = self.peak_buffer.max(self.buffer.len());
        }
        let n = out.len().min(self.buffer.len() - self.at);
        out[..n].copy_from_slice(&self.buffer[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[test]
fn ten_thousand_releases_stream_one_at_a_time() {
    let mut reader = Generated {
        next: 0,
        total: 10_000,
        buffer: Vec::new(),
        at: 0,
        peak_buffer: 0,
    };
    let mut count = 0;
    let mut last = String::new();
    let shape = read_tenders(&mut reader, |entry| {
        let Entry::Tender(t) = entry else {
            return Err("skipped");
        };
        count += 1;
        last = t.ocid;
        Ok(())
    })
    .unwrap();
    assert_eq!(shape, Shape::ReleasePackage);
    assert_eq!(count, 10_000);
    assert_eq!(last, "ocds-gen-9999");
    assert!(reader.peak_buffer < 16_000);
}
