//! The app's operations, free of Tauri so they can be tested on real files: each one
//! touches the store, asks core for the verdict and keeps the home index current.

use std::path::PathBuf;

use chrono::{DateTime, Utc};

use ventanilla_core::banks::BankCatalogue;
use ventanilla_core::day_report::ActivitySpan;
use ventanilla_core::registration::review;
use ventanilla_core::{catalog, checklist};
use ventanilla_core::{FailureCode, Field, Locale, Persona, RegistrationDraft, Representative};
use ventanilla_store::{damage_message, BusinessStore, Health, Library, StoreError, Summary};

use crate::fiel::FielRenewal;
use crate::views::{
    AppInfo, BusinessHealth, BusinessSummary, BusinessView, Catalogues, ChamberMode, CommandError,
    DocumentAlert, NewBusiness, ReviewView, Saved,
};

const LOCALE_SETTING: &str = "locale";
/// The name of the chamber's operator at this computer, kept when the mode is off.
const OPERATOR_SETTING: &str = "operator_name";
/// `on` while the chamber's operator mode is on.
const CHAMBER_SETTING: &str = "chamber_mode";
/// Work on a business that pauses longer than this starts a new span of activity.
pub(crate) const ACTIVITY_PAUSE_MINUTES: i64 = 10;

type Outcome<T> = Result<T, CommandError>;

/// The language the person chose, kept in `app.db`; Spanish until they choose.
pub(crate) fn stored_locale(library: &Library) -> Locale {
    library
        .setting(LOCALE_SETTING)
        .ok()
        .flatten()
        .and_then(|l| Locale::parse(&l))
        .unwrap_or_default()
}

/// The data folder as the window uses it, with at most one business open at a time.
pub struct Desk {
    data_dir: PathBuf,
    library: Result<Library, StoreError>,
    locale: Locale,
    current: Option<(String, BusinessStore)>,
    /// The operator every action is recorded under ('' outside chamber mode).
    pub(crate) operator: String,
    /// The span of work being recorded: its business, its id and how it stands.
    activity: Option<(String, String, ActivitySpan)>,
    /// In chamber mode, the business whose owner consented this turn, and when.
    consent: Option<(String, DateTime<Utc>)>,
    /// When a business was last worked on, for the idle lock.
    last_action: Option<std::time::Instant>,
}

impl Desk {
    /// Opens the data folder; a failure is kept and reported by every command, so the
    /// window still opens and can say what is wrong.
    pub fn open(data_dir: PathBuf) -> Self {
        let library = Library::open(&data_dir);
        let locale = library
            .as_ref()
            .map_or_else(|_| Locale::default(), stored_locale);
        let mut desk = Desk {
            data_dir,
            library,
            locale,
            current: None,
            operator: String::new(),
            activity: None,
            consent: None,
            last_action: None,
        };
        desk.operator = desk.operator_now();
        desk
    }

    /// The chamber's operator mode as kept in `app.db`.
    pub fn chamber_mode(&self) -> ChamberMode {
        let setting = |key: &str| {
            self.library
                .as_ref()
                .ok()
                .and_then(|l| l.setting(key).ok().flatten())
        };
        ChamberMode {
            enabled: setting(CHAMBER_SETTING).as_deref() == Some("on"),
            operator: setting(OPERATOR_SETTING).unwrap_or_default(),
        }
    }

    /// The name actions are recorded under: the operator's in chamber mode, else none.
    fn operator_now(&self) -> String {
        let mode = self.chamber_mode();
        match mode.enabled {
            true => mode.operator.trim().to_owned(),
            false => String::new(),
        }
    }

    /// Turns the chamber's operator mode on (a name is needed) or off; from the next
    /// action on, work is recorded under the new name.
    pub fn set_chamber_mode(&mut self, mode: &ChamberMode) -> Outcome<AppInfo> {
        let operator = mode.operator.trim();
        if mode.enabled && operator.is_empty() {
            return Err(CommandError::new(
                FailureCode::OperatorNameMissing,
                self.locale,
            ));
        }
        let library = self.library()?;
        library
            .set_setting(OPERATOR_SETTING, operator)
            .and_then(|()| {
                library.set_setting(CHAMBER_SETTING, if mode.enabled { "on" } else { "off" })
            })
            .map_err(|e| self.fail(e))?;
        self.operator = self.operator_now();
        if !self.chamber() {
            self.consent = None;
        }
        Ok(self.info())
    }

