//! What the app knows of the alcaldía's server: its address (https, unless the server
//! is on this computer), the receipt-signing key pinned at first contact, the account
//! signed in and the catalogues' ETags, in
//! `app.db`; and the bearer token, kept apart in `<data>/session.token`, readable only
//! by the user, never in a business database and never in a log.

use std::fmt;
use std::fs;
use std::io::Write;
use std::path::PathBuf;

use crate::library::Library;
use crate::{private, Result, StoreError};

const SERVER_URL: &str = "server.url";
const PINNED_KEY_ID: &str = "server.key_id";
const PINNED_KEY: &str = "server.public_key";
const ACCOUNT_EMAIL: &str = "server.account_email";
const CATALOGUE_ETAG: &str = "server.catalogue_etag";
const BANKS_ETAG: &str = "server.banks_etag";
const TOKEN_FILE: &str = "session.token";

/// The server's receipt-signing key as first seen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PinnedKey {
    /// The server's name for the key, which receipts quote.
    pub key_id: String,
    /// 32 bytes, standard base64.
    pub public_key: String,
}

/// A bearer token. Its `Debug` shows nothing of it, so it cannot end up in a log.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Wraps a token the server issued.
    pub fn new(token: impl Into<String>) -> Token {
        Token(token.into())
    }

    /// The token itself, for the `Authorization` header only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(…)")
    }
}

/// `address` as the app keeps it (no trailing slash), if the app may talk to it: an
/// `https://` address, or `http://` to a server on this computer (127.0.0.0/8, ::1,
/// `localhost`), where nobody on the network can read or change what passes. Anything
/// else would hand the password, the token and the businesses' data to whoever sits on
/// the network.
pub fn check_server_address(address: &str) -> Result<String> {
    let trimmed = address.trim().trim_end_matches('/');
    let bad = || StoreError::BadServerAddress(trimmed.to_owned());
    let url = url::Url::parse(trimmed).map_err(|_| bad())?;
    let on_this_computer = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => return Err(bad()),
    };
    match url.scheme() {
        "https" => Ok(trimmed.to_owned()),
        "http" if on_this_computer => Ok(trimmed.to_owned()),
        "http" => Err(StoreError::InsecureServer(trimmed.to_owned())),
        _ => Err(bad()),
    }
}

impl Library {
    /// The server the app talks to, if one was set.
    pub fn server_url(&self) -> Result<Option<String>> {
        self.setting(SERVER_URL)
    }

    /// Points the app at a server, refusing an address it may not talk to (see
    /// [`check_server_address`]). Another server than before has another key and
    /// other accounts: what was pinned and the session are forgotten.
    pub fn set_server_url(&self, url: &str) -> Result<()> {
        let url = check_server_address(url)?;
        let url = url.as_str();
        if self.server_url()?.as_deref() == Some(url) {
            return Ok(());
        }
        for key in [
            PINNED_KEY_ID,
            PINNED_KEY,
            ACCOUNT_EMAIL,
            CATALOGUE_ETAG,
            BANKS_ETAG,
        ] {
            self.remove_setting(key)?;
        }
        self.forget_token()?;
        self.set_setting(SERVER_URL, url)
    }

    /// The server's receipt-signing key pinned at first contact, if any.
    pub fn pinned_key(&self) -> Result<Option<PinnedKey>> {
        Ok(
            match (self.setting(PINNED_KEY_ID)?, self.setting(PINNED_KEY)?) {
                (Some(key_id), Some(public_key)) => Some(PinnedKey { key_id, public_key }),
                _ => None,
            },
        )
    }

    /// Pins `key`, replacing any pinned before (only on first contact, or when the
    /// person accepts a key change the alcaldía announced).
    pub fn pin_key(&self, key: &PinnedKey) -> Result<()> {
        self.set_setting(PINNED_KEY_ID, &key.key_id)?;
        self.set_setting(PINNED_KEY, &key.public_key)
    }

    /// The email of the account signed in last, to fill the sign-in form.
    pub fn account_email(&self) -> Result<Option<String>> {
        self.setting(ACCOUNT_EMAIL)
    }

    /// The ETag of the requirement catalogue last fetched from the server.
    pub fn catalogue_etag(&self) -> Result<Option<String>> {
        self.setting(CATALOGUE_ETAG)
    }

    /// Keeps the ETag of the requirement catalogue just fetched, for the next `If-None-Match`.
    pub fn set_catalogue_etag(&self, etag: &str) -> Result<()> {
        self.set_setting(CATALOGUE_ETAG, etag)
    }

