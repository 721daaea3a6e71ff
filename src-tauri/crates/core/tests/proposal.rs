//! The proposal PDF read back with poppler's `pdftotext`: Spanish text, amounts in
//! Mexican pesos, every part present, and a draft marked as such.
#![allow(clippy::unwrap_used)]

use chrono::{TimeZone, Utc};
use ventanilla_core::bid::{
    review_bid, tender_documents, BidDraft, Bidder, Declaration, ItemField,
};
use ventanilla_core::checklist::{Catalogue, Profile};
use ventanilla_core::proposal::{proposal_pdf, ProposalFacts};
use ventanilla_testkit::fixtures::{self, pdf_text};

#[test]
fn the_proposal_prints_every_part_with_pesos_and_spanish_text() {
    let tender = fixtures::tender(3);
    let business = fixtures::business();
    let mut draft = BidDraft::new("bid-1".into(), &tender);
    for item in &tender.items {
        let typed = draft.items.entry(item.id.clone()).or_default();
        typed.set(
            ItemField::Offered,
            format!("Cuaderno «Ñandú» modelo {}", item.id),
        );
        typed.set(ItemField::BrandModel, "Scribe Ñ-100".into());
        typed.set(ItemField::Delivery, "10 días hábiles".into());
        typed.set(ItemField::Warranty, "¡Un año!".into());
        typed.set(ItemField::UnitPrice, "1,234.50".into());
        typed.set(ItemField::Quantity, "4".into());
    }
    draft.accepted = Declaration::all().to_vec();
    let catalogue = Catalogue::default_catalogue();
    let now = Utc.with_ymd_and_hms(2026, 12, 10, 18, 30, 0).unwrap();
    let profile = Profile::from_draft(&business).unwrap();
    let bidder = Bidder {
        draft: &business,
        documents: tender_documents(&catalogue, &profile, &tender, now.date_naive(), &[]),
    };
    let review = review_bid(&draft, &tender, &bidder, now);
    let bytes = proposal_pdf(&ProposalFacts {
        draft: &draft,
        tender: &tender,
        business: &business,
        review: &review,
        catalogue: &catalogue,
        printed_at: now,
    });
    let text = pdf_text(&bytes);
    for expected in [
        "Propuesta técnica y económica",
        "BORRADOR",
        "Adquisición de artículos de papelería y cómputo (ocds-bj2026-LP-014)",
        "Licitación pública",
        "Fecha límite de presentación: 15/12/2026 14:00 (hora de la Ciudad de México)",
        "Fecha de elaboración: 10/12/2026 12:30",
        "RFC: GODE561231GR8",
        "Cuaderno «Ñandú» modelo 2",
        "Marca y modelo: Scribe Ñ-100",
        "Garantía: ¡Un año!",
        "Partida 1: cuaderno profesional de 100 hojas, raya ñ",
        "$1,234.50 MXN",
        "$4,938.00 MXN",
        "Subtotal $8,641.50 MXN",
        "IVA 16 % $1,382.64 MXN",
        "Total $10,024.14 MXN",
        "Garantía de sostenimiento: $432.08 MXN (5 % del importe antes de IVA)",
        "Vigencia de los precios: 90 días naturales",
        "Constancia de Situación Fiscal",
        "manifiesto bajo protesta de decir verdad",
        "micro empresa",
        "Página 1 de",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }
}
