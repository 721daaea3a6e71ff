//! The printable proposal of a bid: its technical and economic parts, the documents
//! the tender asks for and the declarations, as a PDF in Spanish with amounts in
//! Mexican pesos. A bid still incomplete prints as a draft that says so.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use ventanilla_pdf::{Align, Column, Document, PageSize, Row};

use crate::bid::{BidDraft, BidReview, ItemField};
use crate::checklist::{Catalogue, Status};
use crate::message::Locale;
use crate::money::{format_mxn, IVA_RATE};
use crate::registration::RegistrationDraft;
use crate::tender::{Procedure, Tender};

/// Everything the proposal prints.
pub struct ProposalFacts<'a> {
    /// The bid.
    pub draft: &'a BidDraft,
    /// The tender it is on, as judged now.
    pub tender: &'a Tender,
    /// The business that bids.
    pub business: &'a RegistrationDraft,
    /// The bid's review at `printed_at`.
    pub review: &'a BidReview,
    /// Names the documents.
    pub catalogue: &'a Catalogue,
    /// When it is printed; also the instant the review is at.
    pub printed_at: DateTime<Utc>,
}

/// A Mexico City date and time as printed, such as `15/12/2026 14:00`.
pub fn mexico_city_time(instant: DateTime<Utc>) -> String {
    instant
        .with_timezone(&chrono_tz::America::Mexico_City)
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

fn procedure_name(procedure: Option<Procedure>) -> &'static str {
    match procedure {
        Some(Procedure::Licitacion) => "Licitación pública",
        Some(Procedure::Invitacion) => "Invitación restringida a cuando menos tres proveedores",
        Some(Procedure::Adjudicacion) => "Adjudicación directa",
        None => "No indicado",
    }
}

fn quantity_text(quantity: Option<Decimal>) -> String {
    quantity.map_or_else(|| "—".to_owned(), |q| q.normalize().to_string())
}

fn amount_text(amount: Option<Decimal>) -> String {
    amount.map_or_else(|| "por corregir".to_owned(), format_mxn)
}

