//! Whether an encrypted PDF needs a password to open.
//!
//! SAT, IMSS and INFONAVIT protect many of their PDFs against editing with an owner
//! password and an empty user password: every reader opens them without asking. Only
//! a file the empty user password does not open needs a password. That is decided as
//! a reader does, by the standard security handler's user-password check
//! (ISO 32000-2, 7.6.4): for revisions 2–4 (RC4 and AES-128) the key of Algorithm 2
//! and the /U value of Algorithm 4 or 5, for revisions 5 and 6 (AES-256) the SHA-256
//! hash or Algorithm 2.B of the empty password with /U's validation salt.
//!
//! Anything that cannot be shown to open without a password needs one: another
//! security handler (certificates), an unknown revision, or an encryption dictionary
//! that is missing or unreadable.

use aes::cipher::{BlockEncrypt, KeyInit};
use aes::Aes128;
use md5::{Digest, Md5};
use sha2::{Sha256, Sha384, Sha512};

use super::object::{self, Object};
use super::{has_name, trailer_dictionaries};

/// What Algorithm 2 pads a password with, and the empty password is padded to.
const PADDING: [u8; 32] = [
    0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
    0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A,
];

/// Whether the PDF in `bytes` needs a password to open: its newest trailer names an
/// encryption dictionary and the empty user password cannot be shown to open it.
pub(super) fn needs_password(bytes: &[u8]) -> bool {
    let Some(trailer) = trailer_dictionaries(bytes)
        .into_iter()
        .rfind(|dictionary| has_name(dictionary, b"/Encrypt"))
    else {
        return false;
    };
    opens_without_password(bytes, trailer) != Some(true)
}

/// `None` when the encryption cannot be read well enough to tell.
fn opens_without_password(bytes: &[u8], trailer: &[u8]) -> Option<bool> {
    let trailer = object::parse(trailer)?;
    let encrypt = match trailer.get(b"Encrypt")? {
        Object::Null => return Some(true),
        value => object::resolve(bytes, value)?,
    };
    // Without an /ID the key is computed over nothing in its place, as readers do.
    let first_id = trailer
        .get(b"ID")
        .and_then(|id| object::resolve(bytes, id))
        .and_then(|id| match id {
            Object::Array(items) => items.into_iter().next(),
            _ => None,
        })
        .and_then(|first| object::resolve(bytes, &first))
        .and_then(Object::into_string)
        .unwrap_or_default();
    StandardSecurity::read(bytes, &encrypt)?.opens_with_empty_password(&first_id)
}

/// The entries of a standard security handler's encryption dictionary that the
/// user-password check needs.
struct StandardSecurity {
    revision: i64,
    /// In bytes, for revisions 2–4.
    key_length: usize,
    owner: Vec<u8>,
    user: Vec<u8>,
    permissions: u32,
    encrypt_metadata: bool,
}

impl StandardSecurity {
    /// `None` for another security handler or a dictionary lacking what is needed.
    fn read(bytes: &[u8], encrypt: &Object) -> Option<StandardSecurity> {
        let entry = |key: &[u8]| encrypt.get(key).and_then(|v| object::resolve(bytes, v));
        if entry(b"Filter")?.into_name()? != b"Standard" {
            return None;
        }
        let revision = entry(b"R")?.as_integer()?;
        let bits = entry(b"Length")
            .and_then(|length| length.as_integer())
            .or_else(|| default_crypt_filter_length(bytes, encrypt))
            .unwrap_or(if revision >= 4 { 128 } else { 40 });
        // Some writers give the length in bytes rather than bits.
        let bits = if bits < 40 {
            bits.saturating_mul(8)
        } else {
            bits
        };
        let key_length = match revision {
            2 => 5,
            _ => usize::try_from(bits / 8).ok()?.clamp(5, 16),
        };
        // P is a 32-bit value that writers give signed or unsigned: keep its low bits.
        let permissions = entry(b"P")?.as_integer()? as u32;
        let encrypt_metadata = !matches!(entry(b"EncryptMetadata"), Some(Object::Bool(false)));
        Some(StandardSecurity {
            revision,
            key_length,
            owner: entry(b"O")?.into_string()?,
            user: entry(b"U")?.into_string()?,
            permissions,
            encrypt_metadata,
        })
    }

