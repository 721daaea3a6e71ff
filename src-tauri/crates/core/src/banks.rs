//! The bank catalogue: Banxico's SPEI participants, by the 3-digit code that starts
//! the CLABEs each one issues.
//!
//! It is data rather than code because Banxico adds participants every year (the
//! fintechs micro businesses bank with among them): the app ships
//! [`BankCatalogue::default_catalogue`] and replaces it with the server's copy, read
//! with [`BankCatalogue::from_json`], when online. A code missing from the catalogue
//! is only a warning on a CLABE, never a refusal.

use std::collections::HashSet;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// The catalogue shipped with the app.
const DEFAULT_JSON: &str = include_str!("../catalogue/banks.json");

/// A versioned list of SPEI participants.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct BankCatalogue {
    /// A label the publisher chooses; not ordered.
    pub version: String,
    /// Where the list comes from and how far it can be trusted.
    #[serde(default)]
    pub source: String,
    /// Every participant, by code.
    pub banks: Vec<Bank>,
}

/// A SPEI participant.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Bank {
    /// The 3 digits its CLABEs start with.
    pub code: String,
    /// The name people know it by.
    pub name: String,
    /// Why an entry is uncertain, when it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl BankCatalogue {
    /// The catalogue shipped with the app, for use until the server's copy arrives.
    pub fn default_catalogue() -> BankCatalogue {
        // Read once: every review that has no stored copy asks for it.
        static SHIPPED: OnceLock<BankCatalogue> = OnceLock::new();
        SHIPPED
            .get_or_init(|| {
                // The file is compiled in and a test parses it: failing here is a build bug.
                BankCatalogue::from_json(DEFAULT_JSON)
                    .expect("the embedded bank catalogue is valid")
            })
            .clone()
    }

    /// Reads a catalogue, such as the one the server sends, refusing one a CLABE could
    /// not be read against: without a version or banks, or with a code that is not 3
    /// digits, a repeated code or an empty name.
    pub fn from_json(json: &str) -> Result<BankCatalogue, BankCatalogueError> {
        let catalogue: BankCatalogue =
            serde_json::from_str(json).map_err(|e| BankCatalogueError::Json(e.to_string()))?;
        catalogue.validate()?;
        Ok(catalogue)
    }

    /// The participant whose CLABEs start with `code`.
    pub fn bank(&self, code: &str) -> Option<&Bank> {
        self.banks.iter().find(|b| b.code == code)
    }

    fn validate(&self) -> Result<(), BankCatalogueError> {
        if self.version.trim().is_empty() {
            return Err(BankCatalogueError::EmptyVersion);
        }
        if self.banks.is_empty() {
            return Err(BankCatalogueError::NoBanks);
        }
        let mut seen = HashSet::new();
        for bank in &self.banks {
            let code = &bank.code;
            if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(BankCatalogueError::BadCode(code.clone()));
            }
            if !seen.insert(code.as_str()) {
                return Err(BankCatalogueError::DuplicateCode(code.clone()));
            }
            if bank.name.trim().is_empty() {
                return Err(BankCatalogueError::EmptyName(code.clone()));
            }
        }
        Ok(())
    }
}

/// Why a bank catalogue was refused. For logs and the developers: the person keeps
/// using the catalogue they had.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BankCatalogueError {
    #[error("the bank catalogue is not JSON of the expected shape: {0}")]
    /// Not JSON of the catalogue's shape; serde's detail.
    Json(String),
    #[error("the bank catalogue has no version")]
    /// The catalogue carries no version.
    EmptyVersion,
    #[error("the bank catalogue lists no bank")]
    /// The catalogue lists no bank.
    NoBanks,
    #[error("bank code {0:?} is not 3 digits")]
    /// A code that is not 3 digits.
    BadCode(String),
    #[error("bank code {0} appears more than once")]
    /// A code listed twice.
    DuplicateCode(String),
    #[error("bank {0} has no name")]
    /// A bank without a name, by its code.
    EmptyName(String),
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::clabe;

    /// A CLABE of `code`'s bank with a correct check digit.
    fn clabe_of(code: &str) -> String {
        let first17 = format!("{code}18000123456789");
        let digit = clabe::check_digit(&first17).unwrap();
        format!("{first17}{digit}")
    }

    #[test]
    fn the_shipped_catalogue_reads_and_says_where_it_comes_from() {
        let catalogue = BankCatalogue::default_catalogue();
        assert!(!catalogue.version.is_empty());
        assert!(catalogue.source.contains("Banxico"));
        assert!(catalogue.banks.len() > 90, "Banxico's whole list");
    }

    #[test]
    fn every_code_in_the_list_resolves_from_a_clabe() {
        let catalogue = BankCatalogue::default_catalogue();
        for bank in &catalogue.banks {
            let verdict = clabe::check(&clabe_of(&bank.code), &catalogue);
            assert_eq!(verdict.issues, [], "{}", bank.code);
            assert_eq!(verdict.details.bank.as_deref(), Some(bank.name.as_str()));
        }
    }

    #[test]
    fn the_institutions_micro_businesses_use_are_listed() {
        let catalogue = BankCatalogue::default_catalogue();
        let cases = [
            ("002", "Banamex"),
            ("012", "BBVA México"),
            ("638", "Nu México"),
            ("646", "STP"),
            ("661", "Klar"),
            ("699", "Fondeadora"),
            ("722", "Mercado Pago"),
            ("723", "Cuenca"),
            ("728", "Spin by OXXO"),
        ];
        for (code, name) in cases {
            assert_eq!(catalogue.bank(code).map(|b| b.name.as_str()), Some(name));
        }
        assert_eq!(catalogue.bank("999"), None);
        assert_eq!(catalogue.bank(""), None);
    }

    #[test]
    fn a_catalogue_a_clabe_could_not_be_read_against_is_refused() {
        let cases = [
            ("not json", "json"),
            (
                r#"{"version": " ", "banks": [{"code": "002", "name": "A"}]}"#,
                "version",
            ),
            (r#"{"version": "v", "banks": []}"#, "none"),
            (
                r#"{"version": "v", "banks": [{"code": "02", "name": "A"}]}"#,
                "code",
            ),
            (
                r#"{"version": "v", "banks": [{"code": "0a2", "name": "A"}]}"#,
                "code",
            ),
            (
                r#"{"version": "v", "banks": [{"code": "002", "name": "A"}, {"code": "002", "name": "B"}]}"#,
                "duplicate",
            ),
            (
                r#"{"version": "v", "banks": [{"code": "002", "name": ""}]}"#,
                "name",
            ),
        ];
        for (json, why) in cases {
            let refused = BankCatalogue::from_json(json);
            let kind = match refused {
                Err(BankCatalogueError::Json(_)) => "json",
                Err(BankCatalogueError::EmptyVersion) => "version",
                Err(BankCatalogueError::NoBanks) => "none",
                Err(BankCatalogueError::BadCode(_)) => "code",
                Err(BankCatalogueError::DuplicateCode(_)) => "duplicate",
                Err(BankCatalogueError::EmptyName(_)) => "name",
                Ok(_) => "accepted",
            };
            assert_eq!(kind, why, "{json}");
        }
        let minimal = r#"{"version": "v", "banks": [{"code": "002", "name": "Banamex"}]}"#;
        assert_eq!(BankCatalogue::from_json(minimal).unwrap().source, "");
    }
}
