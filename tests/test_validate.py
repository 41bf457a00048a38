"""The validator on fixtures and on the real content: messages, positions, formats, exit codes."""

import json
import shutil

import pytest

from conftest import FIXTURES, ROOT, copy_project, run_generator
from generator.validate import check_project


def test_every_record_in_content_is_valid():
    result = check_project(ROOT)
    assert result.problems == []
    assert len(result.corpus.exemplars) >= 7
    assert len(result.corpus.evidence) >= 15


def test_valid_fixtures_pass_and_exit_zero():
    result = run_generator("validate", "tests/fixtures/valid")
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""
    assert "3 files checked: all valid" in result.stderr


def test_invalid_fixtures_match_the_golden_output():
    """Every error, one per line, as FILE:LINE:COL: $.path: message."""
    result = run_generator("validate", "tests/fixtures/invalid")
    assert result.returncode == 1
    assert result.stdout == (FIXTURES / "invalid" / "expected.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "case, expected",
    [
        ("theme-typo", ":17:31: $.themes[1]: 'attendence' is not an allowed Theme; did you mean 'attendance'?"),
        ("unknown-field", ":5:1: $.sumary: unknown field 'sumary'; did you mean 'summary'?"),
        ("duplicate-key", ":22:1: $.why: duplicate field 'why' (first given on line 21)"),
        ("impossible-date", ":56:14: $.dates.published: '2023-02-30' is not a real date"),
        ("validated-without-basis", "$.evidence_rating: missing required field 'basis'"),
        (
            "broken-references",
            "$.related_exemplars[0]: there is no exemplar with the id 'warington-family-support-model'; did you mean 'warrington-family-support-model'?",
        ),
        ("id-not-file-name", ":3:5: $.id: the id 'another-name' must equal the file name"),
        ("syntax-error", ":5:8: $: YAML syntax error"),
    ],
)
def test_each_invalid_case_names_line_column_and_field(case, expected):
    result = run_generator("validate", f"tests/fixtures/invalid/exemplars/{case}.yaml")
    assert result.returncode == 1
    assert f"tests/fixtures/invalid/exemplars/{case}.yaml" in result.stdout
    assert expected in result.stdout


def test_every_error_is_reported_not_just_the_first():
    result = run_generator("validate", "tests/fixtures/invalid/exemplars/wrong-types.yaml")
    assert len(result.stdout.splitlines()) == 3


def test_json_format_is_a_machine_readable_list():
    result = run_generator("validate", "--format", "json", "tests/fixtures/invalid/exemplars/theme-typo.yaml")
    assert result.returncode == 1
    [problem] = json.loads(result.stdout)
    assert problem["file"] == "tests/fixtures/invalid/exemplars/theme-typo.yaml"
    assert (problem["line"], problem["column"], problem["path"]) == (17, 31, "$.themes[1]")


def test_github_format_prints_annotations():
    result = run_generator("validate", "--format", "github", "tests/fixtures/invalid/exemplars/theme-typo.yaml")
    line = result.stdout.strip()
    assert line.startswith(
        "::error file=tests/fixtures/invalid/exemplars/theme-typo.yaml,line=17,col=31,title=$.themes[1]::"
    )


def test_bad_usage_exits_two_without_a_traceback():
    missing = run_generator("validate", "no/such/path.yaml")
    assert missing.returncode == 2 and "no such file or folder" in missing.stderr
    bad_format = run_generator("validate", "--format", "xml")
    assert bad_format.returncode == 2
    for result in (missing, bad_format):
        assert "Traceback" not in result.stderr + result.stdout


def test_a_file_outside_a_kind_folder_is_reported(tmp_path):
    stray = tmp_path / "stray.yaml"
    shutil.copy(FIXTURES / "valid" / "exemplars" / "fixture-exemplar.yaml", stray)
    result = run_generator("validate", str(stray))
    assert result.returncode == 1 and "cannot tell the record type" in result.stdout


