//! Just enough of PDF's object syntax (ISO 32000-2, 7.3) to read a trailer and an
//! encryption dictionary: numbers, strings, names, arrays, dictionaries and indirect
//! references, which are found by their `N G obj` header. Streams' data and cross-
//! reference tables are never read; anything malformed reads as `None`.

use super::{is_regular, is_whitespace, positions};

/// Deeper nesting than a trailer or an encryption dictionary ever has, and the most
/// references followed in a row.
const MAX_DEPTH: usize = 16;

/// A PDF object as read.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Object {
    Null,
    Bool(bool),
    Integer(i64),
    Real(f64),
    /// Decoded: escapes and hex digits turned into the bytes they stand for.
    String(Vec<u8>),
    /// Without its slash, `#xx` escapes decoded.
    Name(Vec<u8>),
    Array(Vec<Object>),
    Dictionary(Vec<(Vec<u8>, Object)>),
    Reference(u64, u64),
}

impl Object {
    /// The value of `key` in a dictionary, not resolved.
    pub(super) fn get(&self, key: &[u8]) -> Option<&Object> {
        match self {
            Object::Dictionary(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub(super) fn as_integer(&self) -> Option<i64> {
        match self {
            Object::Integer(n) => Some(*n),
            _ => None,
        }
    }

    pub(super) fn into_string(self) -> Option<Vec<u8>> {
        match self {
            Object::String(bytes) => Some(bytes),
            _ => None,
        }
    }

    pub(super) fn into_name(self) -> Option<Vec<u8>> {
        match self {
            Object::Name(name) => Some(name),
            _ => None,
        }
    }
}

/// The object that `bytes` starts with, after any white space or comments.
pub(super) fn parse(bytes: &[u8]) -> Option<Object> {
    Parser { bytes, at: 0 }.value(0)
}

/// `value`, or the object it refers to (and so on) in `file`; the newest definition
/// wins, as an incremental update intends.
pub(super) fn resolve(file: &[u8], value: &Object) -> Option<Object> {
    let mut value = value.clone();
    for _ in 0..MAX_DEPTH {
        match value {
            Object::Reference(number, generation) => {
                value = parse(definition(file, number, generation)?)?;
            }
            value => return Some(value),
        }
    }
    None
}

/// What follows the last `number generation obj` header in `file`.
fn definition(file: &[u8], number: u64, generation: u64) -> Option<&[u8]> {
    positions(file, b"obj")
        .filter(|&at| file.get(at + 3).is_none_or(|&b| !is_regular(b)))
        .filter(|&at| {
            let Some((found_generation, start)) = number_before(file, at) else {
                return false;
            };
            found_generation == generation
                && number_before(file, start).is_some_and(|(found, start)| {
                    found == number && (start == 0 || !is_regular(file[start - 1]))
                })
        })
        .last()
        .map(|at| &file[at + 3..])
}

/// The unsigned number that ends, after white space, just before `end`, and where it
/// starts.
fn number_before(file: &[u8], end: usize) -> Option<(u64, usize)> {
    let before = &file[..end];
    let spaces = before
        .iter()
        .rev()
        .take_while(|&&b| is_whitespace(b))
        .count();
    let digits_end = end - spaces;
    let digits = before[..digits_end]
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if spaces == 0 || digits == 0 || digits > 10 {
        return None;
    }
    let start = digits_end - digits;
    let number = std::str::from_utf8(&file[start..digits_end])
        .ok()?
        .parse()
        .ok()?;
    Some((number, start))
}

struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn value(&mut self, depth: usize) -> Option<Object> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_space();
        match (*self.bytes.get(self.at)?, self.bytes.get(self.at + 1)) {
            (b'/', _) => self.name().map(Object::Name),
            (b'(', _) => self.literal_string().map(Object::String),
            (b'<', Some(b'<')) => self.dictionary(depth),
            (b'<', _) => self.hex_string().map(Object::String),
            (b'[', _) => self.array(depth),
            (b'+' | b'-' | b'.' | b'0'..=b'9', _) => self.number_or_reference(),
            _ => match self.token() {
                b"true" => Some(Object::Bool(true)),
                b"false" => Some(Object::Bool(false)),
                b"null" => Some(Object::Null),
                _ => None,
            },
        }
    }

    fn skip_space(&mut self) {
        while let Some(&b) = self.bytes.get(self.at) {
            if is_whitespace(b) {
                self.at += 1;
            } else if b == b'%' {
                let rest = &self.bytes[self.at..];
                self.at += rest
                    .iter()
                    .position(|&b| b == b'\n' || b == b'\r')
                    .unwrap_or(rest.len());
            } else {
                break;
            }
        }
    }

    /// The run of regular bytes at the current position (a number or a keyword).
    fn token(&mut self) -> &[u8] {
        let start = self.at;
        let rest = &self.bytes[start..];
        self.at += rest.iter().take_while(|&&b| is_regular(b)).count();
        &self.bytes[start..self.at]
    }

    fn number_or_reference(&mut self) -> Option<Object> {
        let token = std::str::from_utf8(self.token()).ok()?;
        if token.contains('.') {
            return token.parse().ok().map(Object::Real);
        }
        let number: i64 = token.parse().ok()?;
        // `N G R` is a reference: two unsigned integers and the keyword.
        let after_number = self.at;
        if let Ok(number) = u64::try_from(number) {
            self.skip_space();
            let generation = std::str::from_utf8(self.token())
                .ok()
                .filter(|g| g.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|g| g.parse().ok());
            self.skip_space();
            if let (Some(generation), b"R") = (generation, self.token()) {
                return Some(Object::Reference(number, generation));
            }
        }
        self.at = after_number;
        Some(Object::Integer(number))
    }

    fn name(&mut self) -> Option<Vec<u8>> {
        self.at += 1;
        let raw = self.token();
        let mut name = Vec::with_capacity(raw.len());
        let mut i = 0;
        while i < raw.len() {
            let escaped = raw
                .get(i + 1..i + 3)
                .filter(|_| raw[i] == b'#')
                .and_then(|hex| u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok());
            match escaped {
                Some(b) => {
                    name.push(b);
                    i += 3;
                }
                None => {
                    name.push(raw[i]);
                    i += 1;
                }
            }
        }
        Some(name)
    }

    /// `(…)`: balanced parentheses, backslash escapes, and any end of line read as LF.
    fn literal_string(&mut self) -> Option<Vec<u8>> {
        self.at += 1;
        let mut out = Vec::new();
        let mut depth = 1_usize;
        loop {
            let b = self.next()?;
            match b {
                b'\\' => self.escape(&mut out)?,
                b'(' => {
                    depth += 1;
                    out.push(b);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(out);
                    }
                    out.push(b);
                }
                b'\r' => {
                    self.skip_if(b'\n');
                    out.push(b'\n');
                }
                _ => out.push(b),
            }
        }
    }

