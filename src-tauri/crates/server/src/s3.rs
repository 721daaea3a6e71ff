//! [`Blobs`] in an S3-compatible object store (Amazon S3, MinIO, Ceph, SeaweedFS…), so
//! that every instance of the server reads and writes the same documents.
//!
//! Each chunk of an upload is its own object, `uploads/<id>/<offset>`, written with one
//! PUT (atomic in S3: an object is all there or not at all), so a chunk cut half-way
//! leaves nothing and a chunk sent again replaces its object. Which offset an upload
//! has reached is the database's to say (a compare-and-set), not the store's. Once the
//! last chunk is in, the chunks are read from offset 0, each object's length giving
//! the next offset, hashed, and written as `documents/<sha256>` only when they hash to
//! the declared SHA-256: two instances taking chunks of one upload at the same offset
//! at once can make the upload fail its hash, never make a document of wrong bytes.
//! A document is at most [`ventanilla_api::documents::MAX_DOCUMENT_BYTES`] (25 MiB), so
//! its bytes are assembled in memory.
//!
//! Requests are signed with SigV4 by rusty-s3 (sans-IO) and sent by reqwest on a
//! [`Bridge`] of their own, behind the same blocking interface as the disk.

use std::time::Duration;

use rusty_s3::actions::{ListObjectsV2, S3Action};
use rusty_s3::{Bucket, Credentials, UrlStyle};
use uuid::Uuid;

use crate::blobs::{BlobError, Blobs, Result, S3Keys, S3Location};
use crate::bridge::Bridge;

/// How long a signed request stays valid: only for sending it now.
const SIGNED_FOR: Duration = Duration::from_secs(60);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Past it a request counts as unanswered (the server's own request timeout is 30 s).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

pub struct S3Blobs {
    bucket: Bucket,
    credentials: Credentials,
    http: reqwest::Client,
    bridge: Bridge,
}

fn chunk_key(id: Uuid, offset: u64) -> String {
    // Zero-padded, so that a listing sorts an upload's chunks by offset.
    format!("uploads/{id}/{offset:020}")
}

fn document_key(sha256: &str) -> String {
    format!("documents/{sha256}")
}

/// `error` and its causes ("connection refused"…), which reqwest's message leaves out.
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        text = format!("{text}: {inner}");
        cause = inner.source();
    }
    text
}

impl S3Blobs {
    /// Connects to the bucket and checks that it answers.
    pub fn open(location: &S3Location, keys: S3Keys) -> Result<S3Blobs> {
        let (endpoint, style) = match &location.endpoint {
            // Servers other than Amazon's mostly address buckets by path.
            Some(endpoint) => (endpoint.clone(), UrlStyle::Path),
            None => (
                format!("https://s3.{}.amazonaws.com", location.region)
                    .parse()
                    .map_err(|e| BlobError::Refused(format!("region {}: {e}", location.region)))?,
                UrlStyle::VirtualHost,
            ),
        };
        let bucket = Bucket::new(
            endpoint,
            style,
            location.bucket.clone(),
            location.region.clone(),
        )
        .map_err(|e| BlobError::Refused(format!("bucket {}: {e}", location.bucket)))?;
        let credentials = match keys.session_token {
            Some(token) => Credentials::new_with_token(keys.access_key, keys.secret_key, token),
            None => Credentials::new(keys.access_key, keys.secret_key),
        };
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(|e| BlobError::Unreachable(with_causes(&e)))?;
        let blobs = S3Blobs {
            bucket,
            credentials,
            http,
            bridge: Bridge::start("s3")?,
        };
        blobs.ping()?;
        Ok(blobs)
    }

    /// Sends a signed request; an answer other than 2xx is an error, but for 404 when
    /// `absent_ok`, answered `None`.
    async fn send(
        &self,
        request: reqwest::RequestBuilder,
        absent_ok: bool,
    ) -> Result<Option<reqwest::Response>> {
        let response = request
            .send()
            .await
            .map_err(|e| BlobError::Unreachable(with_causes(&e)))?;
        let status = response.status();
        if status.is_success() {
            return Ok(Some(response));
        }
        if absent_ok && status == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        let body = response.text().await.unwrap_or_default();
        // The error's <Code> names it (NoSuchBucket, AccessDenied, XMinioStorageFull…).
        let code = body
            .split_once("<Code>")
            .and_then(|(_, rest)| rest.split_once("</Code>"))
            .map_or("", |(code, _)| code);
        let what = format!("{status} {code}");
        Err(match status.as_u16() {
            507 => BlobError::Full(what),
            _ if code.contains("StorageFull") || code == "QuotaExceeded" => BlobError::Full(what),
            500..=599 => BlobError::Unreachable(what),
            _ => BlobError::Refused(what),
        })
    }

    async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<()> {
        let url = self
            .bucket
            .put_object(Some(&self.credentials), key)
            .sign(SIGNED_FOR);
        self.send(self.http.put(url).body(bytes), false).await?;
        Ok(())
    }