def test_broken_vocabulary_is_reported_with_its_position(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "schemas", project / "schemas")
    shutil.copytree(ROOT / "content", project / "content")
    vocabulary = project / "schemas" / "vocabularies" / "shanarri.yaml"
    vocabulary.write_text(vocabulary.read_text().replace("ecm: [stay-safe]", "ecm: [stay-saef]"))
    result = run_generator("--root", str(project), "validate")
    assert result.returncode == 1
    assert "shanarri.yaml:" in result.stdout and "'stay-saef' is not an Every Child Matters outcome" in result.stdout


def _walk_properties(schema, where="$"):
    for name, prop in schema.get("properties", {}).items():
        yield f"{where}.{name}", prop
        yield from _walk_properties(prop, f"{where}.{name}")
        if isinstance(prop.get("items"), dict):
            yield from _walk_properties(prop["items"], f"{where}.{name}[]")
    for name, definition in schema.get("$defs", {}).items():
        yield from _walk_properties(definition, f"$defs.{name}")


@pytest.mark.parametrize("name", ["exemplar", "evidence", "pack", "common"])
def test_schemas_document_every_property(name):
    schema = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    for where, prop in _walk_properties(schema):
        if "$ref" in prop and "vocabulary" in prop["$ref"]:
            continue  # a vocabulary carries its own title and description
        if "$ref" in prop and len(prop) == 1:
            continue  # a shared definition, documented where it is defined
        assert prop.get("title") and prop.get("description"), f"{name}: {where} needs a title and a description"
        if prop.get("type") == "object":
            assert prop.get("additionalProperties") is False, f"{name}: {where} must forbid unknown fields"


@pytest.mark.parametrize("name", ["exemplar", "evidence", "pack"])
def test_records_require_schema_version_and_forbid_unknown_fields(name):
    schema = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text())
    assert schema["additionalProperties"] is False
    assert "schema_version" in schema["required"]


def test_the_pack_schema_gives_examples_for_every_property():
    schema = json.loads((ROOT / "schemas" / "pack.schema.json").read_text())
    common = json.loads((ROOT / "schemas" / "common.schema.json").read_text())
    for where, prop in _walk_properties(schema):
        if "$ref" in prop and len(prop) == 1:
            prop = (
                common["$defs"][prop["$ref"].rsplit("/", 1)[-1]]
                if "schema:common" in prop["$ref"]
                else {"examples": "vocabulary"}
            )
        assert prop.get("examples"), f"pack: {where} needs examples"


@pytest.mark.parametrize(
    "case, expected",
    [
        (
            "broken-pack",
            ":9:19: $.duration_minutes: the activities take 10 + 25 + 20 = 55 minutes, but the duration is 60",
        ),
        (
            "broken-pack",
            ":15:9: $.records[0].id: there is no exemplar with the id 'nottingham-parent-counselor'; did you mean 'nottingham-parent-counsellor'?",
        ),
        (
            "broken-pack",
            ":17:9: $.records[1].id: there is no evidence record with the id 'warrington-family-support-model'; 'warrington-family-support-model' is an exemplar",
        ),
        ("broken-pack", "$.activities[0].uses[0]: 'nottingham-parent-counsellor' is not one of this pack's records"),
        (
            "broken-pack",
            "$.activities[0].quotation.source: 'c4eo-summary' is not the id of an entry in sources; did you mean 'c4eo-final-summary'?",
        ),
        ("pack-schema-errors", "$.records[0].kind: 'exemplr' is not allowed; did you mean 'exemplar'?"),
        (
            "pack-schema-errors",
            "$.activities[0].prompts[0]: Discussion prompt: 'Tell us about your school.' must end with a question mark",
        ),
    ],
)
def test_pack_problems_name_line_column_and_field(case, expected):
    result = run_generator("validate", f"tests/fixtures/invalid/packs/{case}.yaml")
    assert result.returncode == 1
    assert expected in result.stdout


