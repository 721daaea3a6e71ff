//! A locked business's vault files: sealed with XChaCha20-Poly1305 in the STREAM
//! construction (RustCrypto's `aead::stream`), in segments of [`SEGMENT`] bytes, so that a
//! file can be read from any offset (an upload resumed half-way) without decrypting what
//! comes before it, and a segment cut off, altered or moved fails to open.
//!
//! Layout: [`MAGIC`], a random 19-byte nonce prefix, then each segment's ciphertext and
//! 16-byte tag. The last segment is marked as last (an empty file is one empty last
//! segment), so a file cut at a segment boundary fails too.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};

use chacha20poly1305::aead::stream::{NewStream, StreamBE32, StreamPrimitive};
use chacha20poly1305::aead::KeyInit;
use chacha20poly1305::XChaCha20Poly1305;
use rand_core::{OsRng, RngCore};

/// The first bytes of every sealed file; no PDF, JPEG or PNG starts so.
pub(crate) const MAGIC: &[u8; 8] = b"VNTSEAL1";
const PREFIX: usize = 19;
const HEADER: u64 = (MAGIC.len() + PREFIX) as u64;
/// Plaintext bytes per segment.
const SEGMENT: usize = 64 * 1024;
const TAG: usize = 16;
/// Binds every segment to its use: a vault file of Ventanilla's, format 1.
const ASSOCIATED: &[u8] = b"ventanilla vault 1";

type Stream = StreamBE32<XChaCha20Poly1305>;

fn stream(key: &[u8; 32], prefix: &[u8; PREFIX]) -> Stream {
    Stream::from_aead(XChaCha20Poly1305::new(key.into()), prefix.as_slice().into())
}

fn broken(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("sealed file {what}"))
}

/// The size on disk of a sealed file of `plain` bytes.
pub(crate) fn sealed_len(plain: u64) -> u64 {
    HEADER + plain + segments(plain) * TAG as u64
}

/// How many segments hold `plain` bytes: an empty file has one, empty.
fn segments(plain: u64) -> u64 {
    plain.div_ceil(SEGMENT as u64).max(1)
}

/// The plaintext size of a sealed file of `sealed` bytes, or `None` when no sealed file
/// has that size.
fn plain_len(sealed: u64) -> Option<u64> {
    let body = sealed.checked_sub(HEADER)?;
    let segments = body.div_ceil((SEGMENT + TAG) as u64).max(1);
    let plain = body.checked_sub(segments * TAG as u64)?;
    (sealed_len(plain) == sealed).then_some(plain)
}

/// Whether the file at `path` starts as a sealed file does.
pub(crate) fn is_sealed(file: &mut File) -> io::Result<bool> {
    let mut magic = [0; MAGIC.len()];
    match file.read_exact(&mut magic) {
        Ok(()) => Ok(&magic == MAGIC),
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(false),
        Err(e) => Err(e),
    }
}

/// Seals what is written to it into `inner`; [`SealingWriter::finish`] writes the last
/// segment, and without it the file does not open.
pub(crate) struct SealingWriter<W: Write> {
    inner: W,
    stream: Stream,
    buffer: Vec<u8>,
    position: u32,
}

impl<W: Write> SealingWriter<W> {
    pub(crate) fn new(mut inner: W, key: &[u8; 32]) -> io::Result<Self> {
        let mut prefix = [0; PREFIX];
        OsRng.fill_bytes(&mut prefix);
        inner.write_all(MAGIC)?;
        inner.write_all(&prefix)?;
        Ok(SealingWriter {
            inner,
            stream: stream(key, &prefix),
            buffer: Vec::with_capacity(SEGMENT + TAG),
            position: 0,
        })
    }

    fn seal(&mut self, last: bool) -> io::Result<()> {
        self.stream
            .encrypt_in_place(self.position, last, ASSOCIATED, &mut self.buffer)
            .map_err(|_| io::Error::other("cannot seal a segment"))?;
        self.inner.write_all(&self.buffer)?;
        self.buffer.clear();
        self.position = self
            .position
            .checked_add(1)
            .ok_or_else(|| io::Error::other("file too large to seal"))?;
        Ok(())
    }

    /// Seals the last segment and answers the writer.
    pub(crate) fn finish(mut self) -> io::Result<W> {
        self.seal(true)?;
        Ok(self.inner)
    }
}

