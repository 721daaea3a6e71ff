"""Validates published OCDS documents against the official schemas, offline.

usage: validate.py SCHEMA_DIR FILE...

Each FILE is one JSON document: a release package (it has "releases"), a record
package ("records") or a single release. The schemas in SCHEMA_DIR (OCDS 1.1.5's
release, release package and record package schemas, draft-04) refer to each other
by their ids; they are resolved from SCHEMA_DIR only, never over the network, and a
reference to a schema not there is an error. Formats (date-time, uri) are checked.

Prints every error and then "ocds-schema: N documents, M errors"; exits 1 when
there is any error.
"""

import json
import pathlib
import sys

import jsonschema
import referencing
import referencing.exceptions
import referencing.jsonschema

PACKAGE_SCHEMAS = {
    "releases": "release-package-schema.json",
    "records": "record-package-schema.json",
}
RELEASE_SCHEMA = "release-schema.json"


def load_registry(schema_dir):
    resources = []
    schemas = {}
    for path in sorted(schema_dir.glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        schemas[path.name] = schema
        resource = referencing.jsonschema.DRAFT4.create_resource(schema)
        resources.append((schema["id"], resource))

    def offline(uri):
        raise referencing.exceptions.NoSuchResource(ref=uri)

    return schemas, referencing.Registry(retrieve=offline).with_resources(resources)


def schema_for(document):
    if isinstance(document, dict):
        for key, name in PACKAGE_SCHEMAS.items():
            if key in document:
                return name
    return RELEASE_SCHEMA


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    checker = jsonschema.Draft4Validator.FORMAT_CHECKER
    missing = {"date-time", "uri"} - set(checker.checkers)
    if missing:
        print(f"format checkers missing: {sorted(missing)}; install jsonschema[format-nongpl]",
              file=sys.stderr)
        return 2
    schemas, registry = load_registry(pathlib.Path(argv[1]))
    wanted = {RELEASE_SCHEMA, *PACKAGE_SCHEMAS.values()} - set(schemas)
    if wanted:
        print(f"{argv[1]}: the OCDS schemas {sorted(wanted)} are not there", file=sys.stderr)
        return 2
    documents = errors = 0
    for name in argv[2:]:
        document = json.loads(pathlib.Path(name).read_text(encoding="utf-8"))
        schema = schemas[schema_for(document)]
        validator = jsonschema.Draft4Validator(schema, registry=registry, format_checker=checker)
        documents += 1
        try:
            found = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
        except referencing.exceptions.Unresolvable as unresolvable:
            print(f"{name}: a reference could not be resolved offline: {unresolvable}")
            errors += 1
            continue
        for error in found:
            place = "/".join(str(p) for p in error.absolute_path) or "(document)"
            print(f"{name}: {place}: {error.message}")
            errors += 1
    print(f"ocds-schema: {documents} documents, {errors} errors")
    return 1 if errors or not documents else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
