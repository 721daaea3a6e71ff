//! Tenders that fit a business ("Para ti"): its activity (the SCIAN code and the words
//! of the goods and services it offers, as the registration has them) against each open
//! tender's item classifications and text (title, description, item descriptions).
//!
//! Each fit says why, as [`FitReason`]s: data the window words in its own catalogues.
//! Matching is by whole words, accents and case ignored ([`crate::text::fold`]), and a
//! plural `s`/`es` ignored, so «Tóner» finds «toneres» and «silla» finds «Sillas»; words
//! too common to tell anything («de», «servicios», «artículos») are not matched.
//!
//! The catalogue is indexed once ([`FitIndex`]), the business's words are folded once
//! ([`Interests`]); a business is then matched by looking its few words up, so 1,000
//! businesses against 10,000 tenders cost 1,000 small look-ups, not 10 million
//! comparisons (see docs/BENCHMARKS.md).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::tender::{is_open, Tender};
use crate::text::{fold, words};

/// Folded words that say nothing about what a business offers or a tender asks for.
const COMMON: &[&str] = &[
    "a",
    "al",
    "bien",
    "bienes",
    "como",
    "comercializacion",
    "comercio",
    "con",
    "de",
    "del",
    "e",
    "el",
    "en",
    "equipo",
    "equipos",
    "general",
    "generales",
    "la",
    "las",
    "lo",
    "los",
    "mas",
    "material",
    "materiales",
    "o",
    "otra",
    "otras",
    "otro",
    "otros",
    "para",
    "por",
    "producto",
    "productos",
    "que",
    "servicio",
    "servicios",
    "sin",
    "su",
    "sus",
    "suministro",
    "suministros",
    "tipo",
    "toda",
    "todas",
    "todo",
    "todos",
    "u",
    "un",
    "una",
    "unas",
    "unos",
    "venta",
    "ventas",
    "y",
    "articulo",
    "articulos",
    "adquisicion",
    "contratacion",
];

/// The key a folded word is matched by: without a plural ending, or `None` when the
/// word is too short or too common to tell anything.
fn stem(folded_word: &str) -> Option<&str> {
    if folded_word.chars().count() < 3 || COMMON.contains(&folded_word) {
        return None;
    }
    // Spanish plurals add `s` after a vowel and `es` after a consonant: dropping a
    // final `s` and then a final `e` gives «uniforme» and «uniformes», «tóner» and
    // «tóneres» one key each.
    let mut stem = folded_word;
    if stem.len() > 3 {
        stem = stem.strip_suffix('s').unwrap_or(stem);
    }
    if stem.len() > 4 {
        stem = stem.strip_suffix('e').unwrap_or(stem);
    }
    Some(stem)
}

/// The SCIAN code (6 digits) an item is classified under, when its scheme is SCIAN.
fn scian_of(classification: &str) -> Option<&str> {
    let (scheme, id) = classification.trim().split_once(' ')?;
    let id = id.trim();
    (scheme.eq_ignore_ascii_case("SCIAN") && is_scian(id)).then_some(id)
}

fn is_scian(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
}

/// The SCIAN branch (rama): a code's first four digits.
fn branch(code: &str) -> &str {
    &code[..4]
}

/// A word the owner typed among the goods and services offered.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Term {
    /// As typed, for the reason shown («Papelería»).
    shown: String,
    /// As matched.
    key: String,
}

/// What a business does, folded once for matching: its SCIAN code, when it has a valid
/// one, and the words of what it offers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Interests {
    scian: Option<String>,
    terms: Vec<Term>,
}

impl Interests {
    /// From the registration's `scian` and `activity` fields as typed; a SCIAN code
    /// that is not 6 digits is left out (the review says so), as are common words and
    /// repeats.
    pub fn new(scian: &str, offer: &str) -> Interests {
        let scian = Some(scian.trim())
            .filter(|s| is_scian(s))
            .map(str::to_owned);
        let mut terms: Vec<Term> = Vec::new();
        for typed in offer.split(|c: char| !c.is_alphanumeric()) {
            let folded = fold(typed);
            let Some(key) = stem(&folded) else {
                continue;
            };
            if terms.iter().all(|t| t.key != key) {
                terms.push(Term {
                    shown: typed.to_owned(),
                    key: key.to_owned(),
                });
            }
        }
        Interests { scian, terms }
    }

    /// Nothing to match by: no SCIAN code and no telling word.
    pub fn is_empty(&self) -> bool {
        self.scian.is_none() && self.terms.is_empty()
    }