impl<W: Write> Write for SealingWriter<W> {
    fn write(&mut self, mut data: &[u8]) -> io::Result<usize> {
        let written = data.len();
        while !data.is_empty() {
            // A full segment is sealed only once more follows, since the last one is
            // sealed as last.
            if self.buffer.len() == SEGMENT {
                self.seal(false)?;
            }
            let take = (SEGMENT - self.buffer.len()).min(data.len());
            self.buffer.extend_from_slice(&data[..take]);
            data = &data[take..];
        }
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Reads a sealed file as its plaintext, from any offset.
pub(crate) struct OpenedReader {
    file: File,
    stream: Stream,
    len: u64,
    segments: u64,
    position: u64,
    /// The segment last opened and its plaintext.
    current: Option<(u64, Vec<u8>)>,
}

impl OpenedReader {
    /// Opens `file` (read from its start) sealed under `key`.
    pub(crate) fn new(mut file: File, key: &[u8; 32]) -> io::Result<Self> {
        let sealed = file.metadata()?.len();
        let len = plain_len(sealed).ok_or_else(|| broken("has a size no sealed file has"))?;
        file.seek(SeekFrom::Start(0))?;
        if !is_sealed(&mut file)? {
            return Err(broken("lacks its header"));
        }
        let mut prefix = [0; PREFIX];
        file.read_exact(&mut prefix)?;
        Ok(OpenedReader {
            file,
            stream: stream(key, &prefix),
            len,
            segments: segments(len),
            position: 0,
            current: None,
        })
    }

    /// Its plaintext size.
    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    fn segment(&mut self, index: u64) -> io::Result<&[u8]> {
        if self.current.as_ref().is_none_or(|(i, _)| *i != index) {
            let last = index + 1 == self.segments;
            let plain = if last {
                self.len - index * SEGMENT as u64
            } else {
                SEGMENT as u64
            } as usize;
            let mut buffer = vec![0; plain + TAG];
            self.file
                .seek(SeekFrom::Start(HEADER + index * (SEGMENT + TAG) as u64))?;
            self.file.read_exact(&mut buffer)?;
            let position = u32::try_from(index).map_err(|_| broken("is too large"))?;
            self.stream
                .decrypt_in_place(position, last, ASSOCIATED, &mut buffer)
                .map_err(|_| broken("does not open with this business's key"))?;
            self.current = Some((index, buffer));
        }
        Ok(self
            .current
            .as_ref()
            .map(|(_, b)| b.as_slice())
            .unwrap_or(&[]))
    }
}

impl Read for OpenedReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.position >= self.len || out.is_empty() {
            return Ok(0);
        }
        let index = self.position / SEGMENT as u64;
        let start = (self.position % SEGMENT as u64) as usize;
        let segment = self.segment(index)?;
        let n = (segment.len() - start).min(out.len());
        out[..n].copy_from_slice(&segment[start..start + n]);
        self.position += n as u64;
        Ok(n)
    }
}

impl Seek for OpenedReader {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(at) => Some(at),
            SeekFrom::End(by) => self.len.checked_add_signed(by),
            SeekFrom::Current(by) => self.position.checked_add_signed(by),
        };
        self.position = target
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before start"))?;
        Ok(self.position)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn seal(key: &[u8; 32], plain: &[u8]) -> tempfile::NamedTempFile {
        let file = tempfile::NamedTempFile::new().unwrap();
        let mut writer = SealingWriter::new(file.reopen().unwrap(), key).unwrap();
        // Written in odd pieces, so segment boundaries fall inside writes.
        for piece in plain.chunks(7_777) {
            writer.write_all(piece).unwrap();
        }
        writer.finish().unwrap();
        file
    }

    fn open(file: &tempfile::NamedTempFile, key: &[u8; 32]) -> io::Result<Vec<u8>> {
        let mut reader = OpenedReader::new(file.reopen()?, key)?;
        let mut plain = Vec::new();
        reader.read_to_end(&mut plain)?;
        Ok(plain)
    }

    fn bytes(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 31 % 251) as u8).collect()
    }

    #[test]
    fn sizes_at_and_around_segment_boundaries_round_trip() {
        let key = [7; 32];
        for len in [0, 1, SEGMENT - 1, SEGMENT, SEGMENT + 1, 3 * SEGMENT + 5] {
            let plain = bytes(len);
            let file = seal(&key, &plain);
            assert_eq!(
                file.as_file().metadata().unwrap().len(),
                sealed_len(len as u64)
            );
            assert_eq!(open(&file, &key).unwrap(), plain, "{len} bytes");
        }
    }

    #[test]
    fn reads_from_any_offset() {
        let key = [9; 32];
        let plain = bytes(2 * SEGMENT + 100);
        let file = seal(&key, &plain);
        let mut reader = OpenedReader::new(file.reopen().unwrap(), &key).unwrap();
        for at in [SEGMENT as u64 + 3, 5, 2 * SEGMENT as u64 + 99] {
            reader.seek(SeekFrom::Start(at)).unwrap();
            let mut rest = Vec::new();
            reader.read_to_end(&mut rest).unwrap();
            assert_eq!(rest, plain[at as usize..]);
        }
    }

    #[test]
    fn a_wrong_key_a_flipped_bit_or_a_cut_fails() {
        let key = [1; 32];
        let plain = bytes(2 * SEGMENT);
        let file = seal(&key, &plain);
        assert!(open(&file, &[2; 32]).is_err());

        let mut sealed = std::fs::read(file.path()).unwrap();
        sealed[HEADER as usize + SEGMENT + 40] ^= 1;
        std::fs::write(file.path(), &sealed).unwrap();
        assert!(open(&file, &key).is_err());

        // Cut after the first whole segment: its size is a sealed file's, but that
        // segment was not sealed as the last.
        let whole = seal(&key, &plain);
        assert_eq!(
            plain_len((HEADER as usize + SEGMENT + TAG) as u64),
            Some(SEGMENT as u64)
        );
        let first = HEADER as usize + SEGMENT + TAG;
        let cut = std::fs::read(whole.path()).unwrap()[..first].to_vec();
        std::fs::write(whole.path(), cut).unwrap();
        assert!(open(&whole, &key).is_err());
    }

    #[test]
    fn no_plaintext_is_left_in_the_sealed_file() {
        let key = [3; 32];
        let marker = b"MARCADOR-SECRETO-DEL-ACTA";
        let mut plain = bytes(SEGMENT);
        plain.extend_from_slice(marker);
        let sealed = std::fs::read(seal(&key, &plain).path()).unwrap();
        assert!(!sealed.windows(marker.len()).any(|w| w == marker));
    }
}
