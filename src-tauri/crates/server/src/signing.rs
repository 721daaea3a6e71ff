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

/// The key's file in the data folder.
pub const KEY_FILE: &str = "receipt-signing.key";

fn key_path(data_dir: &Path) -> std::path::PathBuf {
    data_dir.join(KEY_FILE)
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