    /// `None` for a revision this check does not know.
    fn opens_with_empty_password(&self, first_id: &[u8]) -> Option<bool> {
        let user = &self.user;
        Some(match self.revision {
            // Algorithm 4: /U is the padding encrypted with the key.
            2 => user.get(..32) == Some(&rc4(&self.key(first_id)?, &PADDING)[..]),
            // Algorithm 5: the hash of the padding and the ID, encrypted 20 times with
            // the key changed by each round number; /U holds it in its first 16 bytes.
            3 | 4 => {
                let key = self.key(first_id)?;
                let mut hash = Md5::new()
                    .chain_update(PADDING)
                    .chain_update(first_id)
                    .finalize()
                    .to_vec();
                for round in 0..20_u8 {
                    let round_key: Vec<u8> = key.iter().map(|b| b ^ round).collect();
                    hash = rc4(&round_key, &hash);
                }
                user.get(..16) == Some(&hash[..])
            }
            // /U is a hash of the password and the validation salt that follows it.
            5 | 6 => {
                let (hash, salt) = (user.get(..32)?, user.get(32..40)?);
                let computed = if self.revision == 5 {
                    Sha256::digest(salt).to_vec()
                } else {
                    hash_2b(salt)
                };
                hash == computed.as_slice()
            }
            _ => return None,
        })
    }

    /// Algorithm 2: the file key computed from the empty password.
    fn key(&self, first_id: &[u8]) -> Option<Vec<u8>> {
        let mut md5 = Md5::new()
            .chain_update(PADDING)
            .chain_update(self.owner.get(..32)?)
            .chain_update(self.permissions.to_le_bytes())
            .chain_update(first_id);
        if self.revision >= 4 && !self.encrypt_metadata {
            md5.update([0xFF; 4]);
        }
        let mut hash = md5.finalize().to_vec();
        if self.revision >= 3 {
            for _ in 0..50 {
                hash = Md5::digest(&hash[..self.key_length]).to_vec();
            }
        }
        hash.truncate(self.key_length);
        Some(hash)
    }
}

/// The key length (in bits or bytes, as written) of the crypt filter that streams
/// use, for revision 4, whose encryption dictionary may leave /Length out.
fn default_crypt_filter_length(bytes: &[u8], encrypt: &Object) -> Option<i64> {
    let entry = |dictionary: &Object, key: &[u8]| object::resolve(bytes, dictionary.get(key)?);
    let name = entry(encrypt, b"StmF")?.into_name()?;
    let filter = entry(&entry(encrypt, b"CF")?, &name)?;
    entry(&filter, b"Length")?.as_integer()
}

/// Algorithm 2.B (revision 6) for the empty user password and `salt`: a SHA-256
/// hash hardened by rounds of AES-128 and SHA-2, until at least 64 rounds are done
/// and the last byte of the round's ciphertext is no greater than the round count
/// less 32. (A user password's check has no /U data to add; an empty password adds
/// no bytes.)
fn hash_2b(salt: &[u8]) -> Vec<u8> {
    let mut k = Sha256::digest(salt).to_vec();
    let mut rounds = 0_u32;
    loop {
        let mut e = k.repeat(64);
        aes_128_cbc_encrypt(&k[..16], &k[16..32], &mut e);
        // The first 16 bytes as a big number modulo 3: 256 is 1 modulo 3.
        let modulo = e[..16].iter().map(|&b| u32::from(b)).sum::<u32>() % 3;
        k = match modulo {
            0 => Sha256::digest(&e).to_vec(),
            1 => Sha384::digest(&e).to_vec(),
            _ => Sha512::digest(&e).to_vec(),
        };
        rounds += 1;
        let last = e.last().copied().map_or(0, u32::from);
        if rounds >= 64 && last + 32 <= rounds {
            break;
        }
    }
    k.truncate(32);
    k
}

/// Encrypts `data` (a whole number of 16-byte blocks) in place, without padding.
fn aes_128_cbc_encrypt(key: &[u8], iv: &[u8], data: &mut [u8]) {
    let cipher = Aes128::new(key.into());
    let mut previous: [u8; 16] = iv.try_into().unwrap_or_default();
    for block in data.chunks_exact_mut(16) {
        for (b, p) in block.iter_mut().zip(previous) {
            *b ^= p;
        }
        cipher.encrypt_block(block.into());
        previous.copy_from_slice(block);
    }
}

