"""Validate a HAR document against the community's JSON Schema for HAR 1.2 (har_schema/)."""

import json
from pathlib import Path

from jsonschema import Draft6Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT6

SCHEMAS = Path(__file__).parent / "har_schema"


def har_errors(document):
    """Every way ``document`` breaks HAR 1.2, as readable strings (none: it is valid)."""
    resources = []
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text())
        resources.append((path.name, Resource.from_contents(schema, default_specification=DRAFT6)))
    registry = Registry().with_resources(resources)
    validator = Draft6Validator({"$ref": "har.json#"}, registry=registry)
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(document)
    ]
