//! Questions on a tender (aclaraciones): asked by a bidder until the tender's enquiry
//! period ends, answered by the alcaldía, and published to everyone in the tender's
//! release (`tender.enquiries`, OCDS enquiries extension) without who asked.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::receipt::Receipt;

/// The longest question accepted, in characters (Unicode scalar values).
pub const MAX_QUESTION_CHARS: usize = 2_000;

/// `POST /v1/tenders/{ocid}/enquiries`: a question on a tender.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionSubmission {
    /// Fixed when the question was queued; also sent as the `Idempotency-Key`. It
    /// becomes the question's id in `tender.enquiries`.
    pub submission_id: Uuid,
    /// The business that asks, acted for by the caller. Never published.
    pub asker_rfc: String,
    /// The question, 1 to 2,000 characters once trimmed; the receipt signs the SHA-256
    /// of exactly these UTF-8 bytes.
    pub question: String,
}

/// A question as its asker sees it: the answer to a submission (201, and each replay).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct QuestionRecord {
    /// The question's id: the submission's `submission_id`.
    pub submission_id: Uuid,
    /// The tender's contracting process id.
    pub ocid: String,
    /// When the server accepted it, by the server's clock (within the enquiry period).
    pub asked_at: DateTime<Utc>,
    /// The signed receipt of the question.
    pub receipt: Receipt,
}

/// Whether a question's text is within bounds, and if not, why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuestionProblem {
    /// Nothing but spaces.
    Empty,
    /// Over [`MAX_QUESTION_CHARS`].
    TooLong,
}

/// The problem with `question`'s text, if any: the one rule client and server share.
pub fn question_problem(question: &str) -> Option<QuestionProblem> {
    let trimmed = question.trim();
    if trimmed.is_empty() {
        Some(QuestionProblem::Empty)
    } else if trimmed.chars().count() > MAX_QUESTION_CHARS {
        Some(QuestionProblem::TooLong)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_question_is_one_to_two_thousand_characters_once_trimmed() {
        assert_eq!(question_problem("  \n "), Some(QuestionProblem::Empty));
        assert_eq!(question_problem(""), Some(QuestionProblem::Empty));
        assert_eq!(question_problem("¿Se aceptan entregas parciales?"), None);
        assert_eq!(question_problem(&"ñ".repeat(2_000)), None);
        assert_eq!(
            question_problem(&"ñ".repeat(2_001)),
            Some(QuestionProblem::TooLong)
        );
        assert_eq!(
            question_problem(&"a".repeat(20_000)),
            Some(QuestionProblem::TooLong)
        );
    }
}