    /// The words matched, as typed.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.terms.iter().map(|t| t.shown.as_str())
    }
}

/// Why a tender fits a business, as data the window words in the person's language.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Hash, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FitReason {
    /// An item is classified under the business's own SCIAN code.
    Scian {
        /// The business's (and the item's) SCIAN code.
        code: String,
        /// The item's description.
        item: String,
    },
    /// An item is classified under another code of the business's SCIAN branch (the
    /// same first four digits).
    ScianBranch {
        /// The business's SCIAN code.
        code: String,
        /// The item's SCIAN code.
        item_code: String,
        /// The item's description.
        item: String,
    },
    /// The tender's title, description or items mention a word of what the business
    /// offers.
    Mentions {
        /// The word as the owner typed it.
        word: String,
    },
}

/// One reason, by position: cheap to collect for many pairs, worded only for the fits
/// shown ([`Interests::reason`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Why {
    /// The tender's item at this index has the business's SCIAN code.
    Scian(u32),
    /// The tender's item at this index is of the business's SCIAN branch.
    ScianBranch(u32),
    /// The business's offer word at this index is mentioned.
    Mentions(u32),
}

impl Interests {
    /// The reason `why` spelled out, for `tender` (the one it was found in).
    pub fn reason(&self, why: Why, tender: &Tender) -> FitReason {
        let item = |i: u32| tender.items.get(i as usize);
        let code = self.scian.clone().unwrap_or_default();
        match why {
            Why::Scian(i) => FitReason::Scian {
                code,
                item: item(i).map(|it| it.description.clone()).unwrap_or_default(),
            },
            Why::ScianBranch(i) => FitReason::ScianBranch {
                code,
                item_code: item(i)
                    .and_then(|it| scian_of(&it.classification))
                    .unwrap_or_default()
                    .to_owned(),
                item: item(i).map(|it| it.description.clone()).unwrap_or_default(),
            },
            Why::Mentions(t) => FitReason::Mentions {
                word: self
                    .terms
                    .get(t as usize)
                    .map(|t| t.shown.clone())
                    .unwrap_or_default(),
            },
        }
    }
}

/// A tender that fits, and why: SCIAN first, then the words in the owner's order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fit<'a> {
    /// The tender.
    pub tender: &'a Tender,
    /// Why it fits; never empty.
    pub why: Vec<Why>,
}

impl Fit<'_> {
    /// The reasons spelled out.
    pub fn reasons(&self, interests: &Interests) -> Vec<FitReason> {
        self.why
            .iter()
            .map(|&why| interests.reason(why, self.tender))
            .collect()
    }
}

/// The open tenders of a catalogue, newest first, indexed by word and SCIAN code.
#[derive(Debug, Default)]
pub struct FitIndex<'a> {
    tenders: Vec<&'a Tender>,
    /// Word key → (tender position) ascending, each tender once.
    words: HashMap<String, Vec<u32>>,
    /// SCIAN code → (tender position, first item with it), ascending.
    codes: HashMap<String, Vec<(u32, u32)>>,
    /// SCIAN branch → (tender position, first item of it), ascending.
    branches: HashMap<String, Vec<(u32, u32)>>,
}

impl<'a> FitIndex<'a> {
    /// Indexes the tenders of `catalogue` open at `now`, newest release first (the
    /// same date by ocid).
    pub fn new(catalogue: impl IntoIterator<Item = &'a Tender>, now: DateTime<Utc>) -> Self {
        let mut tenders: Vec<&Tender> = catalogue
            .into_iter()
            .filter(|t| is_open(t.status, t.deadline, now))
            .collect();
        tenders.sort_by(|a, b| {
            b.release_date
                .cmp(&a.release_date)
                .then_with(|| a.ocid.cmp(&b.ocid))
        });
        let mut index = FitIndex {
            tenders: Vec::with_capacity(tenders.len()),
            ..FitIndex::default()
        };
        let mut seen: Vec<String> = Vec::new();
        for (pos, tender) in tenders.into_iter().enumerate() {
            let pos = pos as u32;
            seen.clear();
            let mut text = fold(&tender.title);
            text.push(' ');
            text.push_str(&fold(&tender.description));
            for item in &tender.items {
                text.push(' ');
                text.push_str(&fold(&item.description));
            }
            for key in words(&text).filter_map(stem) {
                if !seen.iter().any(|s| s == key) {
                    seen.push(key.to_owned());
                }
            }
            for key in seen.drain(..) {
                index.words.entry(key).or_default().push(pos);
            }
            for (i, item) in tender.items.iter().enumerate() {
                let Some(code) = scian_of(&item.classification) else {
                    continue;
                };
                for (map, key) in [
                    (&mut index.codes, code),
                    (&mut index.branches, branch(code)),
                ] {
                    let postings = map.entry(key.to_owned()).or_default();
                    if postings.last().is_none_or(|&(p, _)| p != pos) {
                        postings.push((pos, i as u32));
                    }
                }
            }
            index.tenders.push(tender);
        }
        index
    }