    /// The language messages are written in.
    pub fn locale(&self) -> Locale {
        self.locale
    }

    pub(crate) fn library(&self) -> Outcome<&Library> {
        self.library
            .as_ref()
            .map_err(|e| CommandError::from_store(e, self.locale))
    }

    pub(crate) fn fail(&self, error: StoreError) -> CommandError {
        CommandError::from_store(&error, self.locale)
    }

    /// The version, the data folder, the language, and why the folder could not open if it could not.
    pub fn info(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").into(),
            data_dir: self.data_dir.display().to_string(),
            locale: self.locale,
            startup_error: self.library().err(),
            chamber: self.chamber_mode(),
        }
    }

    /// Changes the language of messages, kept for the next start.
    pub fn set_locale(&mut self, locale: Locale) -> Outcome<AppInfo> {
        self.locale = locale;
        let code = serde_json::to_value(locale)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        self.library()?
            .set_setting(LOCALE_SETTING, &code)
            .map_err(|e| self.fail(e))?;
        Ok(self.info())
    }

    /// The SAT regímenes and the states, for the forms' choices.
    pub fn catalogues(&self) -> Catalogues {
        Catalogues {
            regimenes: catalog::regimenes().to_vec(),
            states: catalog::states().to_vec(),
        }
    }

    /// The businesses whose name or RFC matches `query`, with their progress and the soonest document alert.
    pub fn list(&self, query: &str) -> Outcome<Vec<BusinessSummary>> {
        let today = crate::documents::today();
        let now = chrono::Utc::now();
        let library = self.library()?;
        // Counted again only when stale: an activity changed or a counted tender closed.
        if library.fits_stale(now).map_err(|e| self.fail(e))? {
            crate::fits::refresh(library, now).map_err(|e| self.fail(e))?;
        }
        let entries = library.list_businesses(query).map_err(|e| self.fail(e))?;
        Ok(entries
            .into_iter()
            .map(|entry| {
                let (health, damage) = match entry.health {
                    Health::Ok => (BusinessHealth::Ok, None),
                    Health::Damaged(_) => {
                        (BusinessHealth::Damaged, Some(damage_message(self.locale)))
                    }
                };
                let unlocked = library.is_unlocked(&entry.id);
                let consent_at = self.consent_for(&entry.id);
                BusinessSummary {
                    id: entry.id.into(),
                    rfc: entry.summary.rfc,
                    name: entry.summary.name,
                    persona: entry.summary.persona,
                    health,
                    damage,
                    sections_done: entry.summary.sections_done,
                    sections_total: entry.summary.sections_total,
                    complete: entry.summary.complete,
                    updated_at: entry.updated_at,
                    alert: entry
                        .next_expiry
                        .map(|valid_until| DocumentAlert {
                            valid_until,
                            days_left: (valid_until - today).num_days(),
                        })
                        .filter(|alert| alert.days_left <= checklist::SOON_DAYS),
                    fiel_renewal: entry
                        .fiel_not_after
                        .and_then(|not_after| FielRenewal::due(not_after, now)),
                    won: entry.won,
                    fits: entry.fit_count,
                    fit_top: crate::fits::top_views(entry.fit_top, now),
                    unlocked,
                    locked: entry.locked,
                    consent_at,
                }
            })
            .collect())
    }

    /// Creates a business from the "new business" dialog and opens it; in chamber
    /// mode only with the owner's consent, which then holds for this turn.
    pub fn create(&mut self, new: NewBusiness) -> Outcome<BusinessView> {
        if self.chamber() && !new.consent {
            return Err(CommandError::new(FailureCode::ConsentMissing, self.locale));
        }
        let mut draft = RegistrationDraft::default();
        // Only a recognised persona is kept; the wizard asks again otherwise.
        if let Some(persona) = Persona::parse(&new.persona) {
            draft.set(Field::Persona, persona.as_str().to_owned());
        }
        draft.set(Field::Rfc, new.rfc);
        draft.set(Field::Name, new.name);
        let id = self
            .library()?
            .create_business(&draft)
            .map_err(|e| self.fail(e))?;
        if new.consent {
            self.give_consent(&id);
        }
        self.open_business(&id)
    }

    /// Whether actions are recorded under an operator (chamber mode).
    fn chamber(&self) -> bool {
        !self.operator.is_empty()
    }

    /// Records that business `id`'s owner, present, consented to the chamber's
    /// capture: it holds until "Siguiente persona", the idle lock or the window closes,
    /// and is written on the turn's span of work.
    pub fn give_consent(&mut self, id: &str) -> Option<DateTime<Utc>> {
        if !self.chamber() {
            return None;
        }
        if self.consent_for(id).is_none() {
            self.consent = Some((id.to_owned(), ventanilla_core::stamp::now()));
        }
        self.consent_for(id)
    }

    /// When business `id`'s owner consented this turn.
    fn consent_for(&self, id: &str) -> Option<DateTime<Utc>> {
        self.consent
            .as_ref()
            .filter(|(business, _)| business == id)
            .map(|(_, at)| *at)
    }

    /// In chamber mode, refuses to touch business `id` before its owner consented.
    pub(crate) fn require_consent(&self, id: &str) -> Outcome<()> {
        match self.chamber() && self.consent_for(id).is_none() {
            true => Err(CommandError::new(FailureCode::ConsentMissing, self.locale)),
            false => Ok(()),
        }
    }

    /// Deletes a business and its folder.
    pub fn delete(&mut self, id: &str) -> Outcome<()> {
        if self.current.as_ref().is_some_and(|(open, _)| open == id) {
            self.current = None;
        }
        self.library()?
            .delete_business(id)
            .map_err(|e| self.fail(e))
    }

    /// Opens a business: its draft and review.
    pub fn open_business(&mut self, id: &str) -> Outcome<BusinessView> {
        let banks = self.banks()?;
        let store = self.store(id)?;
        let draft = store.load_draft().map_err(|e| self.fail(e))?;
        let review = ReviewView::new(review(&draft, &banks), self.locale);
        Ok(BusinessView {
            id: id.to_owned().into(),
            draft,
            review,
        })
    }

    /// The bank catalogue in use, which names the bank of a CLABE.
    fn banks(&self) -> Outcome<BankCatalogue> {
        self.library()?.banks().map_err(|e| self.fail(e))
    }

    /// The open business's store, opening `id` (and closing the previous one) if needed.
    /// Every operation on a business comes through here, so here its activity is
    /// stamped: the action joins the operator's span of work on it, or starts one.
    pub(crate) fn store(&mut self, id: &str) -> Outcome<&BusinessStore> {
        self.require_consent(id)?;
        if self.current.as_ref().is_none_or(|(open, _)| open != id) {
            self.current = None;
            let store = self
                .library()?
                .open_business(id)
                .map_err(|e| self.fail(e))?;
            self.current = Some((id.to_owned(), store));
        }
        self.last_action = Some(std::time::Instant::now());
        let now = ventanilla_core::stamp::now();
        let pause = chrono::Duration::minutes(ACTIVITY_PAUSE_MINUTES);
        let continues = self.activity.as_ref().is_some_and(|(business, _, span)| {
            business == id && span.operator == self.operator && now - span.ended_at <= pause
        });
        let consent_at = self.consent_for(id);
        match &mut self.activity {
            Some((_, _, span)) if continues => {
                span.ended_at = now.max(span.ended_at);
                span.actions += 1;
                span.consent_at = span.consent_at.or(consent_at);
            }
            _ => {
                let span = ActivitySpan {
                    operator: self.operator.clone(),
                    started_at: now,
                    ended_at: now,
                    actions: 1,
                    consent_at,
                };
                self.activity = Some((id.to_owned(), uuid::Uuid::now_v7().to_string(), span));
            }
        }
        match (&self.current, &self.activity) {
            (Some((_, store)), Some((_, span_id, span))) => {
                store
                    .record_activity(span_id, span)
                    .map_err(|e| CommandError::from_store(&e, self.locale))?;
                Ok(store)
            }
            _ => Err(self.fail(StoreError::UnknownBusiness(id.to_owned()))),
        }
    }

    /// The business whose turn is under way (its span of work not ended yet).
    pub(crate) fn serving(&self) -> Option<&str> {
        self.activity.as_ref().map(|(id, _, _)| id.as_str())
    }

    /// Ends the span of work being recorded and closes the open business: the next
    /// action, on whichever business, starts a span of its own ("Siguiente persona").
    pub fn end_activity(&mut self) {
        self.activity = None;
        self.consent = None;
        self.close_business();
    }

    /// Closes the open business's database (its keys go with it when it is locked).
    pub(crate) fn close_business(&mut self) {
        self.current = None;
    }

    /// When a business was last worked on in this window.
    pub(crate) fn last_action(&self) -> Option<std::time::Instant> {
        self.last_action
    }

    /// The library and business `id`'s open store together (opening it if needed), for
    /// operations that write to both.
    pub(crate) fn library_and_store(&mut self, id: &str) -> Outcome<(&Library, &BusinessStore)> {
        self.store(id)?;
        let locale = self.locale;
        let library = self
            .library
            .as_ref()
            .map_err(|e| CommandError::from_store(e, locale))?;
        match &self.current {
            Some((_, store)) => Ok((library, store)),
            None => Err(CommandError::from_store(
                &StoreError::UnknownBusiness(id.to_owned()),
                locale,
            )),
        }
    }

    /// Applies one edit to business `id`, then answers with the stored draft and its
    /// review, and refreshes the home index.
    fn edit(
        &mut self,
        id: &str,
        change: impl FnOnce(&BusinessStore) -> Result<(), StoreError>,
    ) -> Outcome<Saved> {
        let locale = self.locale;
        let banks = self.banks()?;
        let store = self.store(id)?;
        let draft = change(store)
            .and_then(|()| store.load_draft())
            .map_err(|e| CommandError::from_store(&e, locale))?;
        let review = review(&draft, &banks);
        self.library()?
            .record_summary(id, &Summary::of(&draft, &review))
            .map_err(|e| self.fail(e))?;
        Ok(Saved {
            review: ReviewView::new(review, locale),
            draft,
            saved_at: ventanilla_core::stamp::now(),
        })
    }

    /// Stores one field as typed and answers the fresh review.
    pub fn set_field(&mut self, id: &str, field: Field, value: &str) -> Outcome<Saved> {
        self.edit(id, |store| store.set_field(field, value))
    }

    /// Adds an empty representative.
    pub fn add_representative(&mut self, id: &str) -> Outcome<Saved> {
        self.edit(id, |store| store.add_representative().map(drop))
    }

    /// Stores a representative as edited.
    pub fn update_representative(
        &mut self,
        id: &str,
        representative: &Representative,
    ) -> Outcome<Saved> {
        self.edit(id, |store| store.update_representative(representative))
    }

    /// Removes a representative.
    pub fn remove_representative(&mut self, id: &str, representative_id: &str) -> Outcome<Saved> {
        self.edit(id, |store| store.remove_representative(representative_id))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use ventanilla_core::Code;

    fn new_moral(desk: &mut Desk) -> String {
        desk.create(NewBusiness {
            persona: "moral".into(),
            ..NewBusiness::default()
        })
        .unwrap()
        .id
        .0
    }

    #[test]
    fn an_edit_is_stored_reviewed_and_summarised_on_the_home_list() {
        let dir = tempfile::tempdir().unwrap();
        let mut desk = Desk::open(dir.path().to_path_buf());
        let id = new_moral(&mut desk);

        let saved = desk.set_field(&id, Field::Rfc, "tle-0805").unwrap();
        assert_eq!(saved.draft.rfc, "tle-0805", "kept exactly as typed");
        let rfc_issue = saved
            .review
            .issues
            .iter()
            .find(|i| i.field == Some(Field::Rfc))
            .unwrap();
        assert_eq!(rfc_issue.code, Code::RfcLength);
        assert!(!rfc_issue.message.is_empty());

        desk.set_field(&id, Field::Rfc, "eku9003173c9").unwrap();
        desk.set_field(&id, Field::Name, "Escuela Kemper Urgate")
            .unwrap();
        let listed = desk.list("kemper").unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].rfc, "EKU9003173C9");
        assert_eq!(listed[0].persona, Some(Persona::Moral));
        assert!(listed[0].sections_done >= 1);
        assert!(!listed[0].complete);

        // A second desk on the same folder (the app relaunched) sees the same draft.
        drop(desk);
        let mut desk = Desk::open(dir.path().to_path_buf());
        let view = desk.open_business(&id).unwrap();
        assert_eq!(view.draft.name, "Escuela Kemper Urgate");
        assert_eq!(view.draft.rfc, "eku9003173c9");
    }

    #[test]
    fn the_locale_is_remembered_and_used_for_messages() {
        let dir = tempfile::tempdir().unwrap();
        let mut desk = Desk::open(dir.path().to_path_buf());
        let id = new_moral(&mut desk);
        let spanish = desk.set_field(&id, Field::Clabe, "123").unwrap();
        desk.set_locale(Locale::En).unwrap();
        let english = desk.set_field(&id, Field::Clabe, "123").unwrap();
        let message = |saved: &Saved| {
            saved
                .review
                .issues
                .iter()
                .find(|i| i.field == Some(Field::Clabe))
                .map(|i| i.message.clone())
                .unwrap()
        };
        assert_ne!(message(&spanish), message(&english));
        assert_eq!(message(&english), Code::ClabeLength.message(Locale::En));
        drop(desk);
        assert_eq!(
            Desk::open(dir.path().to_path_buf()).info().locale,
            Locale::En
        );
    }

    #[test]
    fn the_clabe_names_its_bank_from_the_catalogue_in_use() {
        let dir = tempfile::tempdir().unwrap();
        let mut desk = Desk::open(dir.path().to_path_buf());
        let id = new_moral(&mut desk);
        let bank_issue = |saved: &Saved| {
            saved
                .review
                .issues
                .iter()
                .find(|i| i.field == Some(Field::Clabe))
                .cloned()
        };

        // Spin by OXXO, which micro businesses are paid into, is in the shipped list.
        let spin = desk
            .set_field(&id, Field::Clabe, "728 180 00123456789 5")
            .unwrap();
        assert_eq!(spin.review.facts.bank.as_deref(), Some("Spin by OXXO"));
        assert_eq!(bank_issue(&spin), None);

        // A code the list lacks, with a right check digit: a warning naming the code.
        let unknown = desk
            .set_field(&id, Field::Clabe, "999180001234567899")
            .unwrap();
        assert_eq!(unknown.review.facts.bank, None);
        let issue = bank_issue(&unknown).unwrap();
        assert_eq!(issue.severity, ventanilla_core::Severity::Warning);
        assert_eq!(
            issue.message,
            "No reconocemos el banco 999; revisa la CLABE."
        );

        // Once the server's newer list is stored, the same CLABE names its bank.
        desk.library()
            .unwrap()
            .replace_banks(
                r#"{"version": "v2", "banks": [{"code": "999", "name": "Banco Nuevo"}]}"#,
            )
            .unwrap();
        let view = desk.open_business(&id).unwrap();
        assert_eq!(view.review.facts.bank.as_deref(), Some("Banco Nuevo"));
        assert!(view
            .review
            .issues
            .iter()
            .all(|i| i.field != Some(Field::Clabe)));
    }

    #[test]
    fn representatives_are_added_edited_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let mut desk = Desk::open(dir.path().to_path_buf());
        let id = new_moral(&mut desk);
        let saved = desk.add_representative(&id).unwrap();
        let mut representative = saved.draft.representatives[0].clone();
        representative.name = "Ana Pérez Ñúñez".into();
        let saved = desk.update_representative(&id, &representative).unwrap();
        assert_eq!(saved.draft.representatives[0].name, "Ana Pérez Ñúñez");
        let saved = desk.remove_representative(&id, &representative.id).unwrap();
        assert!(saved.draft.representatives.is_empty());
        let error = desk
            .remove_representative(&id, &representative.id)
            .unwrap_err();
        assert_eq!(error.code, "unknown_representative");
    }

    #[test]
    fn a_folder_that_cannot_be_used_is_reported_by_every_command() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("file");
        std::fs::write(&file, b"").unwrap();
        let mut desk = Desk::open(file);
        let error = desk.info().startup_error.unwrap();
        assert_eq!(error.code, "data_dir_unwritable");
        assert_eq!(desk.list("").unwrap_err(), error);
        assert_eq!(desk.create(NewBusiness::default()).unwrap_err(), error);
    }

    #[test]
    fn deleting_the_open_business_closes_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut desk = Desk::open(dir.path().to_path_buf());
        let id = new_moral(&mut desk);
        desk.delete(&id).unwrap();
        assert!(desk.list("").unwrap().is_empty());
        assert_eq!(
            desk.set_field(&id, Field::Name, "x").unwrap_err().code,
            "unknown_business"
        );
    }
}
