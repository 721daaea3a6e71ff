//! «Para ti»: the open tenders that fit each business, newest first, with why (core's
//! `fit` matcher over the catalogue and the activity the index keeps of every
//! business, so no business's own file is opened).
//!
//! A refresh counts them for every business at once and keeps, in `app.db`, each one's
//! count and newest few for the home card; it runs after every change to the catalogue
//! (an import, a sync that brought tenders), and when the home list finds a count stale
//! (a business's activity changed, or a tender counted has closed). It also tells, once
//! each, the fitting tenders new since the previous refresh and those closing within
//! [`CLOSING_DAYS`]; the window shows them as a notice after a sync.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use ts_rs::TS;
use ventanilla_core::fit::{Fit, FitIndex, FitReason, Interests};
use ventanilla_core::tender::Tender;
use ventanilla_store::{Activity, FitEntry, FitRecord, Library, NoticeKind, StoreError};

use crate::desk::Desk;
use crate::ids::{BusinessId, Ocid};
use crate::tenders::TenderSummary;
use crate::views::CommandError;

/// A fitting tender whose deadline is this close is told as closing soon.
pub const CLOSING_DAYS: i64 = 3;
/// How many of a business's fitting tenders its home card shows.
const TOP: usize = 3;
/// The most fitting tenders listed per business; the count says how many there are.
const LIST_LIMIT: usize = 200;

/// One fitting tender on the home card.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct FitView {
    /// The tender.
    pub ocid: Ocid,
    /// Its title.
    pub title: String,
    /// Its deadline, UTC RFC 3339; the UI shows it in Mexico City time.
    pub deadline: Option<String>,
    /// Why it fits, worded by the window.
    pub reasons: Vec<FitReason>,
}

/// A fitting tender in the Convocatorias «Para ti» list.
#[derive(Serialize, Clone, Debug, TS)]
pub struct FitTender {
    /// The tender's row, as the catalogue list shows it.
    pub tender: TenderSummary,
    /// Why it fits.
    pub reasons: Vec<FitReason>,
}

/// One business's fitting tenders.
#[derive(Serialize, Clone, Debug, TS)]
pub struct BusinessFits {
    /// The business.
    pub business: BusinessId,
    /// Its name.
    pub name: String,
    /// It has a SCIAN code or words of what it offers to match by.
    pub has_activity: bool,
    /// How many open tenders fit it.
    pub count: u32,
    /// The newest of them (at most 200), with why.
    pub tenders: Vec<FitTender>,
}

/// Which notice.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq, TS)]
#[serde(rename_all = "snake_case")]
pub enum FitNoticeKind {
    /// New to the catalogue since the previous sync or import.
    New,
    /// Its deadline is within 3 days.
    Closing,
}

/// A fitting tender told once after a sync.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct FitNotice {
    /// The business it fits.
    pub business: BusinessId,
    /// The business's name.
    pub business_name: String,
    /// The tender.
    pub ocid: Ocid,
    /// Its title.
    pub title: String,
    /// New, or closing soon.
    pub kind: FitNoticeKind,
    /// Its deadline, UTC RFC 3339.
    pub deadline: Option<String>,
}

fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Every business's fits, worked out at `now` over the catalogue's open tenders.
struct Round<'a> {
    matched: Vec<(Activity, Interests, Vec<Fit<'a>>)>,
}

