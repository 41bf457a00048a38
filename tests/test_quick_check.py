"""The quick schema check (jsonschema-rs) against jsonschema, which has the last word.

The validator lets a record through on the quick check alone, so the quick check must
never pass a record that jsonschema fails; it should also pass what jsonschema passes, or
validation loses its speed.
"""

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from test_validator_properties import mutated_records

from conftest import FIXTURES, ROOT
from generator.load import load_document
from generator.model import KINDS
from generator.schemas import load_schema_set

SCHEMAS, _ = load_schema_set(ROOT / "schemas", load_document)
QUICK = {kind.folder: SCHEMAS.quick_check(kind.name) for kind in KINDS.values()}
FULL = {kind.folder: SCHEMAS.validator(kind.name) for kind in KINDS.values()}


def records() -> list[tuple[str, Path]]:
    """Every record file that parses to a mapping: the content and every fixture set."""
    found = []
    for base in (ROOT / "content", *sorted(p for p in FIXTURES.iterdir() if p.is_dir())):
        for folder in QUICK:
            for path in sorted((base / folder).glob("*.yaml")):
                doc = load_document(path)
                if not doc.problems and isinstance(doc.data, dict):
                    found.append((folder, path))
    return found


RECORDS = records()


def test_the_record_files_cover_every_kind_valid_and_invalid():
    kinds = {folder for folder, _ in RECORDS}
    assert kinds == set(QUICK)
    verdicts = {next(FULL[folder].iter_errors(load_document(path).data), None) is None for folder, path in RECORDS}
    assert verdicts == {True, False}


@pytest.mark.parametrize(("folder", "path"), RECORDS, ids=[str(p.relative_to(ROOT)) for _, p in RECORDS])
def test_quick_check_agrees_with_jsonschema(folder, path):
    data = load_document(path).data
    errors = [e.message for e in FULL[folder].iter_errors(data)]
    assert QUICK[folder](data) == (not errors), errors


def test_quick_check_does_not_fail_on_values_it_cannot_take_in():
    # A mapping with a number for a key cannot cross into Rust; it is not passed, so
    # jsonschema looks at it and reports it.
    assert QUICK["exemplars"]({1: "one"}) is False
    assert QUICK["exemplars"]({"id": 10**5000}) is False


@settings(max_examples=150, deadline=None)
@given(mutated_records())
def test_quick_check_never_passes_what_jsonschema_fails(text):
    data = yaml.safe_load(text)
    data = json.loads(json.dumps(data))  # as the loader gives it: plain JSON values
    if not isinstance(data, dict):
        return
    if QUICK["exemplars"](data):
        assert not [e.message for e in FULL["exemplars"].iter_errors(data)]


def test_date_formats_are_checked_by_both():
    evidence = load_document(FIXTURES / "valid/evidence/fixture-evidence.yaml").data
    exemplar = load_document(FIXTURES / "valid/exemplars/fixture-exemplar.yaml").data
    cases = [
        ("evidence", {**evidence, "date": "2023-02-30"}, "partial-date"),  # there is no 30 February
        ("exemplars", {**exemplar, "dates": {**exemplar["dates"], "published": "2023-13-01"}}, "date"),
    ]
    for folder, data, date_format in cases:
        assert not QUICK[folder](data)
        assert [e.message for e in FULL[folder].iter_errors(data)] == [
            f"'{data.get('date') or data['dates']['published']}' is not a '{date_format}'"
        ]