/// RC4 with `key` (never empty) over `data`: encrypting and decrypting are the same.
fn rc4(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut state: [u8; 256] = std::array::from_fn(|i| i as u8);
    let mut j = 0_u8;
    for i in 0..256 {
        j = j.wrapping_add(state[i]).wrapping_add(key[i % key.len()]);
        state.swap(i, usize::from(j));
    }
    let (mut i, mut j) = (0_u8, 0_u8);
    data.iter()
        .map(|&byte| {
            i = i.wrapping_add(1);
            j = j.wrapping_add(state[usize::from(i)]);
            state.swap(usize::from(i), usize::from(j));
            let at = state[usize::from(i)].wrapping_add(state[usize::from(j)]);
            byte ^ state[usize::from(at)]
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn rc4_matches_published_vectors() {
        // The examples of RC4's original description, as repeated everywhere.
        let cases = [
            ("Key", "Plaintext", "bbf316e8d940af0ad3"),
            ("Wiki", "pedia", "1021bf0420"),
            ("Secret", "Attack at dawn", "45a01f645fc35b383552544b9bf5"),
        ];
        for (key, plain, cipher) in cases {
            assert_eq!(rc4(key.as_bytes(), plain.as_bytes()), hex(cipher), "{key}");
            assert_eq!(rc4(key.as_bytes(), &hex(cipher)), plain.as_bytes());
        }
    }

    #[test]
    fn aes_cbc_matches_nist_sp800_38a() {
        // NIST SP 800-38A, F.2.1 CBC-AES128.Encrypt, first two blocks.
        let key = hex("2b7e151628aed2a6abf7158809cf4f3c");
        let iv = hex("000102030405060708090a0b0c0d0e0f");
        let mut data = hex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51");
        aes_128_cbc_encrypt(&key, &iv, &mut data);
        assert_eq!(
            data,
            hex("7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2")
        );
    }

    #[test]
    fn hash_2b_matches_pypdf() {
        // Computed with pypdf 7.1.1 (`AlgV5.calculate_hash(6, b"", salt, b"")`); the
        // last two salts end on the boundary of the stopping rule (rounds 74 and 71).
        let cases = [
            (
                "0000000000000000",
                "439feba099a63d0d035a1e5fb67ff307329189584956425aff2d3bd3d15edc60",
            ),
            (
                "0001020304050607",
                "1403c04eb647d2e60452dfc4eb0a5e0cf322e8a83a759eabbd17d498a93ba041",
            ),
            (
                "0000000000000018",
                "8c1bedec339f923b4fecd93485de35645e54c34833f8e300d63955d6439e2156",
            ),
            (
                "0000000000000046",
                "deeea8a5ac346b1fc71e2871055aac1cf3cf0b66e84e1c3a005926272ce8462f",
            ),
        ];
        for (salt, hash) in cases {
            assert_eq!(hash_2b(&hex(salt)), hex(hash), "{salt}");
        }
    }

    #[test]
    fn unknown_handlers_and_revisions_need_a_password() {
        let read = |dictionary: &str| {
            let encrypt = object::parse(dictionary.as_bytes()).unwrap();
            StandardSecurity::read(b"", &encrypt)
                .and_then(|security| security.opens_with_empty_password(b""))
        };
        let user = format!("<{}>", "00".repeat(48));
        let cases = [
            format!("<< /Filter /Adobe.PubSec /R 4 /O {user} /U {user} /P -4 >>"),
            format!("<< /Filter /Standard /R 7 /O {user} /U {user} /P -4 >>"),
            format!("<< /Filter /Standard /R 3 /O <00> /U {user} /P -4 >>"),
            format!("<< /Filter /Standard /R 6 /O {user} /U <00> /P -4 >>"),
            format!("<< /Filter /Standard /O {user} /U {user} /P -4 >>"),
        ];
        for dictionary in cases {
            assert_eq!(read(&dictionary), None, "{dictionary}");
        }
    }
}
