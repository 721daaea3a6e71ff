//! The requirement catalogue: which documents exist, whom each applies to, how long
//! each stays valid and which files are accepted for it.
//!
//! It is data rather than code because the alcaldía's server owns it: the app ships
//! [`Catalogue::default_catalogue`] and replaces it with the server's copy, read with
//! [`Catalogue::from_json`], when online.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{in_locale, Profile};
use crate::filecheck::FileKind;
use crate::message::Locale;
use crate::registration::Persona;

/// The catalogue shipped with the app (DOMAIN.md's default table).
const DEFAULT_JSON: &str = include_str!("../../catalogue/requirements.json");

/// A versioned list of requirements, in the order the checklist presents them.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct Catalogue {
    /// Recorded in every evaluation, so a checklist can later be explained by the
    /// rules it was computed with.
    pub version: String,
    /// Every requirement, in the order the checklist shows them.
    pub requirements: Vec<Requirement>,
}

impl Catalogue {
    /// The catalogue shipped with the app, for use until the server's copy arrives.
    pub fn default_catalogue() -> Catalogue {
        // The file is compiled in and a test parses it: failing here is a build bug.
        Catalogue::from_json(DEFAULT_JSON).expect("the embedded catalogue is valid")
    }

    /// Reads a catalogue, such as the one the server sends, refusing one the rules
    /// could not use: without a version, with a repeated or empty code, or with a
    /// requirement no file could ever satisfy.
    pub fn from_json(json: &str) -> Result<Catalogue, CatalogueError> {
        let catalogue: Catalogue =
            serde_json::from_str(json).map_err(|e| CatalogueError::Json(e.to_string()))?;
        catalogue.validate()?;
        Ok(catalogue)
    }

    /// The requirement with `code`.
    pub fn requirement(&self, code: &str) -> Option<&Requirement> {
        self.requirements.iter().find(|r| r.code == code)
    }

    fn validate(&self) -> Result<(), CatalogueError> {
        if self.version.trim().is_empty() {
            return Err(CatalogueError::EmptyVersion);
        }
        let mut seen = HashSet::new();
        for requirement in &self.requirements {
            let code = &requirement.code;
            if code.trim().is_empty() {
                return Err(CatalogueError::EmptyCode);
            }
            if !seen.insert(code.as_str()) {
                return Err(CatalogueError::DuplicateCode(code.clone()));
            }
            if requirement.max_bytes == 0 {
                return Err(CatalogueError::ZeroMaxBytes(code.clone()));
            }
            if requirement.accepted.is_empty() {
                return Err(CatalogueError::NothingAccepted(code.clone()));
            }
        }
        Ok(())
    }
}

/// Why a catalogue was refused. For logs and the developers: the person keeps using
/// the catalogue they had.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CatalogueError {
    #[error("the catalogue is not JSON of the expected shape: {0}")]
    /// Not JSON of the catalogue's shape; serde's detail.
    Json(String),
    #[error("the catalogue has no version")]
    /// The catalogue carries no version.
    EmptyVersion,
    #[error("a requirement has an empty code")]
    /// A requirement without a code.
    EmptyCode,
    #[error("requirement {0} appears more than once")]
    /// A code listed twice.
    DuplicateCode(String),
    #[error("requirement {0} has a maximum file size of 0 bytes")]
    /// A requirement whose largest file is 0 bytes, by its code.
    ZeroMaxBytes(String),
    #[error("requirement {0} accepts no kind of file")]
    /// A requirement that accepts no kind of file, by its code.
    NothingAccepted(String),
}

/// One document the supplier attaches.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct Requirement {
    /// Stable code, such as `OPINION_SAT`; documents refer to their requirement by it.
    pub code: String,
    /// What people call the document.
    pub name: Localized,
    /// Where to get the document and what it must show.
    pub help: Localized,
    /// Omitted: applies to every business in every procedure.
    #[serde(default)]
    pub applies: Applies,
    /// Whether it is needed; an optional document only adds to the file.
    pub required: bool,
    /// How long a document stays valid.
    pub validity: Validity,
    /// The kinds of file accepted, judged by their content, not their name.
    pub accepted: Vec<FileKind>,
    /// The largest file accepted, in bytes.
    #[ts(type = "number")]
    pub max_bytes: u64,
    /// For a persona moral, one document per legal representative (their id). A
    /// persona física attaches one, their own.
    #[serde(default)]
    pub per_representative: bool,
}

/// A text in both of the app's languages.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct Localized {
    /// The Spanish text.
    pub es: String,
    /// The English text.
    pub en: String,
}

