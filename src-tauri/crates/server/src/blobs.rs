//! Where documents' bytes are kept, chosen at start with `--blobs`: the data folder's
//! disk (`file:DIR`, [`crate::files::Files`]) or an S3-compatible object store
//! (`s3://BUCKET?endpoint=…`, [`crate::s3::S3Blobs`]) that several instances share.
//! Either keeps an upload's chunks as they arrive and, once the last one is in, turns
//! them into the document named by its SHA-256 only when the bytes hash to it. Like
//! [`crate::storage::Storage`], every method blocks and is called from a blocking
//! thread.

use std::path::PathBuf;

use uuid::Uuid;

/// Why the document store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// It does not answer, or answers that it cannot now (5xx).
    #[error("the document store does not answer: {0}")]
    Unreachable(String),
    /// It has no room left.
    #[error("the document store is full: {0}")]
    Full(String),
    /// It answered, and refused (credentials, a missing bucket).
    #[error("the document store refused: {0}")]
    Refused(String),
}

pub type Result<T> = std::result::Result<T, BlobError>;

pub trait Blobs: Send + Sync {
    /// `file` or `s3`, as `GET /v1/health` names it.
    fn backend(&self) -> &'static str;
    /// Whether the store answers now.
    fn ping(&self) -> Result<()>;
    /// Keeps `chunk` as the bytes of upload `id` from `offset` on, durably, dropping
    /// whatever an earlier attempt left from `offset` on.
    fn write_chunk(&self, id: Uuid, offset: u64, chunk: &[u8]) -> Result<()>;
    /// Makes the `size` bytes of upload `id` the document `sha256` when they hash to it
    /// (true), or drops them when they do not (false). A document already kept stays.
    fn keep(&self, id: Uuid, size: u64, sha256: &str) -> Result<bool>;
    /// Drops an upload's bytes, if any.
    fn discard(&self, id: Uuid) -> Result<()>;
}

/// Where `--blobs` says to keep documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlobsUrl {
    /// A folder (`file:DIR`).
    Folder(PathBuf),
    /// An S3 bucket (`s3://BUCKET?endpoint=URL&region=NAME`).
    S3(S3Location),
}

/// A bucket and the server that has it. The keys come from the environment
/// (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`), never from the
/// URL, which other users of the machine can read in the process list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct S3Location {
    pub bucket: String,
    /// `None`: Amazon's endpoint for the region.
    pub endpoint: Option<url::Url>,
    pub region: String,
}

/// The keys an S3 store is signed in to.
#[derive(Clone, Debug)]
pub struct S3Keys {
    pub access_key: String,
    pub secret_key: String,
    pub session_token: Option<String>,
}

impl S3Keys {
    /// From `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.
    pub fn from_env() -> Option<S3Keys> {
        let var = |name| std::env::var(name).ok().filter(|v: &String| !v.is_empty());
        Some(S3Keys {
            access_key: var("AWS_ACCESS_KEY_ID")?,
            secret_key: var("AWS_SECRET_ACCESS_KEY")?,
            session_token: var("AWS_SESSION_TOKEN"),
        })
    }
}

const REGION_WHEN_UNSAID: &str = "us-east-1";

/// Why a `--blobs` value was refused, in Spanish, saying what is accepted.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BadBlobsUrl(String);

impl BlobsUrl {
    /// Reads a `--blobs` value; the error says, in Spanish, what is wrong with it.
    pub fn parse(text: &str) -> std::result::Result<BlobsUrl, BadBlobsUrl> {
        if let Some(folder) = text.strip_prefix("file:") {
            if folder.is_empty() {
                return Err(BadBlobsUrl("file: necesita la carpeta de los documentos, por ejemplo file:/var/lib/ventanilla/documentos".to_owned()));
            }
            return Ok(BlobsUrl::Folder(PathBuf::from(folder)));
        }
        let example = "s3://documentos?endpoint=https://s3.example.mx&region=mx-central-1";
        if !text.starts_with("s3://") {
            return Err(BadBlobsUrl(format!(
                "--blobs debe ser file:CARPETA o s3://CUBETA (por ejemplo {example})"
            )));
        }
        let url = url::Url::parse(text)
            .map_err(|e| BadBlobsUrl(format!("{text} no es un URL válido ({e})")))?;
        let bucket = url.host_str().unwrap_or_default().to_owned();
        if bucket.is_empty() || !matches!(url.path(), "" | "/") {
            return Err(BadBlobsUrl(format!(
                "s3:// lleva sólo el nombre de la cubeta, sin carpetas (por ejemplo {example})"
            )));
        }
        let mut location = S3Location {
            bucket,
            endpoint: None,
            region: REGION_WHEN_UNSAID.to_owned(),
        };
        for (name, value) in url.query_pairs() {
            match &*name {
                "endpoint" => {
                    let endpoint = url::Url::parse(&value)
                        .ok()
                        .filter(|e| matches!(e.scheme(), "http" | "https") && e.has_host())
                        .ok_or_else(|| {
                            BadBlobsUrl(format!(
                                "endpoint={value} debe ser un URL http:// o https://"
                            ))
                        })?;
                    location.endpoint = Some(endpoint);
                }
                "region" if !value.is_empty() => location.region = value.into_owned(),
                other => {
                    return Err(BadBlobsUrl(format!(
                        "s3:// admite endpoint= y region=, no {other}= (por ejemplo {example})"
                    )))
                }
            }
        }
        Ok(BlobsUrl::S3(location))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn blobs_urls_name_a_folder_or_a_bucket_and_bad_ones_say_what_is_wrong() {
        assert_eq!(
            BlobsUrl::parse("file:/srv/docs"),
            Ok(BlobsUrl::Folder(PathBuf::from("/srv/docs")))
        );
        let Ok(BlobsUrl::S3(location)) =
            BlobsUrl::parse("s3://docs?endpoint=http://127.0.0.1:9000&region=mx-1")
        else {
            panic!("an s3 URL with an endpoint is read");
        };
        assert_eq!(location.bucket, "docs");
        assert_eq!(
            location.endpoint.map(|e| e.to_string()).as_deref(),
            Some("http://127.0.0.1:9000/")
        );
        assert_eq!(location.region, "mx-1");
        let Ok(BlobsUrl::S3(amazon)) = BlobsUrl::parse("s3://docs") else {
            panic!("a bare bucket is read");
        };
        assert_eq!(
            (amazon.endpoint, amazon.region.as_str()),
            (None, "us-east-1")
        );
        for (bad, says) in [
            ("file:", "carpeta"),
            ("/srv/docs", "file:CARPETA"),
            ("s3://docs/carpeta", "sin carpetas"),
            ("s3://docs?endpoint=ftp://x", "http://"),
            ("s3://docs?secret=x", "no secret="),
        ] {
            let error = BlobsUrl::parse(bad).unwrap_err().to_string();
            assert!(error.contains(says), "{bad}: {error}");
        }
    }
}
