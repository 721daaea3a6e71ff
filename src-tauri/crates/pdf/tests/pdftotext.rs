//! PDFs read back by poppler's `pdftotext` and `pdfinfo`, as a person's viewer and a
//! search would read them: Spanish characters, wrapped text, tables across pages and
//! page numbers.
#![allow(clippy::unwrap_used)]

use std::process::Command;

use ventanilla_pdf::{Align, Column, Document, PageSize, Row};

/// Writes `bytes` to a file and runs `tool` on it, failing the test on any error.
fn poppler(tool: &str, bytes: &[u8], extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("documento.pdf");
    std::fs::write(&path, bytes).unwrap();
    let output = Command::new(tool)
        .args(extra)
        .arg(&path)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("{tool} is needed (Debian package poppler-utils): {e}"));
    assert!(
        output.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stderr.is_empty(),
        "{tool} complained: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The value of one line of `pdfinfo`'s report, such as `Pages`.
fn info_value(info: &str, key: &str) -> String {
    info.lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .map(|v| v.trim().to_owned())
        .unwrap_or_else(|| panic!("no {key} in {info}"))
}

fn pdfinfo(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("documento.pdf");
    std::fs::write(&path, bytes).unwrap();
    let output = Command::new("pdfinfo").arg(&path).output().unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

/// Collapses runs of whitespace, since layout spacing is not what is tested.
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn spanish_text_reads_back_exactly() {
    let sentence = "¿Cuántos años tiene el señor Núñez? ¡Muchísimos! Pingüino, acción, ÁÉÍÓÚ Ñ ü «comillas» — 100 €";
    let mut document = Document::new(PageSize::Letter);
    document
        .title("Propuesta técnica y económica")
        .heading("Propuesta técnica")
        .paragraph(sentence)
        .field("Razón social", "Emma Gómez Díaz")
        .paragraph("Emoji 😀 y 漢字 no existen en WinAnsi.");
    let bytes = document.to_bytes();
    let text = squeeze(&poppler("pdftotext", &bytes, &["-enc", "UTF-8"]));
    assert!(text.contains("Propuesta técnica"), "{text}");
    assert!(text.contains(sentence), "{text}");
    assert!(text.contains("Razón social: Emma Gómez Díaz"), "{text}");
    assert!(text.contains("Emoji ? y ?? no existen"), "{text}");
    let info = pdfinfo(&bytes);
    assert_eq!(info_value(&info, "Title"), "Propuesta técnica y económica");
    assert_eq!(info_value(&info, "Pages"), "1");
    assert_eq!(info_value(&info, "Page size"), "612 x 792 pts (letter)");
}

#[test]
fn long_documents_wrap_and_number_their_pages() {
    let mut document = Document::new(PageSize::A4);
    document
        .page_numbers("Página {page} de {pages}")
        .heading("Declaraciones");
    let long = "Manifiesto bajo protesta de decir verdad que la información es cierta. ".repeat(30);
    for _ in 0..6 {
        document.paragraph(&long);
    }
    let rows: Vec<Row> = (1..=120)
        .map(|n| Row::new(vec![format!("{n}"), format!("Partida número {n} con descripción larga que debe ajustarse a su columna sin salirse"), format!("${n},000.50 MXN")]))
        .chain([Row::bold(vec![String::new(), "Total".into(), "$9,999.99 MXN".into()])])
        .collect();
    document.table(
        vec![
            Column::new("Partida", 1.0, Align::Left),
            Column::new("Descripción", 5.0, Align::Left),
            Column::new("Importe", 2.0, Align::Right),
        ],
        rows,
    );
    let bytes = document.to_bytes();
    let info = pdfinfo(&bytes);
    let pages: usize = info_value(&info, "Pages").parse().unwrap();
    assert!(pages >= 4, "{info}");
    assert_eq!(info_value(&info, "Page size"), "595.28 x 841.89 pts (A4)");
    let text = poppler("pdftotext", &bytes, &["-enc", "UTF-8"]);
    for page in 1..=pages {
        assert!(
            text.contains(&format!("Página {page} de {pages}")),
            "page {page}"
        );
    }
    let squeezed = squeeze(&text);
    assert_eq!(squeezed.matches("protesta de decir verdad").count(), 180);
    for n in [1, 60, 120] {
        assert!(squeezed.contains(&format!("${n},000.50 MXN")), "{n}");
    }
    assert!(squeezed.contains("Total $9,999.99 MXN"));
    // The header repeats on every page the table reaches.
    assert!(squeezed.matches("Partida Descripción Importe").count() >= 2);
}
