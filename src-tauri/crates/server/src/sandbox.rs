//! Sample tenders for the sandbox, in the style of the alcaldía Benito Juárez: one
//! open, one closing within hours, one closed and opened, each with an enquiry
//! period ending before its deadline. Dates are relative to the
//! server's clock at start, so the sandbox always has something to show; a tender
//! seeded earlier is kept as it was.

use chrono::{DateTime, Duration, Utc};
use rust_decimal::Decimal;
use ventanilla_api::ocds::{
    BidOpening, Classification, Identifier, Item, Money, Organization, OrganizationReference,
    Period, Release, Tender, Unit,
};

use crate::storage::{Storage, StorageError, TenderRecord};

const BUYER_ID: &str = "ABJ";
const BUYER: &str = "Alcaldía Benito Juárez";

/// One sample tender's facts.
struct Sample {
    number: &'static str,
    title: &'static str,
    description: &'static str,
    method: (&'static str, &'static str),
    category: &'static str,
    /// Whole pesos.
    amount: i64,
    items: &'static [(&'static str, i64, &'static str)],
    /// From the seeding instant.
    deadline: Duration,
    /// The end of the enquiry period, from the seeding instant.
    enquiries: Duration,
    opening: Duration,
}

fn samples() -> [Sample; 3] {
    [
        Sample {
            number: "LP-ABJ-2026-014",
            title: "Adquisición de papelería y consumibles de oficina para las Direcciones Territoriales",
            description: "Suministro de papel bond, carpetas y tóner para las oficinas de la alcaldía durante el primer semestre.",
            method: ("open", "Licitación pública nacional"),
            category: "goods",
            amount: 850_000,
            items: &[
                ("Papel bond tamaño carta, caja con 5,000 hojas", 300, "Caja"),
                ("Tóner compatible para impresora láser monocromática", 120, "Pieza"),
                ("Carpeta de argollas de 2 pulgadas", 800, "Pieza"),
            ],
            deadline: Duration::days(14),
            enquiries: Duration::days(7),
            opening: Duration::days(15),
        },
        Sample {
            number: "IR-ABJ-2026-007",
            title: "Mantenimiento preventivo de luminarias en la colonia Del Valle",
            description: "Revisión y sustitución de balastros y fotoceldas en el alumbrado público de las colonias Del Valle Centro, Norte y Sur.",
            method: ("selective", "Invitación restringida a cuando menos tres proveedores"),
            category: "services",
            amount: 420_000,
            items: &[("Servicio de mantenimiento preventivo por luminaria", 650, "Servicio")],
            deadline: Duration::hours(3),
            enquiries: Duration::hours(1),
            opening: Duration::days(1),
        },
        Sample {
            number: "LP-ABJ-2026-009",
            title: "Suministro de uniformes para el personal de Protección Civil",
            description: "Uniformes de trabajo con reflejantes y calzado de seguridad para las brigadas de Protección Civil.",
            method: ("open", "Licitación pública nacional"),
            category: "goods",
            amount: 1_250_000,
            items: &[
                ("Uniforme de trabajo con cinta reflejante", 400, "Juego"),
                ("Calzado de seguridad dieléctrico", 400, "Par"),
            ],
            deadline: Duration::days(-3),
            enquiries: Duration::days(-5),
            opening: Duration::days(-2),
        },
    ]
}

fn release(sample: &Sample, now: DateTime<Utc>) -> TenderRecord {
    let start = (now - Duration::days(7)).min(now + sample.deadline - Duration::days(7));
    let deadline = now + sample.deadline;
    let ocid = format!("ocds-abj-sandbox-{}", sample.number);
    let buyer = OrganizationReference {
        id: BUYER_ID.to_owned(),
        name: BUYER.to_owned(),
    };
    let release = Release {
        ocid: ocid.clone(),
        id: format!("{ocid}-convocatoria"),
        date: start,
        tag: vec!["tender".to_owned()],
        initiation_type: "tender".to_owned(),
        parties: vec![Organization {
            id: BUYER_ID.to_owned(),
            name: BUYER.to_owned(),
            // The sandbox does not claim the alcaldía's real RFC.
            identifier: Identifier {
                scheme: "X-VENTANILLA-SANDBOX".to_owned(),
                id: BUYER_ID.to_owned(),
                legal_name: BUYER.to_owned(),
            },
            roles: vec!["buyer".to_owned(), "procuringEntity".to_owned()],
            details: None,
        }],
        buyer,
        awards: Vec::new(),
        contracts: Vec::new(),
        tender: Tender {
            id: sample.number.to_owned(),
            title: sample.title.to_owned(),
            description: sample.description.to_owned(),
            status: "active".to_owned(),
            procurement_method: sample.method.0.to_owned(),
            procurement_method_details: sample.method.1.to_owned(),
            main_procurement_category: sample.category.to_owned(),
            value: Money {
                amount: Decimal::new(sample.amount * 100, 2),
                currency: "MXN".to_owned(),
            },
            items: sample
                .items
                .iter()
                .enumerate()
                .map(|(i, (description, quantity, unit))| Item {
                    id: (i + 1).to_string(),
                    description: (*description).to_owned(),
                    quantity: Decimal::from(*quantity),
                    unit: Unit {
                        name: (*unit).to_owned(),
                    },
                    classification: Classification {
                        scheme: "X-VENTANILLA-SANDBOX".to_owned(),
                        id: format!("{}-{}", sample.number, i + 1),
                        description: (*description).to_owned(),
                    },
                })
                .collect(),
            tender_period: Period {
                start_date: start,
                end_date: deadline,
            },
            submission_method: vec!["electronicSubmission".to_owned()],
            bid_opening: BidOpening {
                date: now + sample.opening,
            },
            enquiry_period: Some(Period {
                start_date: start,
                end_date: now + sample.enquiries,
            }),
            enquiries: Vec::new(),
        },
        bids: None,
    };
    TenderRecord {
        release,
        deadline,
        opening: now + sample.opening,
        enquiry_end: Some(now + sample.enquiries),
    }
}

/// Publishes the sample tenders not yet published.
pub fn seed(storage: &dyn Storage, now: DateTime<Utc>) -> Result<(), StorageError> {
    for sample in samples() {
        storage.publish_tender(&release(&sample, now))?;
    }
    Ok(())
}
