//! Checks on a file before it is attached: what it really is (by its first bytes, not
//! its name), whether its requirement accepts it, and, for a PDF, whether the alcaldía
//! will be able to open it: complete, opening without a password, with pages.
//!
//! The PDF checks are a light scan of the bytes, not a full reader: they catch the
//! usual accidents (a download cut short, an export that asks for a password to open,
//! a web page saved as `.pdf`) without a PDF library, and never fail on what they
//! cannot read. A PDF that is encrypted only against editing, as government offices
//! issue theirs, opens without a password and is accepted (module `security`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::checklist::{in_locale, Requirement};
use crate::message::{enum_with_all, Locale};

mod object;
mod security;

/// Readers look for `%%EOF` within the last kilobyte, and `startxref` just before it.
const EOF_WINDOW: usize = 1024;

/// A trailer or cross-reference stream dictionary is far smaller; the cap keeps a
/// malformed file from making the scan quadratic.
const MAX_DICTIONARY: usize = 64 * 1024;

const MEGABYTE: u64 = 1024 * 1024;

enum_with_all! {
    /// A kind of file the alcaldía accepts.
    #[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, TS)]
    #[serde(rename_all = "snake_case")]
    pub enum FileKind {
        /// A PDF document.
        Pdf,
        /// A JPEG photo or scan.
        Jpeg,
        /// A PNG image.
        Png,
    }
}

impl FileKind {
    /// How people know it, the same in Spanish and English; lowercase, it is also the
    /// usual name ending.
    pub fn label(self) -> &'static str {
        match self {
            FileKind::Pdf => "PDF",
            FileKind::Jpeg => "JPG",
            FileKind::Png => "PNG",
        }
    }

    /// The bytes every file of this kind starts with.
    fn magic(self) -> &'static [u8] {
        match self {
            FileKind::Pdf => b"%PDF-",
            FileKind::Jpeg => &[0xFF, 0xD8, 0xFF],
            FileKind::Png => &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A],
        }
    }

    fn extensions(self) -> &'static [&'static str] {
        match self {
            FileKind::Pdf => &["pdf"],
            FileKind::Jpeg => &["jpg", "jpeg", "jpe"],
            FileKind::Png => &["png"],
        }
    }

    /// The kind a file name claims by its ending, in any letter case.
    fn named(name: &str) -> Option<FileKind> {
        let (_, extension) = name.trim().rsplit_once('.')?;
        let extension = extension.to_ascii_lowercase();
        FileKind::all()
            .iter()
            .copied()
            .find(|kind| kind.extensions().contains(&extension.as_str()))
    }
}

/// What a file is, from its first bytes.
pub fn sniff(head: &[u8]) -> Option<FileKind> {
    FileKind::all()
        .iter()
        .copied()
        .find(|kind| head.starts_with(kind.magic()))
}

/// What the light scan learnt about a readable PDF.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq, TS)]
pub struct PdfInfo {
    /// The number of page objects; `None` when they are inside compressed object
    /// streams, which the scan does not inflate.
    pub pages: Option<u32>,
}

/// Why the alcaldía could not open a PDF.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq, TS)]
#[serde(rename_all = "snake_case")]
pub enum PdfProblem {
    /// The file has no bytes.
    Empty,
    /// It does not start like a PDF.
    NotPdf,
    /// No `%%EOF` near the end, or no `startxref` before it: the copy was cut short.
    Truncated,
    /// It is encrypted and the empty user password does not open it: a reader asks
    /// for a password (one that only restricts editing is not this).
    NeedsPassword,
    /// No page could be found.
    Damaged,
}

impl PdfProblem {
    /// What is wrong and what to do about it, in plain words.
    pub fn message(&self, locale: Locale) -> String {
        let (es, en) = match self {
            PdfProblem::Empty => (
                "El PDF está vacío. Descárgalo o genéralo de nuevo y vuelve a adjuntarlo.",
                "The PDF is empty. Download or create it again and attach it again.",
            ),
            PdfProblem::NotPdf => (
                "El archivo no es un PDF. Ábrelo para comprobar que es el documento correcto, guárdalo como PDF y vuelve a adjuntarlo.",
                "The file is not a PDF. Open it to check it is the right document, save it as a PDF and attach it again.",
            ),
            PdfProblem::Truncated => (
                "El PDF está incompleto: parece que la descarga o la copia se cortó. Descárgalo de nuevo y vuelve a adjuntarlo.",
                "The PDF is incomplete: the download or copy seems to have been cut short. Download it again and attach it again.",
            ),
            PdfProblem::NeedsPassword => (
                "Este PDF pide contraseña para abrirse, y la alcaldía debe poder abrirlo sin ella. Ábrelo con tu contraseña, guárdalo sin contraseña (Imprimir → Guardar como PDF) y vuelve a adjuntarlo.",
                "This PDF asks for a password to open, and the alcaldía must be able to open it without one. Open it with your password, save it without a password (Print → Save as PDF) and attach it again.",
            ),
            PdfProblem::Damaged => (
                "El PDF está dañado: no tiene ninguna página que se pueda leer. Ábrelo para comprobar que se ve bien, guárdalo de nuevo como PDF y vuelve a adjuntarlo.",
                "The PDF is damaged: it has no page that can be read. Open it to check it displays correctly, save it again as a PDF and attach it again.",
            ),
        };
        in_locale(locale, es, en).to_owned()
    }
}

