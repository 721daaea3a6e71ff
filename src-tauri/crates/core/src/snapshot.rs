//! Frozen submissions: the one canonical JSON text of a registration or bid, and its
//! SHA-256, which the server's receipt signs. Client and server must produce the same
//! bytes from the same facts, so the form is fixed here once.

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// A submission frozen for sending: its canonical text and that text's SHA-256.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    /// The canonical JSON text: what is sent and what the hash is of.
    pub canonical_json: String,
    /// 64 lowercase hex digits.
    pub sha256: String,
}

/// Freezes `value` as canonical JSON: object keys sorted, no insignificant whitespace.
/// Amounts must already be strings (exact decimals): a float has no canonical text.
pub fn freeze<T: Serialize>(value: &T) -> Result<Snapshot, serde_json::Error> {
    let mut canonical_json = String::new();
    write_canonical(&serde_json::to_value(value)?, &mut canonical_json)?;
    let sha256 = sha256_hex(canonical_json.as_bytes());
    Ok(Snapshot {
        canonical_json,
        sha256,
    })
}

// Sorts keys itself rather than trusting `Value`'s map order, which a dependency's
// `preserve_order` feature would turn into insertion order.
fn write_canonical(value: &Value, out: &mut String) -> Result<(), serde_json::Error> {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (position, (key, item)) in entries.into_iter().enumerate() {
                if position > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(key)?);
                out.push(':');
                write_canonical(item, out)?;
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (position, item) in items.iter().enumerate() {
                if position > 0 {
                    out.push(',');
                }
                write_canonical(item, out)?;
            }
            out.push(']');
        }
        scalar => out.push_str(&serde_json::to_string(scalar)?),
    }
    Ok(())
}

/// The SHA-256 of `bytes` as 64 lowercase hex digits, as the API writes hashes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_are_sorted_and_whitespace_dropped_at_every_depth() {
        let frozen =
            freeze(&json!({"b": 1, "a": {"z": "ñ", "y": [2, {"d": 0, "c": 0}]}})).expect("freezes");
        assert_eq!(
            frozen.canonical_json,
            r#"{"a":{"y":[2,{"c":0,"d":0}],"z":"ñ"},"b":1}"#
        );
    }

    #[test]
    fn the_hash_is_of_the_canonical_bytes() {
        let frozen = freeze(&json!({})).expect("freezes");
        // SHA-256 of "{}".
        assert_eq!(
            frozen.sha256,
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
    }
}
