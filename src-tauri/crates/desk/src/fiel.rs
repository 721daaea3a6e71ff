//! The business's e.firma (FIEL) as the window sees it: the `.cer` and `.key` it signs
//! with, remembered by path only (the files stay where the person keeps them, the
//! password is never stored), what the certificate says before anything is signed, each
//! reason it cannot sign in the user's language, and the renewal warning.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use ventanilla_core::identifiers::normalize;
use ventanilla_core::proposal::mexico_city_time;
use ventanilla_core::{Failure, FailureCode, Locale};
use ventanilla_efirma::{days_left, inspect, renewal_due, Credentials, EfirmaError};
use ventanilla_store::RememberedFiel;

use crate::desk::Desk;
use crate::views::CommandError;

type Outcome<T> = Result<T, CommandError>;

/// One of the two files of an e.firma.
#[derive(Deserialize, Serialize, Clone, Copy, Debug, PartialEq, Eq, TS)]
#[serde(rename_all = "snake_case")]
pub enum FielFile {
    /// The certificate, `.cer`.
    Certificate,
    /// The encrypted private key, `.key`.
    Key,
}

/// What the person gives to sign, where a problem is shown.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq, TS)]
#[serde(rename_all = "snake_case")]
pub enum FielInput {
    /// The `.cer` chosen.
    Certificate,
    /// The `.key` chosen.
    Key,
    /// The key's password typed.
    Password,
}

/// Why the e.firma cannot sign, next to the input to change.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct FielProblem {
    /// Stable: the e.firma's own codes (`wrong_password`, `certificate_is_csd`, …), or
    /// `file_unreadable`, `certificate_not_chosen`, `key_not_chosen`.
    pub code: String,
    /// What is wrong and what to do, in the user's language.
    pub message: String,
    /// The input at fault.
    pub input: FielInput,
}

/// What the certificate says, shown before anything is signed.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct FielFacts {
    /// The holder's name or company name.
    pub holder: String,
    /// The holder's RFC; for a persona moral, the company's.
    pub rfc: String,
    /// For a persona moral, the legal representative's RFC.
    pub representative_rfc: Option<String>,
    /// The número de certificado (20 digits).
    pub certificate_number: String,
    /// The end of validity (RFC 3339, UTC).
    #[serde(serialize_with = "ventanilla_core::stamp::serialize")]
    #[ts(type = "string")]
    pub not_after: DateTime<Utc>,
    /// The end of validity in Mexico City time, `dd/mm/aaaa hh:mm`.
    pub not_after_local: String,
}

/// The warning that the e.firma expires soon or has expired.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct FielRenewal {
    /// Mexico City days left until its last day; negative after it.
    #[ts(type = "number")]
    pub days_left: i64,
    /// It can no longer sign.
    pub expired: bool,
    /// The end of validity in Mexico City time, `dd/mm/aaaa hh:mm`.
    pub not_after_local: String,
}

impl FielRenewal {
    /// The warning for a certificate valid until `not_after`, at `at`; `None` while it
    /// is not due.
    pub fn due(not_after: DateTime<Utc>, at: DateTime<Utc>) -> Option<FielRenewal> {
        renewal_due(not_after, at).then(|| FielRenewal {
            days_left: days_left(not_after, at),
            expired: not_after < at,
            not_after_local: mexico_city_time(not_after),
        })
    }
}

/// The business's e.firma as the signing panel shows it.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct FielView {
    /// The certificate file's name, once chosen.
    pub certificate_file: Option<String>,
    /// The key file's name, once chosen.
    pub key_file: Option<String>,
    /// What the certificate says, once it could be read.
    pub facts: Option<FielFacts>,
    /// Every reason it cannot sign, as far as what was given shows.
    pub problems: Vec<FielProblem>,
    /// Both files chosen and nothing wrong: without a password, it will sign once the
    /// password is typed; with it, it signs.
    pub ready: bool,
    /// Expiring within the notice period, or expired.
    pub renewal: Option<FielRenewal>,
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn input_of(error: &EfirmaError) -> FielInput {
    match error {
        EfirmaError::KeyUnreadable | EfirmaError::KeyMismatch => FielInput::Key,
        EfirmaError::PasswordMissing | EfirmaError::WrongPassword => FielInput::Password,
        _ => FielInput::Certificate,
    }
}

fn efirma_problem(error: &EfirmaError, locale: Locale) -> FielProblem {
    FielProblem {
        code: error.code().into(),
        message: error.message(locale),
        input: input_of(error),
    }
}

