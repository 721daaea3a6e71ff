//! Complete businesses for tests and benchmarks: a valid persona moral with every
//! document attached, ready to submit, or already queued.

use std::path::Path;

use chrono::{Days, Utc};
use ventanilla_core::bid::{Declaration, FrozenBid, ItemField};
use ventanilla_core::checklist::{mexico_city_today, Catalogue};
use ventanilla_core::rfc;
use ventanilla_core::tender::Tender;
use ventanilla_store::{BusinessStore, Library, StatusFilter, TenderQuery};

use crate::fixtures::{complete_moral_draft, one_page_pdf};

/// A valid persona moral RFC for business number `n`.
pub fn rfc_for(n: usize) -> String {
    const LETTERS: &[u8] = b"ABCDEFGHJKLMNPRSTUVWXYZ";
    let pick = |i: usize| LETTERS[i % LETTERS.len()] as char;
    let base = format!(
        "E{}{}900317{}{}",
        pick(n / LETTERS.len()),
        pick(n),
        pick(n / 7),
        (n % 10)
    );
    let rfc = format!("{base}{}", rfc::check_digit(&base).expect("test data"));
    assert!(rfc::check(&rfc).is_valid(), "{rfc}");
    rfc
}

/// The requirements a complete persona moral (not an employer) must send, and
/// whether each file is shared by every business (the same template) or its own.
pub const DOCUMENTS: &[(&str, bool)] = &[
    ("CSF", false),
    ("OPINION_SAT", false),
    ("ID_OFICIAL", false),
    ("ACTA", false),
    ("PODER", false),
    ("DOMICILIO", true),
    ("BANCO", true),
    ("ADEUDOS_CDMX", true),
    ("CURRICULUM", true),
];

/// Creates business number `n`, complete, with its documents of about `filler` bytes
/// each; answers its id.
pub fn complete_business(library: &Library, files: &Path, n: usize, filler: usize) -> String {
    let id = library
        .create_business(&complete_moral_draft(&rfc_for(n)))
        .expect("test data");
    let business = library.open_business(&id).expect("test data");
    let catalogue = Catalogue::default_catalogue();
    let today = mexico_city_today(Utc::now());
    for (position, &(code, shared)) in DOCUMENTS.iter().enumerate() {
        let seed = if shared {
            position as u64
        } else {
            1000 + (n * DOCUMENTS.len() + position) as u64
        };
        let path = files.join(format!("{seed}.pdf"));
        if !path.is_file() {
            std::fs::write(&path, one_page_pdf(seed, filler)).expect("test data");
        }
        let requirement = catalogue.requirement(code).expect("test data");
        let representative = requirement.per_representative.then_some("r1");
        let expires = (code == "ID_OFICIAL")
            .then(|| today.checked_add_days(Days::new(700)).expect("test data"));
        business
            .attach(
                &path,
                requirement,
                representative,
                Some(today),
                expires,
                &mut |_, _| true,
            )
            .expect("test data");
    }
    id
}

/// A library in `dir/data` holding complete business number `n` (its documents of
/// about `filler` bytes written to `dir/files`) with its registration queued: the
/// library, the business id and the submission id.
pub fn queued_registration(dir: &Path, n: usize, filler: usize) -> (Library, String, String) {
    let library = Library::open(dir.join("data")).unwrap();
    let files = dir.join("files");
    std::fs::create_dir_all(&files).unwrap();
    let id = complete_business(&library, &files, n, filler);
    let today = mexico_city_today(Utc::now());
    let submission = ventanilla_sync::queue_registration(&library, &id, today, None)
        .unwrap()
        .submission
        .id;
    (library, id, submission)
}

/// A bid on `tender` by `business`, every item offered and every declaration made:
/// complete, its id.
pub fn complete_bid(business: &BusinessStore, tender: &Tender) -> String {
    let bid = business.create_bid(tender).unwrap().id;
    for item in &tender.items {
        for (field, value) in [
            (
                ItemField::Offered,
                "Lo que pide la partida, nuevo, con factura",
            ),
            (ItemField::Delivery, "10 días hábiles"),
            (ItemField::UnitPrice, "1,234.50"),
            (ItemField::Quantity, "3"),
        ] {
            if field != ItemField::Quantity || item.quantity.is_none() {
                business
                    .set_bid_item_field(&bid, &item.id, field, value)
                    .unwrap();
            }
        }
    }
    for declaration in [
        Declaration::NoImpediment,
        Declaration::NoConflictOfInterest,
        Declaration::MipymeSize,
    ] {
        business
            .set_bid_declaration(&bid, declaration, true)
            .unwrap();
    }
    bid
}

/// A [`complete_bid`] frozen now: ready to queue.
pub fn ready_bid(library: &Library, business: &BusinessStore, tender: &Tender) -> FrozenBid {
    let bid = complete_bid(business, tender);
    let catalogue = library.catalogue().unwrap();
    let stored = business.load_bid(&bid).unwrap();
    business
        .freeze_bid(&catalogue, stored, tender.clone(), Utc::now())
        .unwrap()
        .unwrap()
}

/// The first open tender of the catalogue the drain brought down.
pub fn open_tender(library: &Library) -> Tender {
    let open = TenderQuery {
        status: Some(StatusFilter::Open),
        ..TenderQuery::default()
    };
    let listed = library.search_tenders(&open, Utc::now()).unwrap();
    library.tender(&listed[0].ocid).unwrap().unwrap()
}
