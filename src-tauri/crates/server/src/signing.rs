//! The receipt signing key, kept in the data folder, readable only by the server's user:
//! made on the first start of a server on SQLite, or by `ventanilla-server keys init`
//! for instances that share a PostgreSQL database (each is given a copy).

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use ed25519_dalek::{Signer as _, SigningKey};
use ventanilla_api::{PublicKey, Receipt};

use crate::files::private_file;
use crate::storage::{Storage, StorageError};

/// The key's file in the data folder.
pub const KEY_FILE: &str = "receipt-signing.key";

fn key_path(data_dir: &Path) -> std::path::PathBuf {
    data_dir.join(KEY_FILE)
}

/// Why a data folder cannot sign the log its database keeps.
#[derive(Debug)]
pub enum SignerError {
    /// The folder's key file cannot be read or written.
    File(io::Error),
    Storage(StorageError),
    /// The log is signed with `kept` and the folder has no copy of it.
    Missing {
        kept: String,
    },
    /// The folder's key is `mine`, not the log's `kept`.
    Other {
        kept: String,
        mine: String,
    },
}

impl From<StorageError> for SignerError {
    fn from(error: StorageError) -> SignerError {
        SignerError::Storage(error)
    }
}

/// The signer of `storage`'s log in `data_dir`: the folder's key, which must be the one
/// the log records; or, when neither has one (a first start, `keys init`), a new key,
/// kept in the folder and recorded. Instances after the first are given the first
/// one's key, never a new one.
pub fn log_signer(data_dir: &Path, storage: &dyn Storage) -> Result<ReceiptSigner, SignerError> {
    let (signer, made) = match ReceiptSigner::load(data_dir).map_err(SignerError::File)? {
        Some(signer) => (signer, false),
        None => match storage.log_key(None)? {
            Some(kept) => return Err(SignerError::Missing { kept }),
            None => (
                ReceiptSigner::create(data_dir).map_err(SignerError::File)?,
                true,
            ),
        },
    };
    let mine = signer.public_key().public_key;
    match storage.log_key(Some(&mine))? {
        // Another instance recorded its own key in between: ours was never used.
        Some(kept) if kept != mine && made => {
            let _ = fs::remove_file(key_path(data_dir));
            Err(SignerError::Missing { kept })
        }
        Some(kept) if kept != mine => Err(SignerError::Other { kept, mine }),
        _ => Ok(signer),
    }
}

pub struct ReceiptSigner {
    key: SigningKey,
}

impl ReceiptSigner {
    /// Loads the key kept in `data_dir`, or `None` when there is none.
    pub fn load(data_dir: &Path) -> io::Result<Option<ReceiptSigner>> {
        let path = key_path(data_dir);
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let seed: [u8; 32] = bytes.try_into().map_err(|_| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{} is not a 32-byte key", path.display()),
            )
        })?;
        Ok(Some(ReceiptSigner {
            key: SigningKey::from_bytes(&seed),
        }))
    }

    /// Makes a new key and keeps it in `data_dir`; an existing key is never replaced.
    pub fn create(data_dir: &Path) -> io::Result<ReceiptSigner> {
        let key = SigningKey::generate(&mut rand_core::OsRng);
        let mut file = private_file()
            .write(true)
            .create_new(true)
            .open(key_path(data_dir))?;
        file.write_all(&key.to_bytes())?;
        file.sync_all()?;
        Ok(ReceiptSigner { key })
    }

    /// Fills in the receipt's signature.
    pub fn seal(&self, receipt: &mut Receipt) {
        receipt.signature = BASE64.encode(self.key.sign(&receipt.signed_bytes()).to_bytes());
    }

    pub fn public_key(&self) -> PublicKey {
        PublicKey::from_key(&self.key.verifying_key())
    }
}