fn not_chosen(file: FielFile, locale: Locale) -> FielProblem {
    let (code, failure, input) = match file {
        FielFile::Certificate => (
            "certificate_not_chosen",
            FailureCode::FielCertificateNotChosen,
            FielInput::Certificate,
        ),
        FielFile::Key => (
            "key_not_chosen",
            FailureCode::FielKeyNotChosen,
            FielInput::Key,
        ),
    };
    FielProblem {
        code: code.into(),
        message: Failure::from(failure).message(locale),
        input,
    }
}

fn unreadable(file: FielFile, path: &Path, locale: Locale) -> FielProblem {
    FielProblem {
        code: "file_unreadable".into(),
        message: Failure::from(FailureCode::FielFileUnreadable)
            .with("path", path.display())
            .message(locale),
        input: match file {
            FielFile::Certificate => FielInput::Certificate,
            FielFile::Key => FielInput::Key,
        },
    }
}

impl From<FielProblem> for CommandError {
    fn from(problem: FielProblem) -> Self {
        CommandError {
            code: problem.code,
            message: problem.message,
            field: None,
        }
    }
}

/// A remembered file's bytes, or why there are none.
fn read(path: Option<&PathBuf>, file: FielFile, locale: Locale) -> Result<Vec<u8>, FielProblem> {
    let path = path.ok_or_else(|| not_chosen(file, locale))?;
    std::fs::read(path).map_err(|_| unreadable(file, path, locale))
}

/// The RFC a business's e.firma must have: its own as typed in the registration,
/// normalised; `None` while none is typed.
fn business_rfc(draft_rfc: &str) -> Option<String> {
    Some(normalize(draft_rfc)).filter(|rfc| !rfc.is_empty())
}

impl Desk {
    /// The business's e.firma as the signing panel shows it, read from its files at this
    /// instant for the business's RFC: without `password`, everything but the key's
    /// decryption; with it, every check signing makes (an empty one is refused).
    /// Keeps the home list's renewal warning in step with the certificate.
    pub fn fiel(&mut self, id: &str, password: Option<&str>) -> Outcome<FielView> {
        let locale = self.locale();
        let now = Utc::now();
        let (library, store) = self.library_and_store(id)?;
        let remembered = store
            .fiel()
            .map_err(|e| CommandError::from_store(&e, locale))?;
        let rfc = store
            .load_draft()
            .map(|draft| business_rfc(&draft.rfc))
            .map_err(|e| CommandError::from_store(&e, locale))?;

        let certificate = read(
            remembered.certificate.as_ref(),
            FielFile::Certificate,
            locale,
        );
        let key = read(remembered.key.as_ref(), FielFile::Key, locale);
        let mut problems = Vec::new();
        let mut facts = None;
        match &certificate {
            Ok(certificate) => {
                let inspection = inspect(
                    &Credentials {
                        certificate,
                        key: key.as_deref().unwrap_or_default(),
                        password: password.unwrap_or_default().as_bytes(),
                    },
                    now,
                    rfc.as_deref(),
                );
                facts = inspection.certificate;
                let key_read = key.is_ok();
                problems.extend(
                    inspection
                        .problems
                        .iter()
                        // The key's problems are known only once it is read, the
                        // password's only once one is typed.
                        .filter(|e| input_of(e) == FielInput::Certificate || key_read)
                        .filter(|e| password.is_some() || **e != EfirmaError::PasswordMissing)
                        .map(|e| efirma_problem(e, locale)),
                );
            }
            Err(problem) => {
                if password.is_some() || problem.code == "file_unreadable" {
                    problems.push(problem.clone());
                }
            }
        }
        if let Err(problem) = &key {
            if password.is_some() || problem.code == "file_unreadable" {
                problems.push(problem.clone());
            }
        }

        // A certificate that cannot be read now (a USB stick out) keeps the last known
        // expiry; one read now says its own.
        let not_after = match &certificate {
            Ok(_) => facts.as_ref().map(|f| f.not_after),
            Err(_) => remembered.not_after,
        };
        let updated = RememberedFiel {
            not_after,
            ..remembered.clone()
        };
        store
            .remember_fiel(&updated)
            .and_then(|()| library.record_fiel_expiry(id, not_after))
            .map_err(|e| CommandError::from_store(&e, locale))?;

        Ok(FielView {
            certificate_file: remembered.certificate.as_deref().map(file_name),
            key_file: remembered.key.as_deref().map(file_name),
            ready: certificate.is_ok() && key.is_ok() && facts.is_some() && problems.is_empty(),
            facts: facts.map(|f| FielFacts {
                not_after_local: mexico_city_time(f.not_after),
                holder: f.holder,
                rfc: f.rfc,
                representative_rfc: f.representative_rfc,
                certificate_number: f.certificate_number,
                not_after: f.not_after,
            }),
            problems,
            renewal: not_after.and_then(|n| FielRenewal::due(n, now)),
        })
    }