/// Checks a whole PDF file.
pub fn check_pdf(bytes: &[u8]) -> Result<PdfInfo, PdfProblem> {
    check_pdf_ends(bytes)?;
    let pages = if has_name(bytes, b"/ObjStm") {
        None
    } else {
        match count_pages(bytes) {
            0 => return Err(PdfProblem::Damaged),
            n => Some(u32::try_from(n).unwrap_or(u32::MAX)),
        }
    };
    Ok(PdfInfo { pages })
}

/// The checks that hold on the start and the end of a file as well as on all of it:
/// the header, the end-of-file marker and the trailer.
fn check_pdf_ends(bytes: &[u8]) -> Result<(), PdfProblem> {
    if bytes.is_empty() {
        Err(PdfProblem::Empty)
    } else if sniff(bytes) != Some(FileKind::Pdf) {
        Err(PdfProblem::NotPdf)
    } else if is_truncated(bytes) {
        Err(PdfProblem::Truncated)
    } else if security::needs_password(bytes) {
        Err(PdfProblem::NeedsPassword)
    } else {
        Ok(())
    }
}

/// Why a file cannot be attached to a requirement.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FileProblem {
    /// The file has no bytes.
    Empty,
    /// Larger than the requirement allows.
    TooLarge {
        #[ts(type = "number")]
        /// The file's size, in bytes.
        size: u64,
        #[ts(type = "number")]
        /// The largest the requirement accepts, in bytes.
        max_bytes: u64,
    },
    /// Its content is none of the kinds the app knows.
    UnknownKind {
        /// The kinds the requirement accepts.
        accepted: Vec<FileKind>,
    },
    /// A known kind, but not one this requirement accepts.
    KindNotAccepted {
        /// The kind the content is.
        found: FileKind,
        /// The kinds the requirement accepts.
        accepted: Vec<FileKind>,
    },
    /// Its name ends like one kind and its content is another, or none.
    NotWhatItsNameSays {
        /// The kind its name ending claims.
        named: FileKind,
        /// The kind its content is, if any.
        found: Option<FileKind>,
    },
    /// A PDF the alcaldía could not open.
    Pdf {
        /// Why it could not be opened.
        problem: PdfProblem,
    },
}

impl FileProblem {
    /// What is wrong and what to do about it, in plain words.
    pub fn message(&self, locale: Locale) -> String {
        match self {
            FileProblem::Empty => in_locale(
                locale,
                "El archivo está vacío. Revisa que sea el correcto, o descárgalo de nuevo, y vuelve a adjuntarlo.",
                "The file is empty. Check it is the right one, or download it again, and attach it again.",
            )
            .to_owned(),
            FileProblem::TooLarge { size, max_bytes } => {
                // Rounded apart, so a file just over the limit never reads as equal to it.
                let size = megabytes(size.saturating_mul(10).div_ceil(MEGABYTE));
                let max = megabytes(max_bytes.saturating_mul(10) / MEGABYTE);
                match locale {
                    Locale::Es => format!("El archivo pesa {size} y para este documento se aceptan hasta {max}. Redúcelo (por ejemplo, escanéalo a menor resolución o en blanco y negro) y vuelve a adjuntarlo."),
                    Locale::En => format!("The file is {size} and this document accepts up to {max}. Make it smaller (for example, scan it at a lower resolution or in black and white) and attach it again."),
                }
            }
            FileProblem::UnknownKind { accepted } => {
                let list = kinds_list(accepted, locale);
                match locale {
                    Locale::Es => format!("No se reconoce el tipo de este archivo. Para este documento se acepta {list}: guárdalo o escanéalo en ese formato y vuelve a adjuntarlo."),
                    Locale::En => format!("This kind of file is not recognised. This document accepts {list}: save or scan it in that format and attach it again."),
                }
            }
            FileProblem::KindNotAccepted { found, accepted } => {
                let (found, list) = (found.label(), kinds_list(accepted, locale));
                let hint = if accepted.contains(&FileKind::Pdf) {
                    in_locale(
                        locale,
                        " (ábrelo y usa Imprimir → Guardar como PDF)",
                        " (open it and use Print → Save as PDF)",
                    )
                } else {
                    ""
                };
                match locale {
                    Locale::Es => format!("Este es un archivo {found}, pero para este documento se acepta {list}. Guárdalo como {list}{hint} y vuelve a adjuntarlo."),
                    Locale::En => format!("This is a {found} file, but this document accepts {list}. Save it as {list}{hint} and attach it again."),
                }
            }
            FileProblem::NotWhatItsNameSays { named, found } => {
                let named = named.label();
                match (found.map(FileKind::label), locale) {
                    (None, Locale::Es) => format!("El nombre del archivo dice que es un {named}, pero su contenido no lo es (puede ser una página web guardada o un archivo dañado). Descárgalo de nuevo de donde lo obtuviste y vuelve a adjuntarlo."),
                    (None, Locale::En) => format!("The file's name says it is a {named}, but its content is not (it may be a saved web page or a damaged file). Download it again from where you got it and attach it again."),
                    (Some(found), Locale::Es) => format!("El nombre del archivo dice que es un {named}, pero en realidad es un archivo {found}. Cambia el final del nombre a .{} o guárdalo de nuevo como {named}, y vuelve a adjuntarlo.", found.to_lowercase()),
                    (Some(found), Locale::En) => format!("The file's name says it is a {named}, but it is really a {found} file. Change the end of its name to .{} or save it again as a {named}, then attach it again.", found.to_lowercase()),
                }
            }
            FileProblem::Pdf { problem } => problem.message(locale),
        }
    }
}

