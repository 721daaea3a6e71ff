//! `ventanilla report day`: the chamber's report of a day as CSV for Excel and as PDF,
//! from businesses worked on through the desk as the window does.
#![allow(clippy::unwrap_used)]

mod binary;

use binary::ventanilla;
use ventanilla_core::Field;
use ventanilla_desk::views::{ChamberMode, NewBusiness};
use ventanilla_desk::Desk;
use ventanilla_testkit::fixtures::pdf_text;

#[test]
fn the_days_report_is_written_as_csv_and_pdf() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let mut desk = Desk::open(data.path().to_path_buf());
    desk.set_chamber_mode(&ChamberMode {
        enabled: true,
        operator: "Ana Ruiz".into(),
    })
    .unwrap();
    let id = desk
        .create(NewBusiness {
            persona: "moral".into(),
            rfc: "EKU9003173C9".into(),
            name: "Escuela Kemper Urgate".into(),
            consent: true,
        })
        .unwrap()
        .id
        .0;
    desk.set_field(&id, Field::Phone, "55 1234 5678").unwrap();
    drop(desk);

    let csv_file = files.path().join("hoy.csv");
    let (status, written) = ventanilla(
        data.path(),
        &["report", "day", "--out", csv_file.to_str().unwrap()],
    );
    assert_eq!(status, 0, "{written}");
    assert_eq!(written["businesses"], 1);
    let bytes = std::fs::read(&csv_file).unwrap();
    let mut reader = csv::Reader::from_reader(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][0], written["date"].as_str().unwrap());
    assert_eq!(&rows[0][4], "EKU9003173C9");
    assert_eq!(&rows[0][5], "Escuela Kemper Urgate");
    assert_eq!(&rows[0][6], "Ana Ruiz");
    assert_eq!(
        rows[0][7].len(),
        5,
        "the consent's time, HH:MM: {:?}",
        &rows[0][7]
    );
    assert!(
        !String::from_utf8(bytes).unwrap().contains("1234"),
        "no phone"
    );

    let pdf_file = files.path().join("hoy.pdf");
    let (status, _) = ventanilla(
        data.path(),
        &[
            "report",
            "day",
            "--format",
            "pdf",
            "--out",
            pdf_file.to_str().unwrap(),
        ],
    );
    assert_eq!(status, 0);
    let text = pdf_text(&std::fs::read(&pdf_file).unwrap());
    assert!(
        text.contains("Escuela Kemper Urgate — EKU9003173C9"),
        "{text}"
    );
    assert!(text.contains("Ana Ruiz"), "{text}");

    let (status, other_day) = ventanilla(
        data.path(),
        &[
            "report",
            "day",
            "--date",
            "2020-01-31",
            "--out",
            csv_file.to_str().unwrap(),
        ],
    );
    assert_eq!(status, 0);
    assert_eq!(other_day["businesses"], 0);
    let (status, _) = ventanilla(data.path(), &["report", "day", "--date", "31/01/2020"]);
    assert_eq!(status, 2, "a date not written AAAA-MM-DD is a usage error");
}