    /// What follows a backslash in a literal string.
    fn escape(&mut self, out: &mut Vec<u8>) -> Option<()> {
        match self.next()? {
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'b' => out.push(0x08),
            b'f' => out.push(0x0C),
            // A backslash at the end of a line continues the string on the next.
            b'\r' => self.skip_if(b'\n'),
            b'\n' => {}
            digit @ b'0'..=b'7' => {
                let mut value = u32::from(digit - b'0');
                for _ in 0..2 {
                    match self.bytes.get(self.at) {
                        Some(&d @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(d - b'0');
                            self.at += 1;
                        }
                        _ => break,
                    }
                }
                // Three octal digits can exceed a byte; the high bit is dropped.
                out.push(value.to_le_bytes()[0]);
            }
            other => out.push(other),
        }
        Some(())
    }

    /// `<…>`: pairs of hex digits, white space ignored, a last lone digit as if
    /// followed by 0.
    fn hex_string(&mut self) -> Option<Vec<u8>> {
        self.at += 1;
        let mut digits = Vec::new();
        loop {
            match self.next()? {
                b'>' => break,
                b if is_whitespace(b) => {}
                b => digits.push(char::from(b).to_digit(16)?),
            }
        }
        let bytes = digits.chunks(2).map(|pair| {
            let (high, low) = (pair[0], pair.get(1).copied().unwrap_or(0));
            (high * 16 + low).to_le_bytes()[0]
        });
        Some(bytes.collect())
    }

    fn array(&mut self, depth: usize) -> Option<Object> {
        self.at += 1;
        let mut items = Vec::new();
        loop {
            self.skip_space();
            if self.bytes.get(self.at) == Some(&b']') {
                self.at += 1;
                return Some(Object::Array(items));
            }
            items.push(self.value(depth + 1)?);
        }
    }

    fn dictionary(&mut self, depth: usize) -> Option<Object> {
        self.at += 2;
        let mut entries = Vec::new();
        loop {
            self.skip_space();
            if self.bytes.get(self.at..)?.starts_with(b">>") {
                self.at += 2;
                return Some(Object::Dictionary(entries));
            }
            if self.bytes.get(self.at) != Some(&b'/') {
                return None;
            }
            let key = self.name()?;
            entries.push((key, self.value(depth + 1)?));
        }
    }