impl<'a> Round<'a> {
    fn new(index: &FitIndex<'a>, activities: Vec<Activity>) -> Round<'a> {
        let matched = activities
            .into_iter()
            .map(|activity| {
                let interests = Interests::new(&activity.scian, &activity.offer);
                let fits = if interests.is_empty() {
                    Vec::new()
                } else {
                    index.fits(&interests)
                };
                (activity, interests, fits)
            })
            .collect();
        Round { matched }
    }

    /// What the index keeps of each business.
    fn records(&self) -> Vec<(String, FitRecord)> {
        self.matched
            .iter()
            .map(|(activity, interests, fits)| {
                let record = FitRecord {
                    count: fits.len() as u32,
                    top: fits
                        .iter()
                        .take(TOP)
                        .map(|fit| FitEntry {
                            ocid: fit.tender.ocid.clone(),
                            title: fit.tender.title.clone(),
                            deadline: fit.tender.deadline,
                            reasons: fit.reasons(interests),
                        })
                        .collect(),
                    until: fits.iter().filter_map(|f| f.tender.deadline).min(),
                };
                (activity.id.clone(), record)
            })
            .collect()
    }

    /// Tells, once each, the fits new since `previous` (when there was a previous
    /// refresh: the first one finds nothing new) and those closing within
    /// [`CLOSING_DAYS`] of `now`.
    fn tell(
        &self,
        library: &Library,
        imported: &HashMap<&str, DateTime<Utc>>,
        previous: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let soon = now + Duration::days(CLOSING_DAYS);
        for (activity, _, fits) in &self.matched {
            for fit in fits {
                let ocid = fit.tender.ocid.as_str();
                let new = previous
                    .zip(imported.get(ocid))
                    .is_some_and(|(previous, imported)| *imported > previous);
                if new {
                    library.tell_fit(&activity.id, ocid, NoticeKind::New)?;
                }
                if fit.tender.deadline.is_some_and(|d| d <= soon) {
                    library.tell_fit(&activity.id, ocid, NoticeKind::Closing)?;
                }
            }
        }
        Ok(())
    }
}

/// Counts every business's fitting tenders at `now`, keeps them in the index, tells the
/// new and the closing ones, and hands the round to `view`.
fn refresh_with<T>(
    library: &Library,
    now: DateTime<Utc>,
    view: impl FnOnce(&Round<'_>) -> T,
) -> Result<T, StoreError> {
    let activities = library.activities()?;
    let open = library.open_tenders(now)?;
    let previous = library.fits_refreshed_at()?;
    let index = FitIndex::new(open.iter().map(|(tender, _)| tender), now);
    let imported: HashMap<&str, DateTime<Utc>> = open
        .iter()
        .map(|(tender, at)| (tender.ocid.as_str(), *at))
        .collect();
    let round = Round::new(&index, activities);
    round.tell(library, &imported, previous, now)?;
    library.record_fits(&round.records(), now)?;
    Ok(view(&round))
}

/// Counts every business's fitting tenders at `now` and keeps them in the index,
/// telling the new and the closing ones; after an import or a sync.
pub fn refresh(library: &Library, now: DateTime<Utc>) -> Result<(), StoreError> {
    refresh_with(library, now, |_| ())
}

/// A row of the catalogue list for `tender`.
fn summary(tender: &Tender, now: DateTime<Utc>) -> TenderSummary {
    TenderSummary {
        ocid: tender.ocid.clone().into(),
        title: tender.title.clone(),
        buyer: tender.buyer.clone(),
        status: tender.status,
        procedure: tender.procedure,
        category: tender.category.clone(),
        deadline: tender.deadline.map(stamp),
        open: ventanilla_core::tender::is_open(tender.status, tender.deadline, now),
    }
}

/// The home card's newest fits, from what the index keeps.
pub(crate) fn top_views(top: Vec<FitEntry>, now: DateTime<Utc>) -> Vec<FitView> {
    top.into_iter()
        .filter(|entry| entry.deadline.is_some_and(|d| d > now))
        .map(|entry| FitView {
            ocid: entry.ocid.into(),
            title: entry.title,
            deadline: entry.deadline.map(stamp),
            reasons: entry.reasons,
        })
        .collect()
}

impl Desk {
    /// Convocatorias' «Para ti»: for every business, the open tenders that fit it,
    /// newest first, with why; the businesses with fits first, then by name.
    pub fn tenders_for_you(&self) -> Result<Vec<BusinessFits>, CommandError> {
        let now = Utc::now();
        let library = self.library()?;
        let mut groups = refresh_with(library, now, |round| {
            round
                .matched
                .iter()
                .map(|(activity, interests, fits)| BusinessFits {
                    business: activity.id.clone().into(),
                    name: activity.name.clone(),
                    has_activity: !interests.is_empty(),
                    count: fits.len() as u32,
                    tenders: fits
                        .iter()
                        .take(LIST_LIMIT)
                        .map(|fit| FitTender {
                            tender: summary(fit.tender, now),
                            reasons: fit.reasons(interests),
                        })
                        .collect(),
                })
                .collect::<Vec<_>>()
        })
        .map_err(|e| self.fail(e))?;
        groups.sort_by(|a, b| {
            (b.count > 0)
                .cmp(&(a.count > 0))
                .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
                .then_with(|| a.business.0.cmp(&b.business.0))
        });
        Ok(groups)
    }

    /// The fitting tenders told since the window last asked (new ones, and those
    /// closing within 3 days), each once; oldest first.
    pub fn take_fit_notices(&self) -> Result<Vec<FitNotice>, CommandError> {
        let library = self.library()?;
        let pending = library.take_fit_notices().map_err(|e| self.fail(e))?;
        let names: HashMap<String, String> = library
            .activities()
            .map_err(|e| self.fail(e))?
            .into_iter()
            .map(|a| (a.id, a.name))
            .collect();
        let mut notices = Vec::with_capacity(pending.len());
        for notice in pending {
            let Some(tender) = library.tender(&notice.ocid).map_err(|e| self.fail(e))? else {
                continue;
            };
            notices.push(FitNotice {
                business_name: names.get(&notice.business).cloned().unwrap_or_default(),
                business: notice.business.into(),
                ocid: notice.ocid.into(),
                title: tender.title,
                kind: match notice.kind {
                    NoticeKind::New => FitNoticeKind::New,
                    NoticeKind::Closing => FitNoticeKind::Closing,
                },
                deadline: tender.deadline.map(stamp),
            });
        }
        Ok(notices)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::views::NewBusiness;
    use ventanilla_core::Field;

    /// A release shaped like the sandbox's, its deadline `days` from now and its
    /// release date `published` days ago.
    fn release(n: u32, title: &str, item: (&str, &str, &str), days: i64, published: i64) -> String {
        let now = Utc::now();
        let (description, scheme, id) = item;
        format!(
            r#"{{"ocid":"ocds-bj-{n}","id":"ocds-bj-{n}-convocatoria","date":"{date}","tag":["tender"],"initiationType":"tender","buyer":{{"id":"BJ","name":"Alcaldía Benito Juárez"}},"tender":{{"id":"LP-{n}","title":"{title}","description":"Adquisición conforme al anexo técnico.","status":"active","procurementMethod":"open","mainProcurementCategory":"goods","tenderPeriod":{{"endDate":"{end}"}},"items":[{{"id":"1","description":"{description}","quantity":10,"unit":{{"name":"pieza"}},"classification":{{"scheme":"{scheme}","id":"{id}"}}}}]}}}}"#,
            date = stamp(now - Duration::days(published)),
            end = stamp(now + Duration::days(days)),
        )
    }

    fn write_package(path: &std::path::Path, releases: &[String]) {
        std::fs::write(path, format!(r#"{{"releases":[{}]}}"#, releases.join(","))).unwrap();
    }

    fn business(desk: &mut Desk, name: &str, scian: &str, offer: &str) -> String {
        let id = desk
            .create(NewBusiness {
                persona: "moral".into(),
                name: name.into(),
                ..NewBusiness::default()
            })
            .unwrap()
            .id
            .0;
        desk.set_field(&id, Field::Scian, scian).unwrap();
        desk.set_field(&id, Field::Activity, offer).unwrap();
        id
    }

    #[test]
    fn each_business_sees_the_open_tenders_that_fit_it_with_why_and_is_told_once() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let mut desk = Desk::open(data.clone());
        let shop = business(&mut desk, "Papelería La Estrella", "", "Papelería, tóner");
        let grocer = business(&mut desk, "Abarrotes Doña Mary", "461110", "");
        let tailor = business(&mut desk, "Confecciones Ruiz", "", "");

        let file = dir.path().join("convocatorias.json");
        write_package(
            &file,
            &[
                release(
                    1,
                    "Papelería para oficinas",
                    ("Cuaderno profesional", "CUCOP", "21101"),
                    20,
                    3,
                ),
                release(
                    2,
                    "Tóneres para impresoras",
                    ("Cartucho de tóner", "CUCOP", "21401"),
                    2,
                    1,
                ),
                release(
                    3,
                    "Comedor comunitario",
                    ("Despensa básica", "SCIAN", "461110"),
                    10,
                    2,
                ),
                // Closed: never listed.
                release(
                    4,
                    "Papelería, cerrada",
                    ("Lápices", "CUCOP", "21101"),
                    -1,
                    0,
                ),
            ],
        );
        desk.import_tenders(&file, &mut |_, _| {}).unwrap();

        let home = desk.list("").unwrap();
        let card = |id: &str| home.iter().find(|b| b.id.0 == id).unwrap().clone();
        let shop_card = card(&shop);
        assert_eq!(shop_card.fits, 2);
        let titles: Vec<_> = shop_card.fit_top.iter().map(|f| f.title.as_str()).collect();
        assert_eq!(
            titles,
            ["Tóneres para impresoras", "Papelería para oficinas"],
            "newest first"
        );
        assert_eq!(
            shop_card.fit_top[0].reasons,
            [FitReason::Mentions {
                word: "tóner".into()
            }]
        );
        assert_eq!(card(&grocer).fits, 1);
        assert_eq!(
            card(&grocer).fit_top[0].reasons,
            [FitReason::Scian {
                code: "461110".into(),
                item: "Despensa básica".into()
            }]
        );
        assert_eq!((card(&tailor).fits, card(&tailor).fit_top.len()), (0, 0));

        // The first count tells nothing as new, only what closes within 3 days; once.
        let notices = desk.take_fit_notices().unwrap();
        assert_eq!(notices.len(), 1);
        assert_eq!(
            (
                notices[0].business.0.as_str(),
                notices[0].ocid.0.as_str(),
                notices[0].kind
            ),
            (shop.as_str(), "ocds-bj-2", FitNoticeKind::Closing)
        );
        assert_eq!(notices[0].business_name, "Papelería La Estrella");
        assert!(desk.take_fit_notices().unwrap().is_empty());

        // A later import brings a new tender that fits: told as new, once.
        let later = dir.path().join("nuevas.json");
        write_package(
            &later,
            &[release(
                5,
                "Uniformes y papelería escolar",
                ("Suéter", "CUCOP", "27101"),
                30,
                0,
            )],
        );
        desk.import_tenders(&later, &mut |_, _| {}).unwrap();
        let notices = desk.take_fit_notices().unwrap();
        assert_eq!(
            notices
                .iter()
                .map(|n| (n.business.0.as_str(), n.ocid.0.as_str(), n.kind))
                .collect::<Vec<_>>(),
            [(shop.as_str(), "ocds-bj-5", FitNoticeKind::New)]
        );

        // The tailor says what it offers: the next home list counts it again.
        desk.set_field(&tailor, Field::Activity, "uniformes escolares")
            .unwrap();
        let home = desk.list("").unwrap();
        let tailor_card = home.iter().find(|b| b.id.0 == tailor).unwrap();
        assert_eq!(tailor_card.fits, 1);

        // «Para ti» in Convocatorias: businesses with fits first, every fit with why.
        let groups = desk.tenders_for_you().unwrap();
        let order: Vec<_> = groups.iter().map(|g| (g.name.as_str(), g.count)).collect();
        assert_eq!(
            order,
            [
                ("Abarrotes Doña Mary", 1),
                ("Confecciones Ruiz", 1),
                ("Papelería La Estrella", 3)
            ]
        );
        let shop_group = &groups[2];
        assert!(shop_group.has_activity);
        assert_eq!(shop_group.tenders[0].tender.ocid.0, "ocds-bj-5");
        assert!(shop_group.tenders.iter().all(|t| t.tender.open));
        assert_eq!(
            shop_group.tenders[0].reasons,
            [FitReason::Mentions {
                word: "Papelería".into()
            }]
        );

        // Kept in app.db: a desk opened afresh shows the same counts without a refresh.
        drop(desk);
        let desk = Desk::open(data);
        let home = desk.list("").unwrap();
        assert_eq!(home.iter().find(|b| b.id.0 == shop).unwrap().fits, 3);
    }
}