impl Localized {
    /// The text in `locale`.
    pub fn text(&self, locale: Locale) -> &str {
        in_locale(locale, &self.es, &self.en)
    }
}

/// Whom a requirement applies to.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, TS)]
#[serde(default)]
pub struct Applies {
    /// `None`: both kinds of persona.
    pub persona: Option<Persona>,
    /// Only for businesses with workers registered with IMSS.
    pub employer_only: bool,
    /// Empty: every procedure and the registration itself; otherwise only bids in
    /// these procedures.
    pub procedures: Vec<Procedure>,
}

impl Applies {
    /// Whether a business with `profile` needs the document in `procedure` (`None`
    /// being the registration in the padrón, which is no procedure).
    pub fn includes(&self, profile: &Profile, procedure: Option<Procedure>) -> bool {
        self.persona.is_none_or(|p| p == profile.persona)
            && (!self.employer_only || profile.employer)
            && (self.procedures.is_empty()
                || procedure.is_some_and(|p| self.procedures.contains(&p)))
    }
}

/// How long a document stays valid.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, TS)]
#[serde(rename_all = "snake_case")]
pub enum Validity {
    /// For good (a revoked power of attorney comes back as a rejection).
    None,
    /// Through its issue date plus this many days, both ends included.
    MaxAgeDays(u32),
    /// Through the expiry date printed on it, included.
    Expiry,
    /// While it covers the last closed fiscal year; see [`super::evaluate`].
    LastFiscalYear,
}