    /// Remembers `path` as the business's `.cer` or `.key` (the path only: the file is
    /// not copied) and answers the e.firma as it now reads.
    pub fn set_fiel_file(&mut self, id: &str, file: FielFile, path: &Path) -> Outcome<FielView> {
        let store = self.store(id)?;
        let mut remembered = store.fiel();
        if let Ok(remembered) = &mut remembered {
            let chosen = Some(path.to_path_buf());
            match file {
                FielFile::Certificate => remembered.certificate = chosen,
                FielFile::Key => remembered.key = chosen,
            }
        }
        let written = remembered.and_then(|r| store.remember_fiel(&r));
        written.map_err(|e| self.fail(e))?;
        self.fiel(id, None)
    }

    /// The business's remembered e.firma files as they are now, for signing: the
    /// `.cer` and the `.key`, or why one cannot be read, in the user's language.
    pub(crate) fn fiel_files(&mut self, id: &str) -> Outcome<(Vec<u8>, Vec<u8>)> {
        let locale = self.locale();
        let remembered = self.store(id)?.fiel();
        let remembered = remembered.map_err(|e| self.fail(e))?;
        let certificate = read(
            remembered.certificate.as_ref(),
            FielFile::Certificate,
            locale,
        )?;
        let key = read(remembered.key.as_ref(), FielFile::Key, locale)?;
        Ok((certificate, key))
    }
}

