//! Where a business's e.firma is: the paths of its `.cer` and `.key` as the person chose
//! them. The files stay where they are (they are the person's, often on a USB stick) and
//! the password is never stored; what the certificate says is read again from the file.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};

use crate::{now, stamp, BusinessStore, Library, Result, StoreError};

/// The business's e.firma files as remembered, each `None` until chosen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RememberedFiel {
    /// The certificate, `.cer`.
    pub certificate: Option<PathBuf>,
    /// The encrypted private key, `.key`.
    pub key: Option<PathBuf>,
    /// The certificate's end of validity when it was last read.
    pub not_after: Option<DateTime<Utc>>,
}

impl BusinessStore {
    /// The e.firma files the business uses, as last chosen.
    pub fn fiel(&self) -> Result<RememberedFiel> {
        let row = self
            .conn
            .query_row(
                "SELECT certificate_path, key_path, not_after FROM fiel WHERE id = 1",
                [],
                |r| {
                    Ok(RememberedFiel {
                        certificate: r.get::<_, Option<String>>(0)?.map(PathBuf::from),
                        key: r.get::<_, Option<String>>(1)?.map(PathBuf::from),
                        not_after: r.get(2)?,
                    })
                },
            )
            .optional()
            .map_err(self.sql())?;
        Ok(row.unwrap_or_default())
    }

    /// Remembers the business's e.firma files (and the certificate's end of validity,
    /// as just read). Unchanged, nothing is written.
    pub fn remember_fiel(&self, fiel: &RememberedFiel) -> Result<()> {
        if self.fiel()? == *fiel {
            return Ok(());
        }
        // A path that is not Unicode (rare outside Unix) is kept as near as text allows;
        // reading it then fails with a message that asks to choose the file again.
        let text = |path: &Option<PathBuf>| path.as_ref().map(|p| p.to_string_lossy().into_owned());
        self.conn
            .execute(
                "INSERT INTO fiel (id, certificate_path, key_path, not_after, updated_at)
                 VALUES (1, ?1, ?2, ?3, ?4)
                 ON CONFLICT (id) DO UPDATE SET certificate_path = excluded.certificate_path,
                     key_path = excluded.key_path, not_after = excluded.not_after,
                     updated_at = excluded.updated_at",
                params![
                    text(&fiel.certificate),
                    text(&fiel.key),
                    fiel.not_after.map(stamp),
                    now()
                ],
            )
            .map(drop)
            .map_err(self.sql())
    }
}

impl Library {
    /// Keeps the index's copy of when the business's e.firma expires in step with its
    /// certificate, for the home list's warning. Not an edit of the business, so its
    /// place in the list stays.
    pub fn record_fiel_expiry(&self, id: &str, not_after: Option<DateTime<Utc>>) -> Result<()> {
        let changed = self
            .conn
            .execute(
                "UPDATE business SET fiel_not_after = ?2 WHERE id = ?1",
                params![id, not_after.map(stamp)],
            )
            .map_err(self.sql())?;
        if changed == 0 {
            return Err(StoreError::UnknownBusiness(id.to_owned()));
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use ventanilla_core::RegistrationDraft;

    #[test]
    fn the_files_are_remembered_by_path_and_their_expiry_reaches_the_index() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(dir.path()).unwrap();
        let id = library
            .create_business(&RegistrationDraft::default())
            .unwrap();
        let business = library.open_business(&id).unwrap();
        assert_eq!(business.fiel().unwrap(), RememberedFiel::default());

        let not_after = "2027-03-01T17:30:00Z".parse().unwrap();
        let chosen = RememberedFiel {
            certificate: Some(PathBuf::from("/media/usb/FIEL/ana lópez.cer")),
            key: Some(PathBuf::from("/media/usb/FIEL/Claveprivada_FIEL.key")),
            not_after: Some(not_after),
        };
        business.remember_fiel(&chosen).unwrap();
        library.record_fiel_expiry(&id, chosen.not_after).unwrap();
        drop(business);

        let reopened = library.open_business(&id).unwrap();
        assert_eq!(reopened.fiel().unwrap(), chosen);
        let listed = library.list_businesses("").unwrap();
        assert_eq!(listed[0].fiel_not_after, Some(not_after));

        // A rebuilt index takes the expiry from the business's own file.
        drop((reopened, library));
        std::fs::remove_file(dir.path().join("app.db")).unwrap();
        let rebuilt = Library::open(dir.path()).unwrap();
        assert_eq!(
            rebuilt.list_businesses("").unwrap()[0].fiel_not_after,
            Some(not_after)
        );
        assert_eq!(
            rebuilt
                .record_fiel_expiry("nadie", None)
                .unwrap_err()
                .code(),
            "unknown_business"
        );
    }
}
