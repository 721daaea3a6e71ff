//! The compiled release of a contracting process: its releases merged in date order by
//! OCDS's merge rules (as ocdsmerge applies them), so that the record shows the process
//! as it stands and its releases show what changed when.
//!
//! - an object is merged field by field, recursively;
//! - an array whose every element is an object with an `id` is merged by `id`: an
//!   element with a new id is added in order, one with a known id is merged into it;
//! - any other value (a string, a number, an array of strings, an array of objects
//!   without ids) replaces the earlier one whole;
//! - a `null` removes the field;
//! - the compiled release's `id` is the ocid and the last release's date, and its `tag`
//!   is `compiled`.

use serde_json::{Map, Value};

/// Merges `releases` (whole OCDS releases, oldest first) into their compiled release.
/// `None` when there are none.
pub fn compile(releases: &[Value]) -> Option<Value> {
    let mut compiled = Map::new();
    for release in releases {
        if let Value::Object(fields) = release {
            merge_object(&mut compiled, fields);
        }
    }
    if compiled.is_empty() {
        return None;
    }
    let ocid = compiled.get("ocid").and_then(Value::as_str).unwrap_or("");
    let date = compiled.get("date").and_then(Value::as_str).unwrap_or("");
    let id = format!("{ocid}-{date}");
    compiled.insert("id".to_owned(), Value::String(id));
    compiled.insert("tag".to_owned(), Value::Array(vec!["compiled".into()]));
    Some(Value::Object(compiled))
}

fn merge_object(into: &mut Map<String, Value>, from: &Map<String, Value>) {
    for (key, value) in from {
        match (into.get_mut(key), value) {
            (_, Value::Null) => {
                into.remove(key);
            }
            (Some(Value::Object(old)), Value::Object(new)) => merge_object(old, new),
            (Some(Value::Array(old)), Value::Array(new)) if identified(old) && identified(new) => {
                merge_by_id(old, new)
            }
            _ => {
                into.insert(key.clone(), value.clone());
            }
        }
    }
}

/// Whether every element is an object with an `id` (an empty array is, so that a first
/// release's `[]` does not stop later ones from merging by id).
fn identified(items: &[Value]) -> bool {
    items.iter().all(|item| item.get("id").is_some())
}

fn merge_by_id(into: &mut Vec<Value>, from: &[Value]) {
    for item in from {
        let Value::Object(fields) = item else {
            continue;
        };
        match into.iter_mut().find(|old| old.get("id") == item.get("id")) {
            Some(Value::Object(old)) => merge_object(old, fields),
            _ => into.push(item.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn later_releases_overwrite_fields_and_objects_with_ids_merge_by_id() {
        let first = json!({
            "ocid": "ocds-x-1", "id": "a", "date": "2026-01-01T00:00:00Z", "tag": ["tender"],
            "tender": {"status": "active", "title": "Papel"},
            "parties": [{"id": "buyer", "roles": ["buyer"]}],
            "note": "quitar",
        });
        let second = json!({
            "ocid": "ocds-x-1", "id": "b", "date": "2026-02-01T00:00:00Z", "tag": ["award"],
            "tender": {"status": "complete"},
            "parties": [
                {"id": "t1", "roles": ["tenderer"]},
                {"id": "buyer", "name": "Alcaldía"},
            ],
            "note": null,
        });
        let compiled = compile(&[first, second]).expect("two releases compile");
        assert_eq!(compiled["id"], "ocds-x-1-2026-02-01T00:00:00Z");
        assert_eq!(compiled["tag"], json!(["compiled"]));
        assert_eq!(
            compiled["tender"],
            json!({"status": "complete", "title": "Papel"})
        );
        assert_eq!(
            compiled["parties"],
            json!([
                {"id": "buyer", "roles": ["buyer"], "name": "Alcaldía"},
                {"id": "t1", "roles": ["tenderer"]},
            ])
        );
        assert!(compiled.get("note").is_none());
        assert!(compile(&[]).is_none());
    }

    #[test]
    fn arrays_of_values_are_replaced_whole() {
        let compiled = compile(&[
            json!({"ocid": "o", "date": "d", "roles": ["a", "b"]}),
            json!({"ocid": "o", "date": "d", "roles": ["c"]}),
        ])
        .expect("two releases compile");
        assert_eq!(compiled["roles"], json!(["c"]));
    }
}