    /// The ETag of the bank catalogue last fetched from the server.
    pub fn banks_etag(&self) -> Result<Option<String>> {
        self.setting(BANKS_ETAG)
    }

    /// Keeps the ETag of the bank catalogue just fetched, for the next `If-None-Match`.
    pub fn set_banks_etag(&self, etag: &str) -> Result<()> {
        self.set_setting(BANKS_ETAG, etag)
    }

    fn token_path(&self) -> PathBuf {
        self.root().join(TOKEN_FILE)
    }

    /// The session's token, if one is kept.
    pub fn token(&self) -> Result<Option<Token>> {
        let path = self.token_path();
        match fs::read_to_string(&path) {
            Ok(text) if !text.trim().is_empty() => Ok(Some(Token(text.trim().to_owned()))),
            Ok(_) => Ok(None),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::io(&path)(e)),
        }
    }

    /// Keeps a new session for `email`: the token in a file only the user may read
    /// (written beside, synced, then renamed over the old one).
    pub fn save_session(&self, email: &str, token: &Token) -> Result<()> {
        let path = self.token_path();
        let incoming = self.root().join(format!("{TOKEN_FILE}.incoming"));
        let mut file = private::write_options()
            .create(true)
            .truncate(true)
            .open(&incoming)
            .map_err(StoreError::io(&incoming))?;
        file.write_all(token.0.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(StoreError::io(&incoming))?;
        fs::rename(&incoming, &path).map_err(StoreError::io(&path))?;
        self.set_setting(ACCOUNT_EMAIL, email)
    }

    /// Signs out locally: the token file goes.
    pub fn forget_token(&self) -> Result<()> {
        let path = self.token_path();
        match fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(StoreError::io(&path)(e)),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_kept_apart_readable_only_by_the_user_and_never_printed() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(dir.path()).unwrap();
        library.set_server_url("http://127.0.0.1:9/").unwrap();
        assert_eq!(
            library.server_url().unwrap().as_deref(),
            Some("http://127.0.0.1:9")
        );
        let token = Token::new("secreto-de-prueba");
        library.save_session("a@b.mx", &token).unwrap();
        assert_eq!(library.token().unwrap(), Some(token.clone()));
        assert!(!format!("{token:?}").contains("secreto"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.path().join(TOKEN_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let app_db = fs::read(dir.path().join("app.db")).unwrap();
        assert!(!app_db.windows(9).any(|w| w == b"secreto-d"));

        library
            .pin_key(&PinnedKey {
                key_id: "k".into(),
                public_key: "p".into(),
            })
            .unwrap();
        library.set_server_url("http://127.0.0.1:9").unwrap();
        assert!(
            library.pinned_key().unwrap().is_some(),
            "the same server keeps its key"
        );
        library.set_server_url("https://otro.example").unwrap();
        assert_eq!(library.pinned_key().unwrap(), None);
        assert_eq!(library.token().unwrap(), None);
        assert_eq!(library.account_email().unwrap(), None);
    }

    #[test]
    fn only_https_or_a_server_on_this_computer_is_accepted() {
        for fine in [
            "https://proveedores.alcaldiabenitojuarez.gob.mx/",
            "http://127.0.0.1:8080",
            "http://127.8.9.10",
            "http://[::1]:3000",
            "http://LocalHost:3000",
        ] {
            assert!(check_server_address(fine).is_ok(), "{fine}");
        }
        for (address, code) in [
            (
                "http://proveedores.alcaldiabenitojuarez.gob.mx",
                "insecure_server",
            ),
            ("http://192.168.1.10:8080", "insecure_server"),
            ("http://localhost.example.com", "insecure_server"),
            ("http://[::ffff:10.0.0.1]", "insecure_server"),
            (
                "proveedores.alcaldiabenitojuarez.gob.mx",
                "bad_server_address",
            ),
            ("ftp://127.0.0.1", "bad_server_address"),
            ("", "bad_server_address"),
        ] {
            let refused = check_server_address(address).unwrap_err();
            assert_eq!(refused.code(), code, "{address}");
        }
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(dir.path()).unwrap();
        library.set_server_url("https://alcaldia.example").unwrap();
        let refused = library
            .set_server_url("http://alcaldia.example")
            .unwrap_err();
        assert!(refused
            .message(ventanilla_core::Locale::Es)
            .contains("https://"));
        assert_eq!(
            library.server_url().unwrap().as_deref(),
            Some("https://alcaldia.example"),
            "a refused address changes nothing"
        );
    }
}
