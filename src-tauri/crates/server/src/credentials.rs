//! Emails and passwords, for both the sign-up endpoint and the command that creates
//! operator accounts, and handover codes. Passwords are kept only as Argon2id hashes
//! (PHC strings), handover codes as SHA-256.

use std::collections::HashSet;
use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand_core::{OsRng, RngCore};
use ventanilla_api::auth::{MAX_EMAIL_CHARS, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};
use ventanilla_api::FieldError;

/// Passwords too common to protect anything, one a line (`#` starts a comment).
const COMMON_PASSWORDS: &str = include_str!("../data/common-passwords.txt");

/// Emails as stored and compared: trimmed and lowercased.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub fn field_error(pointer: &str, code: &str, detail: &str) -> FieldError {
    FieldError {
        pointer: pointer.to_owned(),
        code: code.to_owned(),
        detail: detail.to_owned(),
    }
}

/// An email longer than any address can be, judged before it is trimmed, lowercased,
/// looked up or remembered: so that a megabyte of "email" costs the server nothing.
pub fn email_too_long(email: &str) -> Option<FieldError> {
    (email.chars().count() > MAX_EMAIL_CHARS).then(|| {
        field_error(
            "/email",
            "email_length",
            "El correo no puede tener más de 254 caracteres. Revisa que sea tu correo.",
        )
    })
}

/// A password no account can have, because it is longer than any accepted: refused
/// before hashing, which takes longer the longer the password.
pub fn password_too_long(password: &str) -> Option<FieldError> {
    (password.chars().count() > MAX_PASSWORD_CHARS).then(|| {
        field_error(
            "/password",
            "password_length",
            "La contraseña no puede tener más de 256 caracteres.",
        )
    })
}

/// What is wrong with a normalized email and a password.
pub fn problems(email: &str, password: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let plausible = email.chars().count() <= MAX_EMAIL_CHARS
        && email
            .split_once('@')
            .is_some_and(|(user, domain)| !user.is_empty() && domain.contains('.'))
        && !email.chars().any(char::is_whitespace);
    if !plausible {
        errors.push(field_error(
            "/email",
            "email",
            "Escribe un correo electrónico válido.",
        ));
    }
    errors.extend(password_problem(email, password));
    errors
}

/// The first thing that makes `password` a bad one for the account `email`.
fn password_problem(email: &str, password: &str) -> Option<FieldError> {
    let error = |code, detail| Some(field_error("/password", code, detail));
    let chars = password.chars().count();
    if !(MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&chars) {
        return error(
            "password_length",
            "La contraseña debe tener entre 10 y 256 caracteres.",
        );
    }
    let mut letters = password.chars();
    let first = letters.next();
    if letters.all(|c| Some(c) == first) {
        return error(
            "password_repeated",
            "La contraseña no puede ser un solo carácter repetido. Usa una frase de varias \
             palabras que recuerdes.",
        );
    }
    let lowered = password.trim().to_lowercase();
    let local_part = email.split_once('@').map_or(email, |(user, _)| user);
    if lowered == email || lowered == local_part {
        return error(
            "password_is_email",
            "La contraseña no puede ser tu correo ni la parte antes de la @. Elige otra que \
             no se deduzca de tu cuenta.",
        );
    }
    if common_passwords().contains(lowered.as_str()) {
        return error(
            "password_common",
            "Esa contraseña es de las más usadas y se adivina enseguida. Elige otra, por \
             ejemplo una frase de varias palabras que recuerdes.",
        );
    }
    None
}

fn common_passwords() -> &'static HashSet<&'static str> {
    static COMMON: OnceLock<HashSet<&'static str>> = OnceLock::new();
    COMMON.get_or_init(|| {
        COMMON_PASSWORDS
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .collect()
    })
}

/// Argon2id with a fresh salt. Slow on purpose: call it through
/// [`crate::app::App::argon2`], off the async threads and a few at a time.
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
}

/// Whether `password` is the one `hash` was made from; with no hash (an email without
/// an account), checked against a decoy so that the refusal takes as long.
pub fn matches(password: &str, hash: Option<&str>) -> bool {
    let hash = hash.unwrap_or_else(|| decoy());
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A hash to check passwords against when an email has no account.
fn decoy() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    // Should hashing ever fail, the empty decoy still refuses every password.
    DECOY.get_or_init(|| hash("decoy password, never anyone's").unwrap_or_default())
}

/// Crockford's base 32: no I, L, O or U, which read like 1, 1, 0 and V.
const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A fresh handover code: twelve characters (60 random bits) in groups of four, to be
/// read out or copied by hand.
pub fn handover_code() -> String {
    let mut bytes = [0u8; 12];
    OsRng.fill_bytes(&mut bytes);
    let chars: Vec<char> = bytes
        .iter()
        // 256 is a multiple of 32: every character is equally likely.
        .map(|b| char::from(CODE_ALPHABET[usize::from(b % 32)]))
        .collect();
    chars
        .chunks(4)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// How a handover code is kept: the SHA-256 of its normalized form.
pub fn handover_sha256(code: &str) -> String {
    ventanilla_api::sha256_hex(ventanilla_api::ownership::normalize_handover_code(code).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn password_codes(email: &str, password: &str) -> Vec<String> {
        problems(email, password)
            .into_iter()
            .filter(|e| e.pointer == "/password")
            .map(|e| e.code)
            .collect()
    }

    #[test]
    fn weak_passwords_are_refused_with_one_reason_each() {
        let email = "ventas.abarrotes@example.mx";
        assert!(password_codes(email, "una contraseña larga").is_empty());
        assert_eq!(password_codes(email, "corta"), ["password_length"]);
        assert_eq!(password_codes(email, "aaaaaaaaaaaa"), ["password_repeated"]);
        assert_eq!(password_codes(email, "ñññññññññññ"), ["password_repeated"]);
        assert_eq!(password_codes(email, email), ["password_is_email"]);
        assert_eq!(
            password_codes(email, "Ventas.Abarrotes"),
            ["password_is_email"]
        );
        for common in ["1234567890", "QwertyUiop", "password123", "contraseña123"] {
            assert_eq!(
                password_codes(email, common),
                ["password_common"],
                "{common}"
            );
        }
    }

    #[test]
    fn the_common_list_only_holds_passwords_length_would_not_refuse() {
        let list = common_passwords();
        assert!(list.len() >= 500, "{}", list.len());
        for password in list {
            assert!(password.chars().count() >= MIN_PASSWORD_CHARS, "{password}");
            assert_eq!(*password, password.to_lowercase());
        }
    }

    #[test]
    fn overlong_emails_and_passwords_are_named() {
        assert!(email_too_long(&"a".repeat(254)).is_none());
        assert_eq!(
            email_too_long(&format!("{}@x.mx", "a".repeat(250))).map(|e| e.code),
            Some("email_length".to_owned())
        );
        assert!(password_too_long(&"p".repeat(256)).is_none());
        assert!(password_too_long(&"p".repeat(257)).is_some());
    }
}