/// Why the e.firma did not sign, as the signing panel shows it.
pub(crate) fn efirma_failure(error: &EfirmaError, locale: Locale) -> CommandError {
    efirma_problem(error, locale).into()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) mod tests {
    use super::*;
    use chrono::Duration;
    use ventanilla_testkit::efirma::{Spec, TestCa, PASSWORD, RFC_FISICA, RFC_MORAL};

    /// A persona moral's FIEL for the company RFC `rfc`.
    pub(crate) fn fiel_for(ca: &TestCa, rfc: &str) -> ventanilla_testkit::efirma::Issued {
        ca.issue(&Spec {
            unique_identifier: format!("{rfc} / {RFC_FISICA}"),
            ..Spec::moral()
        })
    }

    /// A desk with one business of `rfc`.
    fn desk_for(rfc: &str) -> (tempfile::TempDir, Desk, crate::ids::BusinessId) {
        let dir = tempfile::tempdir().unwrap();
        let mut desk = Desk::open(dir.path().join("data"));
        let id = desk
            .create(crate::views::NewBusiness {
                persona: "moral".into(),
                rfc: rfc.into(),
                name: "Oñoro y Asociados".into(),
                consent: false,
            })
            .unwrap()
            .id;
        (dir, desk, id)
    }

    fn codes(view: &FielView) -> Vec<&str> {
        view.problems.iter().map(|p| p.code.as_str()).collect()
    }

    #[test]
    fn the_chosen_files_are_remembered_and_their_facts_shown_before_the_password() {
        let ca = TestCa::new();
        let fiel = ca.issue(&Spec::moral());
        let (_dir, mut desk, id) = desk_for(RFC_MORAL);

        let nothing = desk.fiel(&id, None).unwrap();
        assert_eq!((nothing.facts.clone(), nothing.ready), (None, false));
        assert!(
            nothing.problems.is_empty(),
            "nothing chosen is not a fault yet"
        );

        let half = desk
            .set_fiel_file(&id, FielFile::Certificate, &fiel.cer)
            .unwrap();
        let facts = half.facts.clone().unwrap();
        assert_eq!(facts.holder, "OÑORO & ASOCIADOS SA DE CV");
        assert_eq!(facts.rfc, RFC_MORAL);
        assert_eq!(facts.representative_rfc.as_deref(), Some(RFC_FISICA));
        assert_eq!(facts.certificate_number, fiel.certificate_number);
        assert_eq!(facts.not_after_local, mexico_city_time(facts.not_after));
        assert!(!half.ready && half.problems.is_empty());

        let both = desk.set_fiel_file(&id, FielFile::Key, &fiel.key).unwrap();
        assert!(both.ready, "{:?}", both.problems);
        assert_eq!(both.certificate_file.as_deref(), Some("certificate.cer"));
        assert_eq!(both.key_file.as_deref(), Some("private.key"));
        assert_eq!(both.renewal, None, "three years left");

        // The paths, not copies: the business's folder holds no certificate.
        let folder = desk.info().data_dir;
        let copied = walk(Path::new(&folder))
            .into_iter()
            .any(|p| std::fs::read(&p).ok() == Some(fiel.cer_bytes()));
        assert!(!copied);

        // The password is checked only when given, and each answer says where.
        let wrong = desk.fiel(&id, Some("contraseña del portal")).unwrap();
        assert_eq!(codes(&wrong), ["wrong_password"]);
        assert_eq!(wrong.problems[0].input, FielInput::Password);
        assert!(wrong.problems[0]
            .message
            .contains("contraseña de la llave privada no es correcta"));
        assert!(wrong.facts.is_some(), "the facts stay shown");
        let empty = desk.fiel(&id, Some("")).unwrap();
        assert_eq!(codes(&empty), ["password_missing"]);
        assert!(desk.fiel(&id, Some(PASSWORD)).unwrap().ready);

        // Remembered for the next start.
        drop(desk);
        let mut desk = Desk::open(PathBuf::from(folder));
        assert!(desk.fiel(&id, None).unwrap().ready);
    }

    fn walk(dir: &Path) -> Vec<PathBuf> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                files.extend(walk(&path));
            } else {
                files.push(path);
            }
        }
        files
    }

    #[test]
    fn each_refusal_is_worded_for_its_input_in_the_users_language() {
        let ca = TestCa::new();
        let (dir, mut desk, id) = desk_for(RFC_MORAL);
        let set = |desk: &mut Desk, cer: &Path, key: &Path| {
            desk.set_fiel_file(&id, FielFile::Certificate, cer).unwrap();
            desk.set_fiel_file(&id, FielFile::Key, key).unwrap();
            desk.fiel(&id, Some(PASSWORD)).unwrap()
        };

        let csd = ca.issue(&Spec::moral().csd());
        let view = set(&mut desk, &csd.cer, &csd.key);
        assert_eq!(codes(&view), ["certificate_is_csd"]);
        assert_eq!(view.problems[0].input, FielInput::Certificate);
        assert!(view.problems[0].message.contains("sello digital (CSD)"));

        let now = Utc::now();
        let expired =
            ca.issue(&Spec::moral().valid(now - Duration::days(800), now - Duration::days(2)));
        let view = set(&mut desk, &expired.cer, &expired.key);
        assert_eq!(codes(&view), ["certificate_expired"]);
        assert!(view.renewal.as_ref().unwrap().expired);

        let other = ca.issue(&Spec::fisica());
        let view = set(&mut desk, &other.cer, &other.key);
        assert_eq!(codes(&view), ["certificate_rfc_mismatch"]);
        assert!(view.problems[0].message.contains(RFC_FISICA));

        // A key of another certificate, a .cer that is not one, a .key of another format.
        let fiel = ca.issue(&Spec::moral());
        let view = set(&mut desk, &fiel.cer, &other.key);
        assert_eq!(codes(&view), ["key_mismatch"]);
        assert_eq!(view.problems[0].input, FielInput::Key);
        let text = dir.path().join("notas.cer");
        std::fs::write(&text, "no soy un certificado").unwrap();
        let view = set(&mut desk, &text, &fiel.key);
        assert_eq!(codes(&view), ["certificate_unreadable"]);
        assert_eq!(view.facts, None);
        let view = set(&mut desk, &fiel.cer, &fiel.key_pem);
        assert_eq!(codes(&view), ["key_unreadable"]);

        // A file gone since it was chosen.
        let gone = dir.path().join("retirada.key");
        let view = set(&mut desk, &fiel.cer, &gone);
        assert_eq!(codes(&view), ["file_unreadable"]);
        assert!(view.problems[0].message.contains("retirada.key"));

        desk.set_locale(Locale::En).unwrap();
        let view = set(&mut desk, &csd.cer, &csd.key);
        assert!(view.problems[0].message.contains("digital seal (CSD)"));
    }

    #[test]
    fn the_home_list_warns_thirty_days_before_the_fiel_expires() {
        let ca = TestCa::new();
        let now = Utc::now();
        let (_dir, mut desk, id) = desk_for(RFC_MORAL);
        let soon =
            ca.issue(&Spec::moral().valid(now - Duration::days(700), now + Duration::days(20)));
        let view = desk
            .set_fiel_file(&id, FielFile::Certificate, &soon.cer)
            .unwrap();
        let renewal = view.renewal.unwrap();
        assert!(!renewal.expired);
        assert!((19..=21).contains(&renewal.days_left));
        let listed = desk.list("").unwrap();
        assert_eq!(listed[0].fiel_renewal.as_ref(), Some(&renewal));

        let later =
            ca.issue(&Spec::moral().valid(now - Duration::days(700), now + Duration::days(40)));
        desk.set_fiel_file(&id, FielFile::Certificate, &later.cer)
            .unwrap();
        assert_eq!(desk.list("").unwrap()[0].fiel_renewal, None);
    }
}
