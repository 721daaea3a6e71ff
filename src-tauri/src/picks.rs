//! Files the person chose, named to the webview by token only. A file enters the app
//! through the file dialog Rust opened or a drop on the window Rust saw; the page gets
//! a random token and the file's name, and commands that read a file take the token.
//! So a page (or anything injected into it) cannot make the app read a path of its
//! choosing.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ventanilla_core::{FailureCode, Locale};
use ventanilla_desk::views::{CommandError, PickedFile};

/// Untaken picks kept at most (dropping ten files uses one): older ones are forgotten.
const KEPT: usize = 64;

/// The picks not used yet, oldest first.
#[derive(Default)]
pub struct PickedFiles(Mutex<VecDeque<(String, PathBuf)>>);

impl PickedFiles {
    /// Registers `path` under a fresh random token.
    pub fn register(&self, path: PathBuf) -> PickedFile {
        let picked = PickedFile {
            token: uuid::Uuid::new_v4().simple().to_string(),
            name: file_name(&path),
        };
        let mut picks = self.picks();
        if picks.len() == KEPT {
            picks.pop_front();
        }
        picks.push_back((picked.token.clone(), path));
        picked
    }

    /// The file registered under `token`, which is used up: a page cannot replay it.
    pub fn take(&self, token: &str, locale: Locale) -> Result<PathBuf, CommandError> {
        let mut picks = self.picks();
        Self::position(&picks, token)
            .and_then(|at| picks.remove(at))
            .map(|(_, path)| path)
            .ok_or_else(|| CommandError::new(FailureCode::UnknownFile, locale))
    }

    /// The file registered under `token`, left registered: for a command the person
    /// may repeat with another choice (an import that asks what to do).
    pub fn peek(&self, token: &str, locale: Locale) -> Result<PathBuf, CommandError> {
        let picks = self.picks();
        Self::position(&picks, token)
            .map(|at| picks[at].1.clone())
            .ok_or_else(|| CommandError::new(FailureCode::UnknownFile, locale))
    }

    fn position(picks: &VecDeque<(String, PathBuf)>, token: &str) -> Option<usize> {
        picks.iter().position(|(known, _)| known == token)
    }

    /// A panic elsewhere must not make every later pick fail.
    fn picks(&self) -> std::sync::MutexGuard<'_, VecDeque<(String, PathBuf)>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_picked_file_is_named_by_its_token_once() {
        let picks = PickedFiles::default();
        let path = PathBuf::from("/home/ana/Documentos/constancia fiscal.pdf");
        let picked = picks.register(path.clone());
        assert_eq!(picked.name, "constancia fiscal.pdf");
        assert!(
            !picked.token.contains('/'),
            "the token says nothing of the path"
        );
        assert_eq!(picks.peek(&picked.token, Locale::Es).unwrap(), path);
        assert_eq!(picks.take(&picked.token, Locale::Es).unwrap(), path);
        assert!(picks.peek(&picked.token, Locale::Es).is_err());
        let replayed = picks.take(&picked.token, Locale::Es).unwrap_err();
        assert_eq!(replayed.code, "unknown_file");
    }

    #[test]
    fn a_path_or_an_unknown_token_is_refused_in_spanish() {
        let picks = PickedFiles::default();
        picks.register(PathBuf::from("/tmp/acta.pdf"));
        for token in ["/tmp/acta.pdf", "/etc/passwd", "", "0123456789abcdef"] {
            let refused = picks.take(token, Locale::Es).unwrap_err();
            assert_eq!(refused.code, "unknown_file");
            assert!(refused.message.starts_with("No se sabe qué archivo usar"));
        }
    }

    #[test]
    fn only_the_latest_picks_are_kept() {
        let picks = PickedFiles::default();
        let first = picks.register(PathBuf::from("/tmp/0.pdf"));
        let mut last = first.clone();
        for n in 1..=KEPT {
            last = picks.register(PathBuf::from(format!("/tmp/{n}.pdf")));
        }
        assert!(picks.take(&first.token, Locale::Es).is_err());
        assert_eq!(
            picks.take(&last.token, Locale::Es).unwrap(),
            PathBuf::from(format!("/tmp/{KEPT}.pdf"))
        );
    }
}