def test_a_former_id_must_be_free(tmp_path):
    """Not a current id, not the record's own, not another record's former id."""
    result = run_generator(
        "validate",
        "tests/fixtures/invalid/exemplars/former-ids-clash.yaml",
        "tests/fixtures/invalid/packs/broken-pack.yaml",
    )
    out = result.stdout
    assert (
        "former-ids-clash.yaml:5:5: $.former_ids[0]: 'warrington-family-support-model' is the current id of content/exemplars/warrington-family-support-model.yaml"
        in out
    )
    assert "former-ids-clash.yaml:6:5: $.former_ids[1]: 'former-ids-clash' is this record's current id" in out
    assert (
        "broken-pack.yaml:5:5: $.former_ids[0]: 'shared-old-name' is already a former id of tests/fixtures/invalid/exemplars/former-ids-clash.yaml"
        in out
    )
    assert (
        "$.records[2].id: there is no exemplar with the id 'shared-old-name'; it was renamed: use its current id 'former-ids-clash'"
        in out
    )


def test_pack_timings_are_checked_in_the_real_content(tmp_path):
    """Shorten one activity of a real pack by five minutes: the validator says the sum no longer matches."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "schemas", project / "schemas")
    shutil.copytree(ROOT / "content", project / "content")
    pack = project / "content" / "packs" / "reaching-parents-who-do-not-easily-engage.yaml"
    text = pack.read_text()
    assert "    minutes: 25\n" in text
    pack.write_text(text.replace("    minutes: 25\n", "    minutes: 20\n", 1))
    result = run_generator("--root", str(project), "validate")
    assert result.returncode == 1
    assert (
        "$.duration_minutes: the activities take 10 + 15 + 20 + 15 + 10 + 15 = 85 minutes, but the duration is 90"
        in result.stdout
    )


def test_a_schema_that_is_not_json_schema_is_reported_not_crashed_on(tmp_path):
    project = copy_project(tmp_path / "project")
    common = project / "schemas/common.schema.json"
    common.write_text(
        common.read_text(encoding="utf-8").replace('"pattern": "^https?://"', '"pattern": "[unclosed"'),
        encoding="utf-8",
    )
    result = run_generator("--root", str(project), "validate")
    assert result.returncode == 1, result.stderr
    assert (
        "schemas/common.schema.json:1:1: $.$defs.url.pattern: not a valid JSON Schema: '[unclosed' is not a 'regex'"
        in result.stdout
    )
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_problems_are_printed_in_order_while_few_and_as_they_come_when_many():
    import io

    from generator.problems import Problem, ProblemWriter

    def problems(file: str, count: int) -> list[Problem]:
        return [Problem(file, line, 1, "$", "m") for line in range(count, 0, -1)]

    few = io.StringIO()
    writer = ProblemWriter(few)
    writer.add(problems("b.yaml", 2))
    writer.add(problems("a.yaml", 2))
    assert few.getvalue() == ""  # held, to be sorted
    writer.close()
    assert few.getvalue().splitlines() == [
        "a.yaml:1:1: $: m",
        "a.yaml:2:1: $: m",
        "b.yaml:1:1: $: m",
        "b.yaml:2:1: $: m",
    ]

    many = io.StringIO()
    writer = ProblemWriter(many, "json")
    writer.SORTED = 10
    writer.add(problems("a.yaml", 11))
    assert many.getvalue() and not writer.held  # past SORTED, printed and let go
    writer.add(problems("b.yaml", 3))
    assert not writer.held
    writer.close()
    assert [p["file"] for p in json.loads(many.getvalue())] == ["a.yaml"] * 11 + ["b.yaml"] * 3
    empty = io.StringIO()
    ProblemWriter(empty, "json").close()
    assert json.loads(empty.getvalue()) == []
