//! Hand-built files and facts for tests across the workspace (core's own, the store's,
//! the window tests'): real PDFs with correct cross-reference tables, made in memory,
//! and a business and a tender to prepare bids with.
//! Compiled only for tests and under the `test-support` feature.

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

/// A one-page PDF that needs a password: its trailer names an encryption dictionary.
pub fn encrypted_pdf() -> Vec<u8> {
    pdf(
        &[
            CATALOG,
            ONE_PAGE,
            PAGE,
            "<< /Filter /Standard /V 1 /R 2 /O (owner) /U (user) /P -44 >>",
        ],
        " /Encrypt 4 0 R /ID [<0123> <4567>]",
    )
}

/// A complete registration of a persona física, micro business in Benito Juárez.
pub fn business() -> crate::RegistrationDraft {
    crate::RegistrationDraft {
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
pub fn tender(items: usize) -> crate::tender::Tender {
    use crate::tender::{Procedure, Tender, TenderItem, TenderStatus};
    use chrono::TimeZone;
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
    }
}