    /// How many open tenders are indexed.
    pub fn len(&self) -> usize {
        self.tenders.len()
    }

    /// Whether no open tender is indexed.
    pub fn is_empty(&self) -> bool {
        self.tenders.is_empty()
    }

    /// The open tenders that fit `interests`, newest first, each with why.
    pub fn fits(&self, interests: &Interests) -> Vec<Fit<'a>> {
        let mut found: Vec<(u32, Why)> = Vec::new();
        if let Some(code) = &interests.scian {
            let exact = self.codes.get(code.as_str()).map_or(&[][..], Vec::as_slice);
            found.extend(exact.iter().map(|&(pos, item)| (pos, Why::Scian(item))));
            if let Some(same_branch) = self.branches.get(branch(code)) {
                found.extend(
                    same_branch
                        .iter()
                        .filter(|(pos, _)| exact.binary_search_by_key(pos, |&(p, _)| p).is_err())
                        .map(|&(pos, item)| (pos, Why::ScianBranch(item))),
                );
            }
        }
        for (t, term) in interests.terms.iter().enumerate() {
            if let Some(postings) = self.words.get(&term.key) {
                found.extend(postings.iter().map(|&pos| (pos, Why::Mentions(t as u32))));
            }
        }
        found.sort_unstable();
        let mut fits: Vec<Fit<'a>> = Vec::new();
        let mut last = None;
        for (pos, why) in found {
            if last == Some(pos) {
                if let Some(fit) = fits.last_mut() {
                    fit.why.push(why);
                }
            } else {
                last = Some(pos);
                fits.push(Fit {
                    tender: self.tenders[pos as usize],
                    why: vec![why],
                });
            }
        }
        fits
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::ocds::{read_tenders, Entry};

    /// A tender shaped like the sandbox's and the bench's: CUCOP or SCIAN items.
    fn release(n: u32, title: &str, items: &[(&str, &str, &str)], date: &str, end: &str) -> String {
        let items: Vec<String> = items
            .iter()
            .enumerate()
            .map(|(i, (description, scheme, id))| {
                format!(
                    r#"{{"id":"{i}","description":"{description}","quantity":10,"unit":{{"id":"H87","name":"pieza"}},"classification":{{"scheme":"{scheme}","id":"{id}","description":"{description}"}}}}"#
                )
            })
            .collect();
        format!(
            r#"{{"ocid":"ocds-bj-{n}","id":"ocds-bj-{n}-convocatoria","date":"{date}","tag":["tender"],"initiationType":"tender","buyer":{{"id":"BJ","name":"Alcaldía Benito Juárez"}},"tender":{{"id":"LP-{n}","title":"{title}","description":"Adquisición conforme a las especificaciones técnicas del anexo uno de las bases.","status":"active","procurementMethod":"open","mainProcurementCategory":"goods","tenderPeriod":{{"startDate":"2026-11-01T09:00:00-06:00","endDate":"{end}"}},"items":[{}]}}}}"#,
            items.join(",")
        )
    }

