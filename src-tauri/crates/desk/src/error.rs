//! Store errors as the webview receives them.

use ventanilla_core::Locale;
use ventanilla_store::StoreError;

use crate::views::CommandError;

impl CommandError {
    /// A failure with a stable `code` and a `message` already in the user's language.
    pub fn new(code: &str, message: String) -> Self {
        CommandError {
            code: code.into(),
            message,
            field: None,
        }
    }

    /// A store failure, worded in `locale`.
    pub fn from_store(error: &StoreError, locale: Locale) -> Self {
        CommandError {
            code: error.code().into(),
            message: error.message(locale),
            field: None,
        }
    }
}