/// Checks a file for `requirement` before it is copied. `bytes` is the whole file, or
/// for a large one its start followed by its end; `size` is the file's real size.
///
/// The content decides the kind: a file whose name claims a kind its content is not
/// is refused, even when its real kind would be accepted, since it would open wrongly
/// for the reviewer; a file with no known ending is judged by its content alone.
pub fn check_file(
    name: &str,
    bytes: &[u8],
    size: u64,
    requirement: &Requirement,
) -> Result<Checked, FileProblem> {
    if size == 0 || bytes.is_empty() {
        return Err(FileProblem::Empty);
    }
    if size > requirement.max_bytes {
        return Err(FileProblem::TooLarge {
            size,
            max_bytes: requirement.max_bytes,
        });
    }
    let found = sniff(bytes);
    if let Some(named) = FileKind::named(name) {
        if found != Some(named) {
            return Err(FileProblem::NotWhatItsNameSays { named, found });
        }
    }
    let accepted = &requirement.accepted;
    let kind = found.ok_or_else(|| FileProblem::UnknownKind {
        accepted: accepted.clone(),
    })?;
    if !accepted.contains(&kind) {
        return Err(FileProblem::KindNotAccepted {
            found: kind,
            accepted: accepted.clone(),
        });
    }
    let mut pages = None;
    if kind == FileKind::Pdf {
        // Pages can only be counted in the whole file.
        let whole = u64::try_from(bytes.len()).is_ok_and(|len| len == size);
        let checked = if whole {
            check_pdf(bytes).map(|info| pages = info.pages)
        } else {
            check_pdf_ends(bytes)
        };
        checked.map_err(|problem| FileProblem::Pdf { problem })?;
    }
    Ok(Checked { kind, pages })
}

/// What a file that passed [`check_file`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Checked {
    /// The kind its content is.
    pub kind: FileKind,
    /// Pages of a PDF read whole; `None` for images, and for PDFs judged by their ends
    /// or whose pages sit in compressed object streams.
    pub pages: Option<u32>,
}

/// `PDF, JPG o PNG`.
fn kinds_list(kinds: &[FileKind], locale: Locale) -> String {
    let labels: Vec<&str> = kinds.iter().map(|k| k.label()).collect();
    match labels.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => {
            let or = in_locale(locale, "o", "or");
            format!("{} {or} {last}", rest.join(", "))
        }
    }
}

/// A size for people, from tenths of a megabyte: `5 MB`, `5.1 MB`.
fn megabytes(tenths: u64) -> String {
    match (tenths / 10, tenths % 10) {
        (whole, 0) => format!("{whole} MB"),
        (whole, tenth) => format!("{whole}.{tenth} MB"),
    }
}

fn is_truncated(bytes: &[u8]) -> bool {
    let tail = bytes.len().saturating_sub(EOF_WINDOW);
    let Some(eof) = positions(&bytes[tail..], b"%%EOF")
        .last()
        .map(|at| tail + at)
    else {
        return true;
    };
    let before = eof.saturating_sub(EOF_WINDOW);
    positions(&bytes[before..eof], b"startxref")
        .next()
        .is_none()
}

/// The dictionaries of every trailer and of every cross-reference stream (which
/// replaces the trailer since PDF 1.5), in file order: the last is the newest.
fn trailer_dictionaries(bytes: &[u8]) -> Vec<&[u8]> {
    let trailers = positions(bytes, b"trailer").filter_map(|at| {
        let dictionary = dictionary_at(bytes, at + b"trailer".len())?;
        Some((at, dictionary))
    });
    let xref_streams = positions(bytes, b"obj").filter_map(|at| {
        let dictionary = dictionary_at(bytes, at + b"obj".len())?;
        has_name(dictionary, b"/XRef").then_some((at, dictionary))
    });
    let mut found: Vec<_> = trailers.chain(xref_streams).collect();
    found.sort_by_key(|&(at, _)| at);
    found
        .into_iter()
        .map(|(_, dictionary)| dictionary)
        .collect()
}

