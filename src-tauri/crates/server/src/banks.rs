//! The bank catalogue the server publishes at `GET /v1/banks`: `banks.json` in its data
//! folder when the alcaldía has put one there (Banxico adds SPEI participants between
//! releases), else the one shipped with core.

use std::path::Path;

use ventanilla_core::banks::BankCatalogue;

use crate::app::StartError;

/// The file in the data folder that overrides the shipped catalogue.
pub const FILE: &str = "banks.json";

/// The catalogue to publish; a `banks.json` that is unreadable or invalid stops the
/// start, so a mistake in it is seen at once rather than served.
pub(crate) fn load(data_dir: &Path) -> Result<BankCatalogue, StartError> {
    let path = data_dir.join(FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(BankCatalogue::default_catalogue())
        }
        Err(e) => {
            return Err(StartError::Banks {
                path,
                reason: e.to_string(),
            })
        }
    };
    BankCatalogue::from_json(&text).map_err(|e| StartError::Banks {
        path,
        reason: e.to_string(),
    })
}
