//! The ids that cross the IPC boundary, one type per kind of id, so a bid's id cannot
//! be passed where a business's is expected; in TypeScript each is a branded string.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Declares an id: a string on the wire, its own type on each side.
macro_rules! id {
    ($(#[$doc:meta])* $name:ident, $brand:literal) => {
        $(#[$doc])*
        #[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, Hash, TS)]
        #[serde(transparent)]
        pub struct $name(#[ts(type = $brand)] pub String);

        impl From<String> for $name {
            fn from(id: String) -> $name {
                $name(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> $name {
                $name(id.to_owned())
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id!(
    /// A business's id (its folder's name).
    BusinessId,
    "string & { readonly __brand: \"BusinessId\" }"
);
id!(
    /// A bid's id, which is also the id it is submitted with.
    BidId,
    "string & { readonly __brand: \"BidId\" }"
);
id!(
    /// A submission's id: its idempotency key with the server.
    SubmissionId,
    "string & { readonly __brand: \"SubmissionId\" }"
);
id!(
    /// A tender's OCDS id.
    Ocid,
    "string & { readonly __brand: \"Ocid\" }"
);