/// Page objects (`/Type /Page`, not `/Pages`). Objects rewritten by an incremental
/// update count again: the number is for showing, not for judging.
fn count_pages(bytes: &[u8]) -> usize {
    positions(bytes, b"/Type")
        .filter(|&at| name_at(bytes, skip_whitespace(bytes, at + b"/Type".len()), b"/Page"))
        .count()
}

/// The dictionary (`<<` … `>>`, nested ones included) starting at `from` after any
/// whitespace; `None` when there is none or it does not close within
/// [`MAX_DICTIONARY`] bytes.
fn dictionary_at(bytes: &[u8], from: usize) -> Option<&[u8]> {
    let rest = bytes.get(skip_whitespace(bytes, from)..)?;
    if !rest.starts_with(b"<<") {
        return None;
    }
    let rest = &rest[..rest.len().min(MAX_DICTIONARY)];
    let mut depth = 0_usize;
    let mut i = 0;
    while i < rest.len() {
        match (rest[i], rest.get(i + 1)) {
            (b'<', Some(b'<')) => {
                depth += 1;
                i += 2;
            }
            (b'>', Some(b'>')) => {
                // At least 1: the scan starts on the opening `<<`.
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return Some(&rest[..i]);
                }
            }
            // Strings and comments may hold `<<` or `>>` that are not delimiters.
            (b'(', _) => i = end_of_string(rest, i)?,
            (b'<', _) => i += rest[i..].iter().position(|&b| b == b'>')? + 1,
            (b'%', _) => i += rest[i..].iter().position(|&b| b == b'\n' || b == b'\r')?,
            _ => i += 1,
        }
    }
    None
}

