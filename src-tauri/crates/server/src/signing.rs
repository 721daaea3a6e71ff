//! The receipt signing key: made on first start and kept in the data folder, readable
//! only by the server's user.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use ed25519_dalek::{Signer as _, SigningKey};
use ventanilla_api::{PublicKey, Receipt};

use crate::files::private_file;

const KEY_FILE: &str = "receipt-signing.key";

pub struct ReceiptSigner {
    key: SigningKey,
}

impl ReceiptSigner {
    /// Loads the key from `data_dir`, creating it when missing.
    pub fn load_or_create(data_dir: &Path) -> io::Result<ReceiptSigner> {
        let path = data_dir.join(KEY_FILE);
        match fs::read(&path) {
            Ok(bytes) => {
                let seed: [u8; 32] = bytes.try_into().map_err(|_| {
                    io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("{} is not a 32-byte key", path.display()),
                    )
                })?;
                Ok(ReceiptSigner {
                    key: SigningKey::from_bytes(&seed),
                })
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let key = SigningKey::generate(&mut rand_core::OsRng);
                let mut file = private_file().write(true).create_new(true).open(&path)?;
                file.write_all(&key.to_bytes())?;
                file.sync_all()?;
                Ok(ReceiptSigner { key })
            }
            Err(e) => Err(e),
        }
    }

    /// Fills in the receipt's signature.
    pub fn seal(&self, receipt: &mut Receipt) {
        receipt.signature = BASE64.encode(self.key.sign(&receipt.signed_bytes()).to_bytes());
    }

    pub fn public_key(&self) -> PublicKey {
        PublicKey::from_key(&self.key.verifying_key())
    }
}