    /// The object's bytes; `None` when there is no such object.
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        let url = self
            .bucket
            .get_object(Some(&self.credentials), key)
            .sign(SIGNED_FOR);
        let Some(response) = self.send(self.http.get(url), true).await? else {
            return Ok(None);
        };
        let bytes = response
            .bytes()
            .await
            .map_err(|e| BlobError::Unreachable(with_causes(&e)))?;
        Ok(Some(bytes.to_vec()))
    }

    /// The keys of an upload's chunks.
    async fn chunk_keys(&self, id: Uuid) -> Result<Vec<String>> {
        let prefix = format!("uploads/{id}/");
        let mut keys = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let mut list = ListObjectsV2::new(&self.bucket, Some(&self.credentials));
            list.with_prefix(prefix.as_str());
            if let Some(token) = &after {
                list.with_continuation_token(token.as_str());
            }
            let url = list.sign(SIGNED_FOR);
            let Some(response) = self.send(self.http.get(url), false).await? else {
                break;
            };
            let text = response
                .text()
                .await
                .map_err(|e| BlobError::Unreachable(with_causes(&e)))?;
            let page = ListObjectsV2::parse_response(&text)
                .map_err(|e| BlobError::Refused(format!("a listing that cannot be read: {e}")))?;
            keys.extend(page.contents.into_iter().map(|object| object.key));
            match page.next_continuation_token {
                Some(token) => after = Some(token),
                None => break,
            }
        }
        Ok(keys)
    }

    async fn remove_chunks(&self, id: Uuid) -> Result<()> {
        for key in self.chunk_keys(id).await? {
            let url = self
                .bucket
                .delete_object(Some(&self.credentials), &key)
                .sign(SIGNED_FOR);
            self.send(self.http.delete(url), true).await?;
        }
        Ok(())
    }

    /// The upload's bytes from offset 0, as far as its chunks go (at most `size`).
    async fn assemble(&self, id: Uuid, size: u64) -> Result<Vec<u8>> {
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        while (bytes.len() as u64) < size {
            match self.get(&chunk_key(id, bytes.len() as u64)).await? {
                Some(chunk) if !chunk.is_empty() => bytes.extend_from_slice(&chunk),
                _ => break,
            }
        }
        Ok(bytes)
    }
}

impl Blobs for S3Blobs {
    fn backend(&self) -> &'static str {
        "s3"
    }

    fn ping(&self) -> Result<()> {
        let url = self
            .bucket
            .head_bucket(Some(&self.credentials))
            .sign(SIGNED_FOR);
        self.bridge
            .wait(self.send(self.http.head(url), false))
            .map(drop)
    }

    fn write_chunk(&self, id: Uuid, offset: u64, chunk: &[u8]) -> Result<()> {
        self.bridge
            .wait(self.put(&chunk_key(id, offset), chunk.to_vec()))
    }

    fn keep(&self, id: Uuid, size: u64, sha256: &str) -> Result<bool> {
        self.bridge.wait(async {
            let bytes = self.assemble(id, size).await?;
            let whole = bytes.len() as u64 == size && ventanilla_api::sha256_hex(&bytes) == sha256;
            if whole {
                self.put(&document_key(sha256), bytes).await?;
            }
            // The document is kept either way: chunks left behind only take room (a
            // lifecycle rule on uploads/ clears them, see docs/DEPLOY.md).
            if let Err(e) = self.remove_chunks(id).await {
                eprintln!(
                    "ventanilla-server: the chunks of upload {id} stay in the document store: {e}"
                );
            }
            Ok(whole)
        })
    }

    fn discard(&self, id: Uuid) -> Result<()> {
        self.bridge.wait(self.remove_chunks(id))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::io::{Read, Write};
    use std::net::TcpListener;

    use super::*;

    const OK: &str = "HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";

    /// A store on loopback that answers the bucket's HEAD with `head` and every other
    /// request with `answer`.
    fn store_answering(head: &'static str, answer: &'static str) -> S3Location {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                let mut request = [0u8; 4096];
                let read = stream.read(&mut request).unwrap_or(0);
                let reply = match request[..read].starts_with(b"HEAD") {
                    true => head,
                    false => answer,
                };
                let _ = stream.write_all(reply.as_bytes());
            }
        });
        S3Location {
            bucket: "documentos".to_owned(),
            endpoint: Some(format!("http://127.0.0.1:{port}").parse().unwrap()),
            region: "us-east-1".to_owned(),
        }
    }

    fn keys() -> S3Keys {
        S3Keys {
            access_key: "llave".to_owned(),
            secret_key: "secreto".to_owned(),
            session_token: None,
        }
    }

    /// What a chunk written to a store answering `answer` fails with.
    fn written(answer: &'static str) -> BlobError {
        let blobs = S3Blobs::open(&store_answering(OK, answer), keys()).unwrap();
        blobs.write_chunk(Uuid::now_v7(), 0, b"hola").unwrap_err()
    }

    #[test]
    fn a_store_out_of_room_is_full_one_failing_is_unreachable_and_a_refusal_is_neither() {
        let full =
            "HTTP/1.1 507 Insufficient Storage\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";
        assert!(matches!(written(full), BlobError::Full(_)));
        let minio_full = "HTTP/1.1 500 Internal Server Error\r\ncontent-length: 55\r\nconnection: close\r\n\r\n<Error><Code>XMinioStorageFull</Code><Message/></Error>";
        assert!(matches!(written(minio_full), BlobError::Full(_)));
        let slow_down = "HTTP/1.1 503 Slow Down\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";
        assert!(matches!(written(slow_down), BlobError::Unreachable(_)));
        let denied = "HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";
        assert!(matches!(written(denied), BlobError::Refused(_)));
        // At start, a bucket that is not there.
        let missing = "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";
        let opened = S3Blobs::open(&store_answering(missing, OK), keys());
        assert!(matches!(opened, Err(BlobError::Refused(_))));
    }
}