    fn catalogue() -> Vec<Tender> {
        let releases = [
            release(
                1,
                "Papelería para oficinas, lote 1",
                &[("Cuaderno profesional de 100 hojas, raya", "CUCOP", "21101")],
                "2026-11-02T12:00:00Z",
                "2026-12-20T14:00:00-06:00",
            ),
            release(
                2,
                "Tóneres y cartuchos para impresoras",
                &[
                    ("Cartucho de tóner negro", "CUCOP", "21401"),
                    ("Abarrotes para el comedor", "SCIAN", "461110"),
                ],
                "2026-11-05T12:00:00Z",
                "2026-12-22T14:00:00-06:00",
            ),
            release(
                3,
                "Uniformes escolares",
                &[("Suéter de uniforme, talla 10", "SCIAN", "463211")],
                "2026-11-04T12:00:00Z",
                "2026-12-21T14:00:00-06:00",
            ),
            // Closed: its deadline is past.
            release(
                4,
                "Papelería y útiles, cerrada",
                &[("Lápices", "SCIAN", "465311")],
                "2026-11-06T12:00:00Z",
                "2026-11-10T14:00:00-06:00",
            ),
            release(
                5,
                "Abarrotes para comedores comunitarios",
                &[("Frijol, arroz y aceite", "SCIAN", "461190")],
                "2026-11-03T12:00:00Z",
                "2026-12-23T14:00:00-06:00",
            ),
        ];
        let json = format!(r#"{{"releases":[{}]}}"#, releases.join(","));
        let mut tenders = Vec::new();
        read_tenders(json.as_bytes(), |entry| {
            if let Entry::Tender(tender) = entry {
                tenders.push(*tender);
            }
            Ok::<(), ()>(())
        })
        .unwrap();
        assert_eq!(tenders.len(), 5);
        tenders
    }

    fn now() -> DateTime<Utc> {
        "2026-12-01T12:00:00Z".parse().unwrap()
    }

    fn ocids(fits: &[Fit<'_>]) -> Vec<String> {
        fits.iter().map(|f| f.tender.ocid.clone()).collect()
    }

    #[test]
    fn offer_words_match_accents_case_and_plurals_aside_newest_first() {
        let tenders = catalogue();
        let index = FitIndex::new(&tenders, now());
        assert_eq!(index.len(), 4, "the closed tender is left out");
        let shop = Interests::new("", "PAPELERIA, toner y cartucho; útiles de oficina");
        let fits = index.fits(&shop);
        assert_eq!(ocids(&fits), ["ocds-bj-2", "ocds-bj-1"], "newest first");
        assert_eq!(
            fits[0].reasons(&shop),
            [
                FitReason::Mentions {
                    word: "toner".into()
                },
                FitReason::Mentions {
                    word: "cartucho".into()
                },
            ],
            "«Tóneres» and «cartuchos» are the owner's «toner» and «cartucho»"
        );
        assert_eq!(
            fits[1].reasons(&shop),
            [
                FitReason::Mentions {
                    word: "PAPELERIA".into()
                },
                FitReason::Mentions {
                    word: "oficina".into()
                },
            ]
        );
    }

    #[test]
    fn the_scian_code_matches_items_of_its_code_and_then_of_its_branch() {
        let tenders = catalogue();
        let index = FitIndex::new(&tenders, now());
        let grocer = Interests::new(" 461110 ", "");
        let fits = index.fits(&grocer);
        assert_eq!(ocids(&fits), ["ocds-bj-2", "ocds-bj-5"]);
        assert_eq!(
            fits[0].reasons(&grocer),
            [FitReason::Scian {
                code: "461110".into(),
                item: "Abarrotes para el comedor".into()
            }]
        );
        assert_eq!(
            fits[1].reasons(&grocer),
            [FitReason::ScianBranch {
                code: "461110".into(),
                item_code: "461190".into(),
                item: "Frijol, arroz y aceite".into()
            }]
        );
        // Code and words together: one fit per tender, SCIAN first.
        let both = Interests::new("461110", "abarrotes");
        let fits = index.fits(&both);
        assert_eq!(ocids(&fits), ["ocds-bj-2", "ocds-bj-5"]);
        assert_eq!(fits[0].why, [Why::Scian(1), Why::Mentions(0)]);
    }

    #[test]
    fn common_short_and_malformed_input_matches_nothing() {
        let tenders = catalogue();
        let index = FitIndex::new(&tenders, now());
        for (scian, offer) in [
            ("", ""),
            ("4611", "venta de productos y servicios en general"),
            ("46111O", "a, de, la"),
            ("", "artículos para oficinas"),
        ] {
            let interests = Interests::new(scian, offer);
            let fits = index.fits(&interests);
            if offer.contains("oficinas") {
                // Only «oficinas» tells anything; «artículos» does not.
                assert_eq!(interests.words().collect::<Vec<_>>(), ["oficinas"]);
                assert_eq!(ocids(&fits), ["ocds-bj-1"]);
            } else {
                assert!(interests.is_empty(), "{scian:?} {offer:?}");
                assert!(fits.is_empty());
            }
        }
    }

    #[test]
    fn whole_words_only() {
        let tenders = catalogue();
        let index = FitIndex::new(&tenders, now());
        // «papel» is not «papelería», «uniforme» is «Uniformes».
        assert!(index.fits(&Interests::new("", "papel")).is_empty());
        assert_eq!(
            ocids(&index.fits(&Interests::new("", "uniforme"))),
            ["ocds-bj-3"]
        );
    }
}
