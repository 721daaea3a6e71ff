//! The file read as a stream: its top level told apart by its keys, each release or
//! record cut out on its own and handed to the receiver before the next is read.

use std::io::{BufRead, Read};

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserializer;
use serde_json::value::RawValue;

use super::raw::{RawRecord, RawRelease};
use super::{Entry, OcdsError, ReadError, Shape, SkipReason, Skipped};
use crate::tender::Tender;

/// Reads an OCDS file from `reader`, handing each release (as a tender or a skip) to
/// `sink` in file order; a sink error stops the read and is returned as is. Several
/// releases of one ocid are all handed over: the receiver keeps the latest by date (on a
/// tie, the one handed over last, which for a record is its compiled release).
pub fn read_tenders<R: Read, E>(
    reader: R,
    sink: impl FnMut(Entry) -> Result<(), E>,
) -> Result<Shape, ReadError<E>> {
    let mut emitter = Emitter {
        sink,
        failure: None,
        position: 0,
    };
    let mut reader = std::io::BufReader::with_capacity(1 << 16, reader);
    // Windows editors start UTF-8 files with a byte order mark, which JSON does not allow.
    match reader.fill_buf() {
        Ok(start) if start.starts_with(b"\xEF\xBB\xBF") => reader.consume(3),
        Ok(_) => {}
        Err(e) => return Err(ReadError::File(OcdsError::Read(e))),
    }
    let mut de = serde_json::Deserializer::from_reader(reader);
    let result = de
        .deserialize_any(TopLevel(&mut emitter))
        .and_then(|shape| de.end().map(|()| shape));
    match (result, emitter.failure) {
        (Ok(shape), _) => Ok(shape),
        (Err(_), Some(failure)) => Err(failure),
        (Err(e), None) => Err(ReadError::File(file_error(e))),
    }
}

fn file_error(e: serde_json::Error) -> OcdsError {
    use serde_json::error::Category;
    match e.classify() {
        Category::Io => OcdsError::Read(e.into()),
        Category::Syntax | Category::Eof => OcdsError::NotJson {
            line: e.line(),
            column: e.column(),
            detail: e.to_string(),
        },
        Category::Data => match NOT_OCDS.iter().find(|m| e.to_string().contains(*m)) {
            Some(reason) => OcdsError::NotOcds(reason),
            None => OcdsError::NotJson {
                line: e.line(),
                column: e.column(),
                detail: e.to_string(),
            },
        },
    }
}

const TOP_NOT_OBJECT: &str = "the top level is neither an object nor an array of releases";
const TOP_NO_OCDS_KEYS: &str = "no releases, records, compiledRelease or ocid at the top level";
const NOT_OCDS: &[&str] = &[TOP_NOT_OBJECT, TOP_NO_OCDS_KEYS];

/// Marks a read stopped by the sink; the sink's own error is kept aside.
const ABORTED: &str = "aborted by the receiver";

struct Emitter<F, E> {
    sink: F,
    failure: Option<ReadError<E>>,
    position: usize,
}

impl<F: FnMut(Entry) -> Result<(), E>, E> Emitter<F, E> {
    fn emit<D: de::Error>(&mut self, entry: Entry) -> Result<(), D> {
        (self.sink)(entry).map_err(|e| {
            self.failure = Some(ReadError::Sink(e));
            D::custom(ABORTED)
        })
    }

    fn release<D: de::Error>(&mut self, raw: &RawValue) -> Result<(), D> {
        self.position += 1;
        let entry = match serde_json::from_str::<RawRelease>(raw.get()) {
            Ok(release) if release.is_linked() => return Ok(()),
            Ok(release) => self.entry(release.tender()),
            Err(e) => self.entry(Err((None, SkipReason::Malformed(e.to_string())))),
        };
        self.emit(entry)
    }

    fn record<D: de::Error>(&mut self, raw: &RawValue) -> Result<(), D> {
        self.position += 1;
        let entry = match serde_json::from_str::<RawRecord>(raw.get()) {
            Ok(record) => self.entry(record.tender()),
            Err(e) => self.entry(Err((None, SkipReason::Malformed(e.to_string())))),
        };
        self.emit(entry)
    }

    fn entry(&self, read: Result<Tender, (Option<String>, SkipReason)>) -> Entry {
        match read {
            Ok(tender) => Entry::Tender(Box::new(tender)),
            Err((ocid, reason)) => Entry::Skipped(Skipped {
                position: self.position,
                ocid,
                reason,
            }),
        }
    }
}

/// The file's top level, told apart by its keys as they stream past.
struct TopLevel<'a, F, E>(&'a mut Emitter<F, E>);

impl<'de, F: FnMut(Entry) -> Result<(), E>, E> Visitor<'de> for TopLevel<'_, F, E> {
    type Value = Shape;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(TOP_NOT_OBJECT)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Shape, A::Error> {
        Elements(self.0, Element::Release).visit_seq(seq)?;
        Ok(Shape::ReleaseList)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        let emitter = self.0;
        let (mut releases, mut records) = (false, false);
        let mut compiled: Option<Box<RawValue>> = None;
        // A single release's own fields, kept until the end tells it is one.
        let mut fields: Vec<(String, Box<RawValue>)> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "releases" => {
                    map.next_value_seed(Elements(&mut *emitter, Element::Release))?;
                    releases = true;
                }
                "records" => {
                    map.next_value_seed(Elements(&mut *emitter, Element::Record))?;
                    records = true;
                }
                "compiledRelease" => compiled = Some(map.next_value()?),
                "ocid" | "id" | "date" | "tag" | "tender" | "buyer" | "parties" => {
                    fields.push((key, map.next_value()?));
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let has_ocid = fields.iter().any(|(k, _)| k == "ocid");
        if records {
            return Ok(Shape::RecordPackage);
        }
        if let Some(compiled) = compiled {
            // Last, so it wins over the record's own releases of the same date.
            emitter.release(&compiled)?;
            return Ok(Shape::Record);
        }
        if releases {
            return Ok(if has_ocid {
                Shape::Record
            } else {
                Shape::ReleasePackage
            });
        }
        if has_ocid {
            let mut object = String::from("{");
            for (i, (key, value)) in fields.iter().enumerate() {
                if i > 0 {
                    object.push(',');
                }
                // The keys are the plain names matched above: nothing to escape.
                object.push_str(&format!("\"{key}\":{}", value.get()));
            }
            object.push('}');
            let raw = serde_json::from_str::<Box<RawValue>>(&object).map_err(de::Error::custom)?;
            emitter.release(&raw)?;
            return Ok(Shape::Release);
        }
        Err(de::Error::custom(TOP_NO_OCDS_KEYS))
    }
}

#[derive(Clone, Copy)]
enum Element {
    Release,
    Record,
}

/// An array of releases or records, read one element at a time.
struct Elements<'a, F, E>(&'a mut Emitter<F, E>, Element);

impl<'de, F: FnMut(Entry) -> Result<(), E>, E> DeserializeSeed<'de> for Elements<'_, F, E> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, F: FnMut(Entry) -> Result<(), E>, E> Visitor<'de> for Elements<'_, F, E> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of releases or records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(raw) = seq.next_element::<Box<RawValue>>()? {
            match self.1 {
                Element::Release => self.0.release(&raw)?,
                Element::Record => self.0.record(&raw)?,
            }
        }
        Ok(())
    }
}
