//! Failures as the webview receives them: worded at this edge, in the person's
//! language, from the values the store, sync and the desk build.

use ventanilla_core::{Failure, FailureCode, Locale};
use ventanilla_store::StoreError;

use crate::views::CommandError;

impl CommandError {
    /// A failure under its own code, worded in `locale`.
    pub fn new(failure: impl Into<Failure>, locale: Locale) -> Self {
        let failure = failure.into();
        Self::coded(failure.code.as_str(), &failure, locale)
    }

    /// A failure under the stable `code` its caller answers with, worded in `locale`.
    pub fn coded(code: &str, failure: &Failure, locale: Locale) -> Self {
        CommandError {
            code: code.into(),
            message: failure.message(locale),
            field: None,
        }
    }

    /// A store failure, worded in `locale`.
    pub fn from_store(error: &StoreError, locale: Locale) -> Self {
        Self::coded(error.code(), &error.failure(), locale)
    }

    /// An operation that stopped unexpectedly (a panic on its thread), with its detail.
    pub fn internal(detail: impl ToString, locale: Locale) -> Self {
        Self::new(
            Failure::from(FailureCode::Internal).with("detail", detail),
            locale,
        )
    }
}
