//! `ventanilla businesses import FILE.csv`: a chamber's appointments, bad rows told by
//! line, a second import that creates nothing, and a list of 10,000 rows.
#![allow(clippy::unwrap_used)]

mod binary;

use binary::ventanilla;
use serde_json::Value;
use ventanilla_core::rfc;

const HEADER: &str = "rfc,nombre,correo,telefono,curp,clabe,calle,numero_exterior,colonia,codigo_postal,municipio,entidad";

/// `count` distinct valid RFCs of personas morales.
fn rfcs(count: usize) -> Vec<String> {
    let letters = |n: usize| -> String {
        [n / 676 % 26, n / 26 % 26, n % 26]
            .iter()
            .map(|&k| char::from(b'A' + k as u8))
            .collect()
    };
    (0..)
        .map(|n| {
            let body = format!("{}850101X{}", letters(n), (n % 10));
            format!("{body}{}", rfc::check_digit(&body).unwrap())
        })
        .filter(|r| rfc::check(r).is_valid())
        .take(count)
        .collect()
}

fn lines_of(report: &Value, list: &str) -> Vec<u64> {
    report[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["line"].as_u64().unwrap())
        .collect()
}

#[test]
fn ten_thousand_rows_with_bad_ones_import_once() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let mut text = format!("\u{feff}{HEADER}\r\n");
    let mut bad_lines = Vec::new();
    let mut line = 1;
    for (n, rfc) in rfcs(10_000).iter().enumerate() {
        line += 1;
        let email = if n % 1000 == 999 {
            bad_lines.push(line);
            "sin-arroba".to_owned()
        } else {
            format!("contacto{n}@example.mx")
        };
        text.push_str(&format!(
            "{rfc},\"Comercializadora {n}, S.A. de C.V.\",{email},55 5555 {:04},,,Av. Universidad,{n},Narvarte,03020,Benito Juárez,CMX\r\n",
            n % 10_000
        ));
        if n % 2500 == 0 {
            // Excel's blank row between blocks.
            text.push_str(",,,,,,,,,,,\r\n");
            line += 1;
        }
    }
    let file = files.path().join("citas.csv");
    std::fs::write(&file, text).unwrap();
    let path = file.to_str().unwrap();

    let (status, report) = ventanilla(data.path(), &["businesses", "import", path]);
    assert_eq!(status, 1, "ten rows were refused");
    assert_eq!(report["created"].as_array().unwrap().len(), 9_990);
    assert_eq!(lines_of(&report, "refused"), bad_lines);
    let problem = &report["refused"][0]["problems"][0];
    assert_eq!(problem["column"], "correo");
    assert_eq!(problem["code"], "email_shape");

    let (_, listed) = ventanilla(
        data.path(),
        &["businesses", "--query", "Comercializadora 9998"],
    );
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["name"], "Comercializadora 9998, S.A. de C.V.");

    let (status, again) = ventanilla(data.path(), &["businesses", "import", path]);
    assert_eq!(status, 1, "the same ten rows are refused again");
    assert!(again["created"].as_array().unwrap().is_empty());
    assert_eq!(again["kept"].as_array().unwrap().len(), 9_990);
    let (_, all) = ventanilla(data.path(), &["businesses"]);
    assert_eq!(all.as_array().unwrap().len(), 9_990);
}

#[test]
fn a_file_without_an_rfc_column_is_refused_and_usage_is_exit_two() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let file = files.path().join("citas.csv");
    std::fs::write(&file, "nombre;correo\r\nAna;ana@example.mx\r\n").unwrap();
    let (status, refused) = ventanilla(
        data.path(),
        &["businesses", "import", file.to_str().unwrap()],
    );
    assert_eq!(status, 1);
    assert_eq!(refused["error"]["code"], "csv_missing_column");
    assert!(refused["error"]["message"]
        .as_str()
        .unwrap()
        .contains("«rfc»"));
    let (status, _) = ventanilla(data.path(), &["businesses", "import"]);
    assert_eq!(status, 2);

    let good = files.path().join("buenas.csv");
    let rfc = &rfcs(1)[0];
    std::fs::write(&good, format!("{HEADER}\n{rfc},Uno,,,,,,,,,,\n")).unwrap();
    let (status, report) = ventanilla(
        data.path(),
        &["businesses", "import", good.to_str().unwrap()],
    );
    assert_eq!(status, 0, "{report}");
    assert_eq!(lines_of(&report, "created"), [2]);
}