/// The proposal as PDF bytes (Letter paper, as Mexican offices print).
pub fn proposal_pdf(facts: &ProposalFacts) -> Vec<u8> {
    let ProposalFacts {
        draft,
        tender,
        business,
        review,
        catalogue,
        printed_at,
    } = facts;
    let mut doc = Document::new(PageSize::Letter);
    doc.title(&format!("Propuesta técnica y económica — {}", tender.title))
        .page_numbers("Página {page} de {pages}")
        .heading("Propuesta técnica y económica");
    if !review.ready {
        doc.paragraph(&format!(
            "BORRADOR: a esta propuesta le faltan o tiene por corregir {} dato(s); revísala en Ventanilla antes de enviarla.",
            review.issues.len()
        ));
    }
    doc.field(
        "Procedimiento",
        &format!("{} ({})", tender.title, tender.ocid),
    )
    .field("Tipo de procedimiento", procedure_name(tender.procedure))
    .field("Convocante", &tender.buyer);
    if let Some(deadline) = tender.deadline {
        doc.field(
            "Fecha límite de presentación",
            &format!(
                "{} (hora de la Ciudad de México)",
                mexico_city_time(deadline)
            ),
        );
    }
    doc.field("Licitante", business.name.trim())
        .field("RFC", &business.rfc.trim().to_uppercase())
        .field("Domicilio", &address(business))
        .field(
            "Correo y teléfono",
            &format!("{} · {}", business.email.trim(), business.phone.trim()),
        )
        .field(
            "Fecha de elaboración",
            &format!(
                "{} (hora de la Ciudad de México)",
                mexico_city_time(*printed_at)
            ),
        )
        .space(6.0);

    doc.subheading("1. Propuesta técnica");
    let technical = tender
        .items
        .iter()
        .map(|item| {
            let typed = |field| draft.item_value(&item.id, field).trim().to_owned();
            let mut offered = typed(ItemField::Offered);
            for (label, field) in [
                ("Marca y modelo", ItemField::BrandModel),
                ("Entrega", ItemField::Delivery),
                ("Garantía", ItemField::Warranty),
            ] {
                let value = typed(field);
                if !value.is_empty() {
                    offered.push_str(&format!("\n{label}: {value}"));
                }
            }
            let annexes: Vec<&str> = draft
                .annexes
                .iter()
                .filter(|a| a.item_id == item.id)
                .map(|a| a.name.as_str())
                .collect();
            Row::new(vec![
                item.id.clone(),
                item.description.clone(),
                offered,
                annexes.join("\n"),
            ])
        })
        .collect();
    doc.table(
        vec![
            Column::new("Partida", 0.8, Align::Left),
            Column::new("Solicitado", 3.0, Align::Left),
            Column::new("Ofrecido", 3.6, Align::Left),
            Column::new("Anexos", 1.6, Align::Left),
        ],
        technical,
    );

    doc.subheading("2. Propuesta económica");
    let mut economic: Vec<Row> = review
        .lines
        .iter()
        .zip(&tender.items)
        .map(|(line, item)| {
            Row::new(vec![
                item.id.clone(),
                item.description.clone(),
                quantity_text(line.quantity),
                item.unit.clone(),
                amount_text(line.unit_price),
                amount_text(line.subtotal),
            ])
        })
        .collect();
    if let Some(totals) = &review.totals {
        let iva_label = format!("IVA {} %", (IVA_RATE * Decimal::ONE_HUNDRED).normalize());
        for (label, amount, bold) in [
            ("Subtotal", totals.subtotal, false),
            (iva_label.as_str(), totals.iva, false),
            ("Total", totals.total, true),
        ] {
            let cells = vec![
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                label.to_owned(),
                format_mxn(amount),
            ];
            economic.push(if bold {
                Row::bold(cells)
            } else {
                Row::new(cells)
            });
        }
    }
    doc.table(
        vec![
            Column::new("Partida", 0.8, Align::Left),
            Column::new("Descripción", 3.2, Align::Left),
            Column::new("Cantidad", 1.0, Align::Right),
            Column::new("Unidad", 1.0, Align::Left),
            Column::new("Precio unitario", 1.6, Align::Right),
            Column::new("Importe", 1.8, Align::Right),
        ],
        economic,
    );
    doc.field("Moneda", "pesos mexicanos (MXN)").field(
        "Vigencia de los precios",
        &format!("{} días naturales", draft.price_validity_days.trim()),
    );
    if let (Some(rate), Some(bond)) = (
        tender.bid_bond_rate,
        review.totals.as_ref().and_then(|t| t.bid_bond),
    ) {
        doc.field(
            "Garantía de sostenimiento",
            &format!(
                "{} ({} % del importe antes de IVA)",
                format_mxn(bond),
                (rate * Decimal::ONE_HUNDRED).normalize()
            ),
        );
    }
    doc.space(6.0);

    doc.subheading("3. Documentación legal y administrativa");
    if review.documents.is_empty() {
        doc.paragraph("La convocatoria no pide documentos del expediente.");
    } else {
        let rows = review
            .documents
            .iter()
            .map(|item| {
                let name = catalogue
                    .requirement(&item.code)
                    .map_or(item.code.as_str(), |r| r.name.text(Locale::Es));
                let status = if item.status.is_ready() {
                    "En el expediente, vigente".to_owned()
                } else if item.status == Status::Missing {
                    "Falta".to_owned()
                } else {
                    item.status.message(Locale::Es)
                };
                Row::new(vec![name.to_owned(), status])
            })
            .collect();
        doc.table(
            vec![
                Column::new("Documento", 4.0, Align::Left),
                Column::new("Estado", 4.0, Align::Left),
            ],
            rows,
        );
    }

    doc.subheading("4. Declaraciones bajo protesta de decir verdad");
    for declaration in &review.declarations {
        doc.field(&declaration.title, "")
            .paragraph(&declaration.text);
        if !declaration.accepted {
            doc.paragraph("(Declaración aún no confirmada por el licitante.)");
        }
        doc.space(4.0);
    }
    doc.space(30.0)
        .paragraph("______________________________")
        .paragraph(&signer(business))
        .paragraph("Nombre y firma");
    doc.to_bytes()
}

fn address(business: &RegistrationDraft) -> String {
    let interior = business.interior_number.trim();
    let number = if interior.is_empty() {
        business.exterior_number.trim().to_owned()
    } else {
        format!("{} int. {interior}", business.exterior_number.trim())
    };
    [
        format!("{} {number}", business.street.trim()),
        format!("col. {}", business.neighborhood.trim()),
        format!("C.P. {}", business.postal_code.trim()),
        business.municipality.trim().to_owned(),
    ]
    .join(", ")
}

/// Who signs: the first legal representative of a persona moral, else the owner.
fn signer(business: &RegistrationDraft) -> String {
    business
        .representatives
        .first()
        .map(|r| r.name.trim())
        .filter(|name| !name.is_empty())
        .map_or_else(
            || business.name.trim().to_owned(),
            |name| format!("{name}, representante legal de {}", business.name.trim()),
        )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn times_print_in_mexico_city() {
        let deadline = Utc.with_ymd_and_hms(2026, 12, 15, 20, 0, 0).unwrap();
        assert_eq!(mexico_city_time(deadline), "15/12/2026 14:00");
    }
}
