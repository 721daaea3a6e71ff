//! Hand-built files and facts for tests across the workspace (core's own, the store's,
//! the window tests'): real PDFs with correct cross-reference tables, made in memory or
//! rewritten by qpdf as government offices' tools protect theirs, and a business and a
//! tender to prepare bids with.

use ventanilla_core::{RegistrationDraft, Representative};

/// A persona moral's registration with every field filled in and valid, and one legal
/// representative (id `r1`), under `rfc`.
pub fn complete_moral_draft(rfc: &str) -> RegistrationDraft {
    RegistrationDraft {
        persona: "moral".into(),
        rfc: rfc.into(),
        name: "Nueva Wal-Mart de México, S. de R.L. de C.V.".into(),
        regimen: "601".into(),
        curp: String::new(),
        street: "Blvd. Manuel Ávila Camacho".into(),
        exterior_number: "647".into(),
        interior_number: "Piso 3".into(),
        neighborhood: "Periodista".into(),
        postal_code: "11220".into(),
        municipality: "Miguel Hidalgo".into(),
        state: "cmx".into(),
        email: "proveedores@ejemplo.mx".into(),
        phone: "+52 (55) 5283-0100".into(),
        activity: "Comercio al por menor en tiendas de autoservicio.\nAbarrotes y más.".into(),
        scian: String::new(),
        sector: "services".into(),
        workers: "25".into(),
        annual_sales: "20,000,000".into(),
        employer: "no".into(),
        clabe: "012180001234567899".into(),
        representatives: vec![complete_representative("r1")],
    }
}

/// A legal representative with every field filled in and valid.
pub fn complete_representative(id: &str) -> Representative {
    Representative {
        id: id.into(),
        name: "Gloria Hernández García".into(),
        curp: "HEGG560427MVZRRL04".into(),
        power_of_attorney: "Escritura 12,345 del 3 de marzo de 2020, Notaría 10 (CDMX)".into(),
    }
}

/// The document catalogue object of the PDFs built here (object 1).
pub const CATALOG: &str = "<< /Type /Catalog /Pages 2 0 R >>";
/// A page tree holding the one page below (object 2).
pub const ONE_PAGE: &str = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>";
/// A letter-size page (object 3).
pub const PAGE: &str = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>";

/// A PDF with `objects` numbered from 1, a correct cross-reference table and a trailer
/// with `trailer_extra` added to its dictionary.
pub fn pdf(objects: &[&str], trailer_extra: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    let size = objects.len() + 1;
    out.extend_from_slice(format!("xref\n0 {size}\n0000000000 65535 f \n").as_bytes());
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {size} /Root 1 0 R{trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n"
        )
        .as_bytes(),
    );
    out
}

/// A one-page PDF whose content stream holds `filler` bytes of printable noise drawn
/// from `seed`, so that different seeds give different files.
pub fn one_page_pdf(seed: u64, filler: usize) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let noise: String = (0..filler)
        .map(|_| {
            // xorshift64: enough to make contents differ.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            char::from(b'a' + (state % 26) as u8)
        })
        .collect();
    let stream = format!("<< /Length {filler} >>\nstream\n{noise}\nendstream");
    pdf(&[CATALOG, ONE_PAGE, PAGE, &stream], "")
}

/// A one-page PDF that needs a password: encrypted (RC4, revision 2) with a /U value
/// that the empty user password does not produce.
pub fn encrypted_pdf() -> Vec<u8> {
    let (owner, user) = ("4F".repeat(32), "55".repeat(32));
    pdf(
        &[
            CATALOG,
            ONE_PAGE,
            PAGE,
            &format!("<< /Filter /Standard /V 1 /R 2 /O <{owner}> /U <{user}> /P -44 >>"),
        ],
        " /Encrypt 4 0 R /ID [<0123> <4567>]",
    )
}

/// A two-page PDF by Ventanilla's own writer, with words a reader finds, standing for
/// a constancia before a government office's tools protect it.
pub fn constancia_pdf() -> Vec<u8> {
    let mut document = ventanilla_pdf::Document::new(ventanilla_pdf::PageSize::Letter);
    document
        .title("Constancia de Situación Fiscal")
        .heading("Constancia de Situación Fiscal")
        .field("RFC", "GODE561231GR8")
        .page_break()
        .paragraph("Cadena original del sello digital");
    document.to_bytes()
}