/// A procurement procedure under Mexico City's procurement law.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, TS)]
#[serde(rename_all = "snake_case")]
pub enum Procedure {
    /// Licitación pública: open tender.
    Licitacion,
    /// Invitación restringida a cuando menos tres proveedores.
    InvitacionRestringida,
    /// Adjudicación directa: direct award.
    AdjudicacionDirecta,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"{
        "version": "v1",
        "requirements": [
            {"code": "A", "name": {"es": "a", "en": "a"}, "help": {"es": "", "en": ""},
             "required": true, "validity": "none", "accepted": ["pdf"], "max_bytes": 10}
        ]
    }"#;

    /// A one-requirement catalogue with one member replaced by `value`.
    fn minimal_with(path: &[&str], value: serde_json::Value) -> String {
        let mut json: serde_json::Value = serde_json::from_str(MINIMAL).unwrap();
        let (last, parents) = path.split_last().unwrap();
        let mut target = &mut json;
        for key in parents {
            target = match key.parse::<usize>() {
                Ok(i) => &mut target[i],
                Err(_) => &mut target[*key],
            };
        }
        target[*last] = value;
        json.to_string()
    }

    #[test]
    fn default_catalogue_is_domain_table() {
        use Validity as V;
        let catalogue = Catalogue::default_catalogue();
        assert!(!catalogue.version.is_empty());
        let fisica = Some(Persona::Fisica);
        let moral = Some(Persona::Moral);
        let licitacion = vec![Procedure::Licitacion];
        // code, persona, employer only, procedures, validity, per representative
        let expected = [
            ("CSF", None, false, vec![], V::MaxAgeDays(30), false),
            ("OPINION_SAT", None, false, vec![], V::MaxAgeDays(30), false),
            ("OPINION_IMSS", None, true, vec![], V::MaxAgeDays(30), false),
            (
                "OPINION_INFONAVIT",
                None,
                true,
                vec![],
                V::MaxAgeDays(30),
                false,
            ),
            ("ID_OFICIAL", None, false, vec![], V::Expiry, true),
            ("CURP", fisica, false, vec![], V::None, false),
            ("ACTA", moral, false, vec![], V::None, false),
            ("PODER", moral, false, vec![], V::None, false),
            ("DOMICILIO", None, false, vec![], V::MaxAgeDays(90), false),
            ("BANCO", None, false, vec![], V::MaxAgeDays(90), false),
            (
                "ADEUDOS_CDMX",
                None,
                false,
                vec![],
                V::MaxAgeDays(30),
                false,
            ),
            ("CURRICULUM", None, false, vec![], V::None, false),
            (
                "EDOS_FIN",
                None,
                false,
                licitacion,
                V::LastFiscalYear,
                false,
            ),
        ];
        assert_eq!(catalogue.requirements.len(), expected.len());
        for (r, (code, persona, employer_only, procedures, validity, per_rep)) in
            catalogue.requirements.iter().zip(expected)
        {
            assert_eq!(r.code, code);
            let applies = Applies {
                persona,
                employer_only,
                procedures,
            };
            assert_eq!(r.applies, applies, "{code}");
            assert_eq!(r.validity, validity, "{code}");
            assert_eq!(r.per_representative, per_rep, "{code}");
            assert!(r.required, "{code}");
            assert!(r.accepted.contains(&FileKind::Pdf), "{code}");
            for text in [&r.name, &r.help] {
                assert!(!text.es.trim().is_empty() && !text.en.trim().is_empty());
                assert_ne!(text.es, text.en, "{code}");
            }
        }
        assert!(catalogue.requirement("OPINION_SAT").is_some());
        assert!(catalogue.requirement("opinion_sat").is_none());
    }

    #[test]
    fn catalogue_round_trips_through_json() {
        let catalogue = Catalogue::default_catalogue();
        let json = serde_json::to_string(&catalogue).unwrap();
        assert_eq!(Catalogue::from_json(&json).unwrap(), catalogue);
        let value = serde_json::to_value(&catalogue.requirements[0]).unwrap();
        assert_eq!(value["validity"], serde_json::json!({"max_age_days": 30}));
        assert_eq!(value["accepted"], serde_json::json!(["pdf"]));
    }

    #[test]
    fn omitted_members_take_defaults() {
        let catalogue = Catalogue::from_json(MINIMAL).unwrap();
        let requirement = &catalogue.requirements[0];
        assert_eq!(requirement.applies, Applies::default());
        assert!(!requirement.per_representative);
        let json = minimal_with(
            &["requirements", "0", "applies"],
            serde_json::json!({"employer_only": true}),
        );
        let applies = &Catalogue::from_json(&json).unwrap().requirements[0].applies;
        assert!(applies.employer_only && applies.persona.is_none());
    }

    #[test]
    fn invalid_catalogues_are_refused() {
        use serde_json::json;
        use CatalogueError::*;
        let two = |second_code: &str| {
            let mut catalogue = Catalogue::from_json(MINIMAL).unwrap();
            let mut second = catalogue.requirements[0].clone();
            second.code = second_code.to_owned();
            catalogue.requirements.push(second);
            serde_json::to_string(&catalogue).unwrap()
        };
        let cases = [
            (minimal_with(&["version"], json!("")), EmptyVersion),
            (minimal_with(&["version"], json!("  ")), EmptyVersion),
            (two("A"), DuplicateCode("A".into())),
            (
                minimal_with(&["requirements", "0", "code"], json!(" ")),
                EmptyCode,
            ),
            (
                minimal_with(&["requirements", "0", "max_bytes"], json!(0)),
                ZeroMaxBytes("A".into()),
            ),
            (
                minimal_with(&["requirements", "0", "accepted"], json!([])),
                NothingAccepted("A".into()),
            ),
        ];
        for (json, expected) in cases {
            assert_eq!(Catalogue::from_json(&json), Err(expected), "{json}");
        }
        assert!(Catalogue::from_json(&two("B")).is_ok());

        let malformed = [
            "".to_owned(),
            "{".to_owned(),
            "[]".to_owned(),
            minimal_with(&["requirements", "0", "max_bytes"], json!(-1)),
            minimal_with(&["requirements", "0", "validity"], json!("forever")),
            minimal_with(&["requirements", "0", "accepted"], json!(["docx"])),
            minimal_with(
                &["requirements", "0", "applies"],
                json!({"procedures": ["subasta"]}),
            ),
            minimal_with(
                &["requirements", "0", "applies"],
                json!({"persona": "ambas"}),
            ),
        ];
        for json in malformed {
            let error = Catalogue::from_json(&json).unwrap_err();
            assert!(matches!(error, Json(_)), "{json}: {error:?}");
            assert!(!error.to_string().is_empty());
        }
    }

    #[test]
    fn procedures_serialize_as_snake_case() {
        let cases = [
            (Procedure::Licitacion, "\"licitacion\""),
            (
                Procedure::InvitacionRestringida,
                "\"invitacion_restringida\"",
            ),
            (Procedure::AdjudicacionDirecta, "\"adjudicacion_directa\""),
        ];
        for (procedure, json) in cases {
            assert_eq!(serde_json::to_string(&procedure).unwrap(), json);
            assert_eq!(serde_json::from_str::<Procedure>(json).unwrap(), procedure);
        }
    }

    #[test]
    fn localized_text_follows_locale() {
        let text = Localized {
            es: "hola".into(),
            en: "hello".into(),
        };
        assert_eq!(text.text(Locale::Es), "hola");
        assert_eq!(text.text(Locale::En), "hello");
    }
}