    fn next(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn skip_if(&mut self, expected: u8) {
        if self.bytes.get(self.at) == Some(&expected) {
            self.at += 1;
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn string(bytes: &[u8]) -> Object {
        Object::String(bytes.to_vec())
    }

    #[test]
    fn objects_read_as_the_syntax_says() {
        use Object::*;
        let cases: Vec<(&[u8], Option<Object>)> = vec![
            (b"  42 ", Some(Integer(42))),
            (b"-3904", Some(Integer(-3904))),
            (b"+17", Some(Integer(17))),
            (b"4294963392", Some(Integer(4_294_963_392))),
            (b"-.5", Some(Real(-0.5))),
            (b"12 0 R", Some(Reference(12, 0))),
            (b"12 0 obj", Some(Integer(12))),
            (b"12 R", Some(Integer(12))),
            (b"-1 0 R", Some(Integer(-1))),
            (b"true", Some(Bool(true))),
            (b"null", Some(Null)),
            (b"nothing", None),
            (b"/Standard", Some(Name(b"Standard".to_vec()))),
            (b"/St#61ndard#", Some(Name(b"Standard#".to_vec()))),
            (b"(a (b) c)", Some(string(b"a (b) c"))),
            (
                b"(\\(\\)\\\\\\n\\r\\t\\b\\f)",
                Some(string(b"()\\\n\r\t\x08\x0C")),
            ),
            (b"(\\0\\53\\053\\0533\\777)", Some(string(b"\0++\x2B3\xFF"))),
            (
                b"(one\\\r\ntwo\rthree\r\nfour)",
                Some(string(b"onetwo\nthree\nfour")),
            ),
            (b"(\\q)", Some(string(b"q"))),
            (b"<28BF 4e5e\n7>", Some(string(b"\x28\xBF\x4E\x5E\x70"))),
            (b"<>", Some(string(b""))),
            (b"<zz>", None),
            (
                b"[1 2 0 R /A [(x)] % note\n <<>>]",
                Some(Array(vec![
                    Integer(1),
                    Reference(2, 0),
                    Name(b"A".to_vec()),
                    Array(vec![string(b"x")]),
                    Dictionary(vec![]),
                ])),
            ),
            (
                b"<</Encrypt 5 0 R/ID[<01><02>]/Size 9>>",
                Some(Dictionary(vec![
                    (b"Encrypt".to_vec(), Reference(5, 0)),
                    (
                        b"ID".to_vec(),
                        Array(vec![string(b"\x01"), string(b"\x02")]),
                    ),
                    (b"Size".to_vec(), Integer(9)),
                ])),
            ),
            (b"<< 1 2 >>", None),
            (b"<< /A >>", None),
        ];
        for (bytes, expected) in cases {
            assert_eq!(
                parse(bytes),
                expected,
                "{}",
                std::string::String::from_utf8_lossy(bytes)
            );
        }
    }

    #[test]
    fn malformed_and_deep_input_reads_as_nothing() {
        let deep = "[".repeat(10_000);
        assert_eq!(parse(deep.as_bytes()), None);
        let whole = b"<< /O (a\\) b) /U <0A0B> /P -4 /CF << /StdCF << /Length 16 >> >> >>";
        assert!(parse(whole).is_some());
        for end in 0..whole.len() {
            assert_eq!(parse(&whole[..end]), None, "{end}");
        }
    }

    #[test]
    fn references_resolve_to_the_newest_definition() {
        let file = b"%PDF-1.7\n5 0 obj\n<< /R 3 >>\nendobj\n15 0 obj 7 endobj\n\
            6 0 obj 5 0 R endobj\n7 0 obj 7 0 R endobj\n5 0 obj\n<< /R 4 >>\nendobj\n";
        let resolved = |n| resolve(file, &Object::Reference(n, 0));
        let revision = |o: Option<Object>| o.and_then(|o| o.get(b"R")?.as_integer());
        assert_eq!(revision(resolved(5)), Some(4));
        assert_eq!(revision(resolved(6)), Some(4), "a reference to a reference");
        assert_eq!(resolved(15), Some(Object::Integer(7)));
        assert_eq!(resolved(7), None, "a reference to itself ends");
        assert_eq!(resolved(8), None);
        assert_eq!(resolve(file, &Object::Integer(3)), Some(Object::Integer(3)));
        assert_eq!(resolve(file, &Object::Reference(5, 1)), None);
    }
}