/// `pdf` as qpdf (the Debian package qpdf) rewrites it with `args`, such as
/// `["--encrypt", "", "dueño", "256", "--"]`. Fails the test when qpdf is missing or
/// refuses the file; warnings, as when it repairs a file, are fine.
pub fn qpdf(pdf: &[u8], args: &[&str]) -> Vec<u8> {
    let input = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(input.path(), pdf).unwrap();
    let output = std::process::Command::new("qpdf")
        .arg(input.path())
        .args(args)
        .arg("-")
        .output()
        .expect("qpdf is needed (Debian package qpdf)");
    // 0: written; 3: written with warnings.
    assert!(
        matches!(output.status.code(), Some(0 | 3)),
        "qpdf {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// Whether qpdf says `pdf` needs a password to open (`qpdf --requires-password`).
pub fn qpdf_requires_password(pdf: &[u8]) -> bool {
    let input = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(input.path(), pdf).unwrap();
    let output = std::process::Command::new("qpdf")
        .arg("--requires-password")
        .arg(input.path())
        .output()
        .expect("qpdf is needed (Debian package qpdf)");
    // 0: a password is needed; 2: not encrypted; 3: encrypted, opens without one.
    match output.status.code() {
        Some(0) => true,
        Some(2 | 3) => false,
        _ => panic!("qpdf: {}", String::from_utf8_lossy(&output.stderr)),
    }
}

/// Writes an OCDS release package of `releases` tenders with `items` items each, shaped
/// like Ventanilla's server's (offsets, string amounts, CUCOP items), to `out`: ocids
/// `ocds-test-<n>`, titles naming a good, deadlines `days` from 2026-01-01 one per
/// release. About 3.5 KB plus 230 bytes per item per release.
pub fn write_release_package(
    out: &mut impl std::io::Write,
    releases: usize,
    items: usize,
) -> std::io::Result<()> {
    const GOODS: [&str; 5] = ["Papelería", "Tóner", "Uniformes", "Luminarias", "Limpieza"];
    write!(
        out,
        r#"{{"uri":"https://example.test/v1/tenders","version":"1.1","publishedDate":"2026-01-01T00:00:00Z","publisher":{{"name":"Alcaldía de prueba"}},"releases":["#
    )?;
    for n in 0..releases {
        if n > 0 {
            out.write_all(b",")?;
        }
        let good = GOODS[n % GOODS.len()];
        let day = 1 + n % 28;
        let month = 1 + (n / 28) % 12;
        write!(
            out,
            r#"{{"ocid":"ocds-test-{n}","id":"ocds-test-{n}-r1","date":"2026-01-01T12:00:00Z","tag":["tender"],"initiationType":"tender","parties":[{{"id":"BJ","name":"Alcaldía Benito Juárez","roles":["buyer","procuringEntity"],"identifier":{{"scheme":"MX-RFC","id":"ABJ970101AB1","legalName":"Alcaldía Benito Juárez"}},"address":{{"streetAddress":"Av. División del Norte 1611","locality":"Ciudad de México","postalCode":"03310","countryName":"México"}}}}],"buyer":{{"id":"BJ","name":"Alcaldía Benito Juárez"}},"tender":{{"id":"LP-{n}","title":"{good} para oficinas, lote {n}","description":"Adquisición de {good} para las oficinas de la alcaldía durante el ejercicio fiscal 2026, conforme a las especificaciones técnicas del anexo uno de las bases de la licitación.","status":"active","procurementMethod":"open","procurementMethodDetails":"Licitación pública","mainProcurementCategory":"goods","value":{{"amount":"{n}50000.00","currency":"MXN"}},"tenderPeriod":{{"startDate":"2026-01-01T09:00:00-06:00","endDate":"2026-{month:02}-{day:02}T14:00:00-06:00"}},"bidOpening":{{"date":"2026-{month:02}-{day:02}T16:00:00-06:00"}},"submissionMethod":["electronicSubmission"],"bidBond":"0.05","documents":[{{"id":"bases","documentType":"biddingDocuments","title":"Bases de la licitación","url":"https://example.test/docs/{n}/bases.pdf","format":"application/pdf"}},{{"id":"anexo","documentType":"technicalSpecifications","title":"Anexo técnico","url":"https://example.test/docs/{n}/anexo.pdf","format":"application/pdf"}}],"criteria":[{{"id":"1","title":"Documentos","requirementGroups":[{{"id":"1","requirements":[{{"id":"EDOS_FIN","title":"Estados financieros"}},{{"id":"OPINION_SAT","title":"Opinión de cumplimiento"}}]}}]}}],"items":["#
        )?;
        for i in 0..items {
            if i > 0 {
                out.write_all(b",")?;
            }
            write!(
                out,
                r#"{{"id":"{i}","description":"{good}, partida {i}: artículo de uso común con especificación según anexo técnico, entrega en almacén central","quantity":{q},"unit":{{"id":"H87","name":"pieza"}},"classification":{{"scheme":"CUCOP","id":"2110{d}","description":"Materiales y útiles de oficina"}}}}"#,
                q = 10 + i * 5,
                d = i % 10,
            )?;
        }
        out.write_all(b"]}}")?;
    }
    out.write_all(b"]}")
}

/// A complete registration of a persona física, micro business in Benito Juárez.
pub fn business() -> RegistrationDraft {
    RegistrationDraft {
        persona: "fisica".into(),
        rfc: "GODE561231GR8".into(),
        name: "Emma Gómez Díaz".into(),
        regimen: "612".into(),
        curp: "GODE561231MDFMZM01".into(),
        street: "Av. Cuauhtémoc".into(),
        exterior_number: "1240".into(),
        neighborhood: "Santa Cruz Atoyac".into(),
        postal_code: "03310".into(),
        municipality: "Benito Juárez".into(),
        state: "CMX".into(),
        email: "emma.gomez@ejemplo.com.mx".into(),
        phone: "55 1234 5678".into(),
        activity: "Venta de papelería y artículos de oficina.".into(),
        sector: "commerce".into(),
        workers: "4".into(),
        annual_sales: "$1,250,000.50".into(),
        employer: "no".into(),
        clabe: "002 010 07777777777 1".into(),
        ..Default::default()
    }
}

/// An open licitación with `items` items (quantities 1, 2, 3...; the last one's
/// quantity left out when there are three or more), a 5 % bid bond, and a deadline
/// on 15 December 2026 at 14:00 in Mexico City (20:00 UTC).
pub fn tender(items: usize) -> ventanilla_core::tender::Tender {
    use chrono::TimeZone;
    use ventanilla_core::tender::{Procedure, Tender, TenderItem, TenderStatus};
    let at = |d, h| chrono::Utc.with_ymd_and_hms(2026, 12, d, h, 0, 0).single();
    Tender {
        ocid: "ocds-bj2026-LP-014".into(),
        release_id: "ocds-bj2026-LP-014-01".into(),
        release_date: at(1, 16).unwrap_or_default(),
        title: "Adquisición de artículos de papelería y cómputo".into(),
        description: "Papelería para las oficinas de la alcaldía.".into(),
        buyer: "Alcaldía Benito Juárez, Dirección de Recursos Materiales".into(),
        procedure: Some(Procedure::Licitacion),
        status: TenderStatus::Active,
        category: "goods".into(),
        deadline: at(15, 20),
        opening: at(16, 17),
        value: None,
        bid_bond_rate: Some(rust_decimal::Decimal::new(5, 2)),
        items: (1..=items)
            .map(|n| TenderItem {
                id: format!("{n}"),
                description: format!("Partida {n}: cuaderno profesional de 100 hojas, raya ñ"),
                quantity: (items < 3 || n < items).then(|| rust_decimal::Decimal::from(n)),
                unit: "pieza".into(),
                classification: "CUCOP 21101".into(),
            })
            .collect(),
        documents: Vec::new(),
        requirements: Vec::new(),
        enquiry_end: None,
        enquiries: Vec::new(),
        award: None,
    }
}

/// The text of a PDF as poppler's `pdftotext` reads it (a viewer's search would find
/// the same), with runs of white space as single spaces. Fails the test when the tool
/// is missing or rejects the file.
pub fn pdf_text(bytes: &[u8]) -> String {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pdftotext is needed (Debian package poppler-utils)");
    let mut stdin = child.stdin.take().unwrap();
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(
        output.status.success(),
        "pdftotext: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