/// Just past the literal string `(…)` opening at `from`: parentheses nest and a
/// backslash escapes the next byte.
fn end_of_string(bytes: &[u8], from: usize) -> Option<usize> {
    let mut depth = 0_usize;
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'(' => depth += 1,
            b')' => {
                // At least 1: the scan starts on the opening parenthesis.
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Whether the name `name` (such as `/Encrypt`) occurs whole in `bytes`, so that
/// `/EncryptMetadata` is not `/Encrypt`.
fn has_name(bytes: &[u8], name: &[u8]) -> bool {
    positions(bytes, name).any(|at| name_at(bytes, at, name))
}

fn name_at(bytes: &[u8], at: usize, name: &[u8]) -> bool {
    bytes.get(at..).is_some_and(|rest| {
        rest.starts_with(name) && rest.get(name.len()).is_none_or(|&b| !is_regular(b))
    })
}

fn skip_whitespace(bytes: &[u8], from: usize) -> usize {
    let run = bytes.get(from..).map_or(0, |rest| {
        rest.iter().take_while(|&&b| is_whitespace(b)).count()
    });
    from + run
}

/// Where `needle` (never empty) starts in `haystack`, first to last.
fn positions<'a>(haystack: &'a [u8], needle: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
    haystack
        .windows(needle.len())
        .enumerate()
        .filter(move |(_, window)| *window == needle)
        .map(|(at, _)| at)
}

fn is_whitespace(b: u8) -> bool {
    matches!(b, b'\0' | b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

/// A byte that continues a name or keyword: neither whitespace nor a delimiter.
fn is_regular(b: u8) -> bool {
    !is_whitespace(b)
        && !matches!(
            b,
            b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
        )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::checklist::Catalogue;

    use ventanilla_testkit::fixtures::{self, encrypted_pdf as encrypted, pdf, CATALOG, PAGE};

    fn one_page() -> Vec<u8> {
        pdf(&[CATALOG, fixtures::ONE_PAGE, PAGE], "")
    }

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\0\x10JFIF\0";

    #[test]
    fn hand_built_pdf_is_well_formed() {
        let bytes = one_page();
        // Byte offsets: the header's binary comment is not UTF-8.
        let number = |at: usize| -> usize {
            let digits = bytes[at..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            std::str::from_utf8(&bytes[at..at + digits])
                .unwrap()
                .parse()
                .unwrap()
        };
        let startxref = positions(&bytes, b"startxref\n").last().unwrap();
        let xref = number(startxref + b"startxref\n".len());
        assert!(bytes[xref..].starts_with(b"xref\n0 4\n0000000000 65535 f \n"));
        // Each 20-byte entry points at its object.
        let entries = xref + b"xref\n0 4\n".len() + 20;
        for n in 1..=3 {
            let at = number(entries + (n - 1) * 20);
            assert!(bytes[at..].starts_with(format!("{n} 0 obj").as_bytes()));
        }
    }

    #[test]
    fn sniffing_by_magic_bytes() {
        let cases: [(&[u8], Option<FileKind>); 9] = [
            (b"%PDF-1.7\n", Some(FileKind::Pdf)),
            (b"%PDF-", Some(FileKind::Pdf)),
            (JPEG, Some(FileKind::Jpeg)),
            (b"\xFF\xD8\xFF", Some(FileKind::Jpeg)),
            (PNG, Some(FileKind::Png)),
            (b"\x89PNG", None),
            (b"%PDF", None),
            (b"<html><body>Sesion expirada</body></html>", None),
            (b"", None),
        ];
        for (head, expected) in cases {
            assert_eq!(sniff(head), expected, "{head:?}");
        }
    }

    #[test]
    fn pdf_checks() {
        use PdfProblem::*;
        let ok = |pages| Ok(PdfInfo { pages });
        let whole = one_page();
        let mut trailing_garbage = one_page();
        trailing_garbage.extend_from_slice(b"\r\n\0\0\0");
        let two_pages = pdf(
            &[
                CATALOG,
                "<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
                PAGE,
                "<</Type/Page/Parent 2 0 R>>",
            ],
            "",
        );
        let no_pages = pdf(&[CATALOG, "<< /Type /Pages /Kids [] /Count 0 >>"], "");
        let compressed = pdf(
            &[
                CATALOG,
                "<< /Type /ObjStm /N 2 /First 9 /Length 0 >>\nstream\n\nendstream",
            ],
            "",
        );
        let xref_stream_encrypted = pdf(
            &[
                CATALOG,
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                PAGE,
                "<< /Type /XRef /Size 5 /W [1 2 1] /Encrypt 5 0 R /Length 0 >>\nstream\n\nendstream",
            ],
            "",
        );
        // The word elsewhere, or a longer name in the trailer, is not encryption.
        let mentions_encrypt = pdf(
            &[
                CATALOG,
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                PAGE,
                "<< /Note /Encrypt >>",
            ],
            " /EncryptMetadata false",
        );
        // Strings in the trailer may hold `>>` without ending it.
        let encrypt_after_string = pdf(
            &[CATALOG, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", PAGE],
            " /Info (a >> b \\) c) /Encrypt 4 0 R",
        );
        let no_startxref = String::from_utf8_lossy(&whole)
            .replace("startxref", "")
            .into_bytes();
        let cases: [(&[u8], Result<PdfInfo, PdfProblem>); 13] = [
            (&whole, ok(Some(1))),
            (&trailing_garbage, ok(Some(1))),
            (&two_pages, ok(Some(2))),
            (&compressed, ok(None)),
            (&mentions_encrypt, ok(Some(1))),
            (&encrypted(), Err(NeedsPassword)),
            (&xref_stream_encrypted, Err(NeedsPassword)),
            (&encrypt_after_string, Err(NeedsPassword)),
            (&whole[..whole.len() / 2], Err(Truncated)),
            (&no_startxref, Err(Truncated)),
            (&no_pages, Err(Damaged)),
            (b"", Err(Empty)),
            (b"Hola, esto es texto.\n%%EOF", Err(NotPdf)),
        ];
        for (i, (bytes, expected)) in cases.into_iter().enumerate() {
            assert_eq!(check_pdf(bytes), expected, "case {i}");
        }
    }

    #[test]
    fn scan_never_panics_on_fragments() {
        let bytes = encrypted();
        for end in 0..=bytes.len() {
            let _ = check_pdf(&bytes[..end]);
            let _ = check_pdf(&bytes[end..]);
        }
        let unclosed = [
            b"%PDF-1.4\ntrailer\n<< /A (unclosed".as_slice(),
            b"%PDF-1.4\ntrailer\n<< /A <abc",
            b"%PDF-1.4\ntrailer\n<< % comment",
            b"%PDF-1.4\n1 0 obj <<<<<<",
        ];
        for bytes in unclosed {
            assert_eq!(check_pdf(bytes), Err(PdfProblem::Truncated));
            assert!(!security::needs_password(bytes));
        }
    }

    const WEAK: &str = "--allow-weak-crypto";

    /// How government offices' tools protect a PDF, as qpdf does it: a name, the
    /// security handler's revision it writes, qpdf's options before `--encrypt`, the
    /// key length and the encryption options.
    type Protection = (
        &'static str,
        i64,
        &'static [&'static str],
        &'static str,
        &'static [&'static str],
    );

    const PROTECTIONS: [Protection; 8] = [
        ("RC4 40-bit", 2, &[WEAK], "40", &[]),
        ("RC4 128-bit", 3, &[WEAK], "128", &["--use-aes=n"]),
        (
            "RC4 128-bit, restricted, object streams",
            3,
            &[WEAK, "--object-streams=generate"],
            "128",
            &[
                "--use-aes=n",
                "--print=none",
                "--modify=none",
                "--extract=n",
            ],
        ),
        ("AES-128", 4, &[], "128", &["--use-aes=y"]),
        (
            "AES-128, clear metadata",
            4,
            &[],
            "128",
            &["--use-aes=y", "--cleartext-metadata"],
        ),
        ("AES-256 (R5)", 5, &[WEAK], "256", &["--force-R5"]),
        ("AES-256", 6, &[], "256", &[]),
        (
            "AES-256, restricted, PDF 2.0, object streams",
            6,
            &["--force-version=2.0", "--object-streams=generate"],
            "256",
            &["--print=none", "--modify=none"],
        ),
    ];

    /// `pdf` protected by qpdf with `user` and `owner` passwords.
    fn protect(pdf: &[u8], user: &str, owner: &str, protection: &Protection) -> Vec<u8> {
        let (_, _, before, bits, options) = protection;
        // qpdf writes a 256-bit file whose owner password is empty only when told.
        let insecure = (owner.is_empty() && *bits == "256").then_some("--allow-insecure");
        let args: Vec<&str> = before
            .iter()
            .copied()
            .chain(["--encrypt", user, owner, bits])
            .chain(options.iter().copied())
            .chain(insecure)
            .chain(["--"])
            .collect();
        fixtures::qpdf(pdf, &args)
    }

    /// The revision of the standard security handler in the newest trailer.
    fn revision(pdf: &[u8]) -> Option<i64> {
        let trailer = object::parse(trailer_dictionaries(pdf).last()?)?;
        let encrypt = object::resolve(pdf, trailer.get(b"Encrypt")?)?;
        object::resolve(pdf, encrypt.get(b"R")?)?.as_integer()
    }

    #[test]
    fn pdfs_protected_only_against_editing_open_and_are_accepted() {
        let constancia = fixtures::constancia_pdf();
        for protection in &PROTECTIONS {
            let name = protection.0;
            let protected = protect(&constancia, "", "dueño-del-SAT", protection);
            assert_eq!(revision(&protected), Some(protection.1), "{name}");
            // Real readers open it without a password: qpdf, and poppler finds its text.
            assert!(!fixtures::qpdf_requires_password(&protected), "{name}");
            let text = fixtures::pdf_text(&protected);
            assert!(
                text.contains("Constancia de Situación Fiscal"),
                "{name}: {text}"
            );
            assert!(
                check_pdf(&protected).is_ok(),
                "{name}: {:?}",
                check_pdf(&protected)
            );
        }
    }

    #[test]
    fn pdfs_that_ask_for_a_password_to_open_are_refused() {
        let constancia = fixtures::constancia_pdf();
        for protection in &PROTECTIONS {
            let name = protection.0;
            for (user, owner) in [
                ("usuario", "dueño"),
                ("misma", "misma"),
                ("sólo-usuario", ""),
            ] {
                let protected = protect(&constancia, user, owner, protection);
                assert_eq!(revision(&protected), Some(protection.1), "{name}");
                // From revision 5 an empty owner password is stored as such: qpdf (and
                // poppler) try the empty password as the owner's too and open the
                // file, a reader that tries it as the user's only asks for one. The
                // person chose a password to open it, so it is refused.
                let empty_owner_opens = owner.is_empty() && protection.1 >= 5;
                assert_eq!(
                    fixtures::qpdf_requires_password(&protected),
                    !empty_owner_opens,
                    "{name} {user}/{owner}"
                );
                assert_eq!(
                    check_pdf(&protected),
                    Err(PdfProblem::NeedsPassword),
                    "{name} {user}/{owner}"
                );
            }
        }
    }

    #[test]
    fn pdf_2_and_repairable_cross_references_are_accepted() {
        let constancia = fixtures::constancia_pdf();
        let two_pages = Ok(PdfInfo { pages: Some(2) });
        let pdf_2 = fixtures::qpdf(&constancia, &["--force-version=2.0"]);
        assert!(pdf_2.starts_with(b"%PDF-2.0"));
        assert_eq!(check_pdf(&pdf_2), two_pages);

        // Every offset in the table is off: bytes were added after the header, as a
        // careless upload or a text-mode transfer does.
        let header_end = constancia.iter().position(|&b| b == b'\n').unwrap() + 1;
        let shifted = [
            &constancia[..header_end],
            b"% enviado por correo\n",
            &constancia[header_end..],
        ]
        .concat();
        // The table itself is gone from where startxref says.
        let startxref = positions(&constancia, b"startxref").last().unwrap();
        let lost = [&constancia[..startxref], b"startxref\n999999\n%%EOF\n"].concat();
        let protected = protect(&constancia, "", "dueño", &PROTECTIONS[6]);
        let protected_shifted =
            [&protected[..header_end], b"%\n", &protected[header_end..]].concat();
        for (name, broken, expected) in [
            ("shifted", &shifted, &two_pages),
            ("lost", &lost, &two_pages),
            (
                "protected and shifted",
                &protected_shifted,
                &check_pdf(&protected),
            ),
        ] {
            assert_eq!(&check_pdf(broken), expected, "{name}");
            // Readers rebuild the table: qpdf repairs the file and keeps its pages.
            let repaired = fixtures::qpdf(broken, &[]);
            assert!(
                fixtures::pdf_text(&repaired).contains("Cadena original"),
                "{name}"
            );
        }
    }

    #[test]
    fn truncated_protected_pdfs_are_truncated() {
        let constancia = fixtures::constancia_pdf();
        for (user, owner) in [("", "dueño"), ("usuario", "dueño")] {
            let protected = protect(&constancia, user, owner, &PROTECTIONS[6]);
            let eof = positions(&protected, b"%%EOF").last().unwrap();
            for cut in [&protected[..protected.len() / 2], &protected[..eof]] {
                assert_eq!(check_pdf(cut), Err(PdfProblem::Truncated), "{user}");
            }
            // No fragment of it makes the scan panic.
            for end in (0..=protected.len()).step_by(7) {
                let _ = check_pdf(&protected[..end]);
                let _ = check_pdf(&protected[end..]);
            }
        }
    }

    fn requirement(accepted: &[FileKind], max_bytes: u64) -> Requirement {
        let mut requirement = Catalogue::default_catalogue().requirements.remove(0);
        requirement.accepted = accepted.to_vec();
        requirement.max_bytes = max_bytes;
        requirement
    }

    /// Name, bytes, size, requirement, verdict.
    type FileCase<'a> = (
        &'a str,
        &'a [u8],
        u64,
        &'a Requirement,
        Result<FileKind, FileProblem>,
    );

    #[test]
    fn file_checks() {
        use FileKind::*;
        use FileProblem::*;
        let pdf_only = requirement(&[Pdf], 1000);
        let any = requirement(&[Pdf, Jpeg, Png], 1000);
        let whole = one_page();
        let len = whole.len() as u64;
        // A large file's start and end: enough for everything but counting pages.
        let head_and_tail = [&whole[..20], &whole[whole.len() - 60..]].concat();
        let no_pages = pdf(&[CATALOG, "<< /Type /Pages /Count 0 >>"], "");
        let no_pages_ends = [&no_pages[..20], &no_pages[no_pages.len() - 60..]].concat();
        let pdf_problem = |problem| Err(FileProblem::Pdf { problem });
        let cases: [FileCase; 19] = [
            ("constancia.pdf", &whole, len, &pdf_only, Ok(Pdf)),
            ("CONSTANCIA.PDF", &whole, len, &pdf_only, Ok(Pdf)),
            // No ending: the content decides.
            ("constancia", &whole, len, &pdf_only, Ok(Pdf)),
            ("ine.jpeg", JPEG, 500, &any, Ok(Jpeg)),
            ("ine.JPG", JPEG, 500, &any, Ok(Jpeg)),
            ("ine.png", PNG, 500, &any, Ok(Png)),
            ("constancia.pdf", &head_and_tail, 900, &pdf_only, Ok(Pdf)),
            ("constancia.pdf", &no_pages_ends, 900, &pdf_only, Ok(Pdf)),
            ("constancia.pdf", &whole, 1000, &pdf_only, Ok(Pdf)),
            (
                "constancia.pdf",
                &whole,
                1001,
                &pdf_only,
                Err(TooLarge {
                    size: 1001,
                    max_bytes: 1000,
                }),
            ),
            ("constancia.pdf", b"", 0, &pdf_only, Err(Empty)),
            ("constancia.pdf", &whole, 0, &pdf_only, Err(Empty)),
            (
                "constancia.pdf",
                b"<html>Tu sesion expiro</html>",
                29,
                &any,
                Err(NotWhatItsNameSays {
                    named: Pdf,
                    found: None,
                }),
            ),
            (
                "ine.jpg",
                PNG,
                500,
                &any,
                Err(NotWhatItsNameSays {
                    named: Jpeg,
                    found: Some(Png),
                }),
            ),
            (
                "ine.png",
                PNG,
                500,
                &pdf_only,
                Err(KindNotAccepted {
                    found: Png,
                    accepted: vec![Pdf],
                }),
            ),
            (
                "acta.docx",
                b"PK\x03\x04",
                4,
                &pdf_only,
                Err(UnknownKind {
                    accepted: vec![Pdf],
                }),
            ),
            (
                "constancia.pdf",
                &encrypted(),
                encrypted().len() as u64,
                &pdf_only,
                pdf_problem(PdfProblem::NeedsPassword),
            ),
            (
                "constancia.pdf",
                &whole[..whole.len() / 2],
                len / 2,
                &pdf_only,
                pdf_problem(PdfProblem::Truncated),
            ),
            (
                "constancia.pdf",
                &no_pages,
                no_pages.len() as u64,
                &pdf_only,
                pdf_problem(PdfProblem::Damaged),
            ),
        ];
        for (name, bytes, size, requirement, expected) in cases {
            assert_eq!(
                check_file(name, bytes, size, requirement).map(|c| c.kind),
                expected,
                "{name} {size}"
            );
        }
        let pages =
            |bytes: &[u8], size| check_file("c.pdf", bytes, size, &pdf_only).map(|c| c.pages);
        assert_eq!(
            pages(&whole, len),
            Ok(Some(1)),
            "a whole PDF shows its pages"
        );
        assert_eq!(
            pages(&head_and_tail, 900),
            Ok(None),
            "its ends alone cannot"
        );
    }

    #[test]
    fn every_problem_has_spanish_and_english_text() {
        use FileKind::*;
        let pdf_problems = [
            PdfProblem::Empty,
            PdfProblem::NotPdf,
            PdfProblem::Truncated,
            PdfProblem::NeedsPassword,
            PdfProblem::Damaged,
        ];
        let mut problems = vec![
            FileProblem::Empty,
            FileProblem::TooLarge {
                size: 6 * MEGABYTE,
                max_bytes: 5 * MEGABYTE,
            },
            FileProblem::UnknownKind {
                accepted: vec![Pdf, Jpeg, Png],
            },
            FileProblem::KindNotAccepted {
                found: Png,
                accepted: vec![Pdf],
            },
            FileProblem::KindNotAccepted {
                found: Pdf,
                accepted: vec![Jpeg, Png],
            },
            FileProblem::NotWhatItsNameSays {
                named: Pdf,
                found: None,
            },
            FileProblem::NotWhatItsNameSays {
                named: Jpeg,
                found: Some(Png),
            },
        ];
        problems.extend(pdf_problems.map(|problem| FileProblem::Pdf { problem }));
        for problem in &problems {
            let (es, en) = (problem.message(Locale::Es), problem.message(Locale::En));
            assert!(
                !es.trim().is_empty() && !en.trim().is_empty(),
                "{problem:?}"
            );
            assert_ne!(es, en, "{problem:?}");
        }
        let cases = [
            (
                problems[1].message(Locale::Es),
                "pesa 6 MB y para este documento se aceptan hasta 5 MB",
            ),
            (problems[2].message(Locale::Es), "se acepta PDF, JPG o PNG"),
            (problems[2].message(Locale::En), "accepts PDF, JPG or PNG"),
            (
                problems[3].message(Locale::Es),
                "Guárdalo como PDF (ábrelo y usa Imprimir → Guardar como PDF)",
            ),
            (
                problems[4].message(Locale::En),
                "Save it as JPG or PNG and attach",
            ),
            (
                problems[6].message(Locale::Es),
                "Cambia el final del nombre a .png",
            ),
            (
                PdfProblem::NeedsPassword.message(Locale::Es),
                "Este PDF pide contraseña para abrirse",
            ),
        ];
        for (message, expected) in cases {
            assert!(message.contains(expected), "{message}");
        }
    }

    #[test]
    fn sizes_read_as_megabytes() {
        let cases = [
            (5 * MEGABYTE, 5 * MEGABYTE, "5 MB", "5 MB"),
            (5 * MEGABYTE + 1, 5 * MEGABYTE, "5.1 MB", "5 MB"),
            (MEGABYTE / 2, MEGABYTE / 2, "0.5 MB", "0.5 MB"),
            (20 * MEGABYTE - 1, 20 * MEGABYTE - 1, "20 MB", "19.9 MB"),
            (
                u64::MAX,
                u64::MAX,
                "1759218604441.6 MB",
                "1759218604441.5 MB",
            ),
        ];
        for (size, max, size_text, max_text) in cases {
            let message = FileProblem::TooLarge {
                size,
                max_bytes: max,
            }
            .message(Locale::En);
            let expected =
                format!("The file is {size_text} and this document accepts up to {max_text}.");
            assert!(message.starts_with(&expected), "{message}");
        }
    }

    #[test]
    fn problems_serialize_for_the_ui() {
        use serde_json::json;
        let cases = [
            (FileProblem::Empty, json!({"kind": "empty"})),
            (
                FileProblem::Pdf {
                    problem: PdfProblem::NeedsPassword,
                },
                json!({"kind": "pdf", "problem": "needs_password"}),
            ),
            (
                FileProblem::NotWhatItsNameSays {
                    named: FileKind::Pdf,
                    found: None,
                },
                json!({"kind": "not_what_its_name_says", "named": "pdf", "found": null}),
            ),
        ];
        for (problem, expected) in cases {
            assert_eq!(serde_json::to_value(&problem).unwrap(), expected);
        }
        let decl = FileProblem::decl();
        assert!(decl.contains("max_bytes: number"), "{decl}");
        assert!(PdfInfo::decl().contains("pages: number | null"));
    }
}
