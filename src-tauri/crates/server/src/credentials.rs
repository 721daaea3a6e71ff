//! Emails and passwords, for both the sign-up endpoint and the command that creates
//! operator accounts, and handover codes. Passwords are kept only as Argon2id hashes
//! (PHC strings), handover codes as SHA-256.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand_core::{OsRng, RngCore};
use ventanilla_api::auth::{MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};
use ventanilla_api::FieldError;

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

/// What is wrong with a normalized email and a password.
pub fn problems(email: &str, password: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let plausible = email.len() <= 254
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
    let chars = password.chars().count();
    if !(MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&chars) {
        errors.push(field_error(
            "/password",
            "password_length",
            "La contraseña debe tener entre 10 y 256 caracteres.",
        ));
    }
    errors
}

/// Argon2id with a fresh salt. Slow on purpose: call it off the async threads.
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
}

/// Whether `password` is the one `hash` was made from.
pub fn matches(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A hash to check passwords against when an email has no account, so that an
/// unknown email takes as long to refuse as a wrong password.
pub fn decoy() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
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
