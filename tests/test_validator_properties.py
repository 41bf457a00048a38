"""Property-based: whatever a file holds, the validator answers 0 or 1 with well-formed messages."""

import io
import json
import shutil
from contextlib import redirect_stderr, redirect_stdout

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, ROOT
from generator.cli import main

pytestmark = pytest.mark.slow  # many examples, each a whole validation

VALID = yaml.safe_load((FIXTURES / "valid/exemplars/fixture-exemplar.yaml").read_text(encoding="utf-8"))

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)


def _paths(value, parts=()):
    yield parts
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, parts + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, parts + (index,))


@st.composite
def mutated_records(draw):
    record = json.loads(json.dumps(VALID))
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in _paths(record) if p]
        target = draw(st.sampled_from(paths))
        parent = record
        for part in target[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "delete":
            del parent[target[-1]]
        elif action == "replace":
            parent[target[-1]] = draw(json_values)
        elif isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=12))] = draw(json_values)
        if not isinstance(record, dict) or not record:
            break
    return yaml.safe_dump(record, allow_unicode=True, sort_keys=False)


def _project(tmp_path_factory):
    project = tmp_path_factory.mktemp("property-project")
    shutil.copytree(ROOT / "schemas", project / "schemas")
    (project / "content" / "exemplars").mkdir(parents=True)
    (project / "content" / "evidence").mkdir()
    return project


def check_answer(project, text: str):
    path = project / "content" / "exemplars" / "fixture-exemplar.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["--root", str(project), "validate", "--format", "json"])
    assert code in (0, 1), err.getvalue()
    problems = json.loads(out.getvalue())
    assert (code == 0) == (problems == [])
    for problem in problems:
        assert problem["file"].endswith("fixture-exemplar.yaml")
        assert problem["line"] >= 1 and problem["column"] >= 1
        assert problem["path"].startswith("$")
        assert problem["message"] and "\n" not in problem["message"] and "\r" not in problem["message"]


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(text=st.text(max_size=300))
def test_any_text_gets_an_answer(tmp_path_factory, text):
    check_answer(_project(tmp_path_factory), text)


@SETTINGS
@given(text=mutated_records())
def test_mutated_records_get_an_answer(tmp_path_factory, text):
    check_answer(_project(tmp_path_factory), text)


@SETTINGS
@given(data=st.data())
def test_yaml_shaped_noise_gets_an_answer(tmp_path_factory, data):
    pieces = st.sampled_from(
        [
            "id: x\n",
            "- ",
            "  ",
            "&a ",
            "*a ",
            "!!python/object ",
            "? ",
            ": ",
            "{",
            "}",
            "[",
            "]",
            "'",
            '"',
            "\t",
            "#",
            "|\n",
            ">\n",
            "<<: ",
            "2023-02-30",
            "~",
            "\ufeff",
            "\u202e",
            "---\n",
            "...\n",
        ]
    )
    text = "".join(data.draw(st.lists(pieces | st.text(max_size=5), max_size=40)))
    check_answer(_project(tmp_path_factory), text)
