"""The contributor path: scaffolding, the reference page, the workflow files, migrations."""

import difflib
import shlex
import shutil
import subprocess

import pytest
import yaml
from ruamel.yaml import YAML

from conftest import ROOT, real_corpus, run_generator
from generator import migrate as migrate_module
from generator.cli import parser
from generator.fields import record_fields, walk
from generator.model import KINDS as RECORD_KINDS
from generator.validate import check_project

KINDS = sorted(RECORD_KINDS)


@pytest.fixture
def project(tmp_path):
    copy = tmp_path / "project"
    for name in ("content", "schemas"):
        shutil.copytree(ROOT / name, copy / name)
    return copy


def _fill(value, path):
    """A valid value for a placeholder, by what the field is."""
    name = path[-1] if isinstance(path[-1], str) else path[-2]
    fillers = {
        "country": "england",
        "phases": "primary",
        "target_groups": "parents-and-carers",
        "themes": "attendance",
        "ecm": "enjoy-and-achieve",
        "shanarri": "included",
        "kind": "output",
        "level": "emerging",
        "study_design": "monitoring-data",
        "study_designs": "monitoring-data",
        "type": "research-brief",
        "date": "2020",
        "id": "the-source",
        "source": "the-source",
        "questions": "What would you try first in your own setting?",
        "duration_minutes": 30,
        "minutes": 30,
        "audience": "Pastoral leads and family support workers",
    }
    if path[-2:] == ("records", 0) or (len(path) >= 2 and path[-3:-1] == ("records", 0)):
        return {"kind": "exemplar", "id": "warrington-family-support-model"}.get(name, fillers.get(name))
    return fillers.get(name, "Filled in by the test with enough words to pass every minimum length in the schema.")


def _fill_placeholders(node, path=()):
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, value in list(items):
        if isinstance(value, str) and value.startswith("TODO"):
            node[key] = _fill(value, path + (key,))
        else:
            _fill_placeholders(value, path + (key,))


@pytest.mark.parametrize("kind", KINDS)
def test_new_scaffold_names_its_placeholders_then_passes_once_filled(project, kind):
    result = run_generator("--root", str(project), "new", kind, "--title", "Breakfast Club: parents' drop-in (2024)")
    assert result.returncode == 0, result.stderr
    folder = RECORD_KINDS[kind].folder
    path = project / "content" / folder / "breakfast-club-parents-drop-in-2024.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json\n")
    assert 'title: "Breakfast Club: parents\' drop-in (2024)"' in text

    # Every field of the schema is present, filled in, or commented out with its description.
    for field in walk(record_fields(check_project(project).corpus.schema_set, kind)):
        assert f"{field.name}:" in text and field.title in text, field.path

    result = run_generator("--root", str(project), "validate", str(path))
    assert result.returncode == 1
    problems = result.stdout.splitlines()
    assert problems and all("still the placeholder" in line for line in problems), result.stdout
    assert any("$.summary: Summary: still the placeholder 'TODO: Summary'" in line for line in problems)

    round_trip = YAML()
    record = round_trip.load(text)
    _fill_placeholders(record)
    with path.open("w", encoding="utf-8") as stream:
        round_trip.dump(record, stream)
    result = run_generator("--root", str(project), "validate", str(path))
    assert result.returncode == 0, result.stdout


def test_a_contributors_exemplar_with_its_own_source_is_checked_against_its_own_passages(project):
    """A record from another council, citing a document we do not hold: its figures are
    checked against the passages it quotes, so it passes when they match and gets a clear
    validation error, naming the figure, when one does not."""
    result = run_generator("--root", str(project), "new", "exemplar", "--title", "Home link team")
    assert result.returncode == 0, result.stderr
    path = project / "content/exemplars/home-link-team.yaml"
    round_trip = YAML()
    record = round_trip.load(path.read_text(encoding="utf-8"))
    _fill_placeholders(record)
    record["sources"][0].update(
        {"id": "annual-report", "title": "Home link service: annual report", "publisher": "A council"}
    )
    passage = (
        "The service employed eleven Home Link Workers in its first year, reduced to eight and a manager in its second."
    )
    figure = record["impact"]["figures"][0]
    figure.update({"value": "eleven Home Link Workers", "as_stated": passage, "source": "annual-report"})
    for key in ("reach", "cost"):
        record[key]["source"] = "annual-report"
    if "basis" in record["evidence_rating"]:
        record["evidence_rating"]["basis"] = "annual-report"

    def validate() -> str:
        with path.open("w", encoding="utf-8") as stream:
            round_trip.dump(record, stream)
        result = run_generator("--root", str(project), "validate", str(path))
        return result.stdout if result.returncode else ""

    assert validate() == ""
    figure["value"] = "twelve Home Link Workers"
    problems = validate().splitlines()
    assert len(problems) == 1
    assert problems[0].endswith(
        "$.impact.figures[0].as_stated: the figure 'twelve Home Link Workers' (Filled in by the test with enough words "
        "to pass every minimum length in the schema.) is not in its source passage; copy the sentence of the source "
        "that states it, word for word, or correct the value"
    )


def test_new_refuses_to_overwrite_or_reuse_an_id(project):
    existing = project / "content/exemplars/nottingham-parent-counsellor.yaml"
    before = existing.read_bytes()
    result = run_generator("--root", str(project), "new", "exemplar", "--title", "Nottingham Parent Counsellor")
    assert (
        result.returncode == 1
        and "already used by content/exemplars/nottingham-parent-counsellor.yaml" in result.stderr
    )
    assert existing.read_bytes() == before
    # An id is unique across kinds, too.
    result = run_generator("--root", str(project), "new", "evidence", "--title", "Nottingham parent counsellor")
    assert result.returncode == 1 and "already used" in result.stderr
    assert not (project / "content/evidence/nottingham-parent-counsellor.yaml").exists()


def test_new_rejects_a_title_with_no_words(project):
    result = run_generator("--root", str(project), "new", "exemplar", "--title", "!!")
    assert result.returncode == 1 and "cannot make an id" in result.stderr and "Traceback" not in result.stderr


def test_reference_page_lists_every_schema_property(site_dir):
    page = (site_dir / "reference/index.html").read_text(encoding="utf-8")
    schema_set = real_corpus().schema_set
    for kind in KINDS:
        for field in walk(record_fields(schema_set, kind)):
            assert f"<code>{field.path}</code>" in page, f"{kind}: {field.path}"
    for vocabulary in schema_set.vocabularies.values():
        for term in vocabulary.terms:
            assert f"<code>{term}</code>" in page


def test_workflow_and_hook_files_parse_and_call_commands_that_exist():
    workflow = yaml.safe_load((ROOT / ".github/workflows/pull-request.yml").read_text())
    steps = workflow["jobs"]["check"]["steps"]
    runs = [step["run"] for step in steps if "run" in step]
    assert any("validate --format github" in run for run in runs)
    assert any(run.startswith("make test") for run in runs)
    assert any("build" in run for run in runs)
    assert any(step.get("uses", "").startswith("actions/upload-artifact") for step in steps)
    hook = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"][0]
    runs.append(hook["entry"] + " content/exemplars/warrington-family-support-model.yaml")
    for run in runs:
        for command in run.split("&&"):
            words = shlex.split(command)
            if words[:3] in (["python", "-m", "generator"], [".venv/bin/python", "-m", "generator"]):
                parser().parse_args(words[3:])  # exits (fails the test) if the command does not exist
            elif words[0] == "make":
                dry_run = subprocess.run(["make", "-n", *words[1:]], cwd=ROOT, capture_output=True, text=True)
                assert dry_run.returncode == 0, f"{command}: {dry_run.stderr}"


def test_issue_form_and_pull_request_template():
    form = yaml.safe_load((ROOT / ".github/ISSUE_TEMPLATE/share-a-project.yml").read_text())
    assert form["name"] and form["description"] and form["body"]
    assert all(item["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"} for item in form["body"])
    template = (ROOT / ".github/PULL_REQUEST_TEMPLATE.md").read_text()
    assert template.count("- [ ]") >= 5 and "make validate" in template


def test_migrate_reports_nothing_to_do_on_current_records():
    result = run_generator("migrate", "--check")
    assert result.returncode == 0, result.stderr
    assert "0 need migrating, 0 could not be read" in result.stderr


def test_exemplar_version_1_migrates_to_2_changing_only_what_changed(project):
    """The real migration: one study design becomes a list of them, and an output figure
    stops being the headline. Written back, a version 1 record is today's file exactly."""
    path = project / "content/exemplars/hertfordshire-summer-reading-challenge.yaml"
    current = path.read_text(encoding="utf-8")
    version_1 = current.replace("schema_version: 2\n", "schema_version: 1\n", 1).replace(
        "  study_designs:\n    - monitoring-data\n", "  study_design: monitoring-data\n", 1
    )
    assert version_1.count("kind: output\n") >= 1
    version_1 = version_1.replace("      kind: output\n", "      kind: output\n      headline: true\n", 1)
    path.write_text(version_1, encoding="utf-8")
    assert run_generator("--root", str(project), "validate", str(path)).returncode == 1

    result = run_generator("--root", str(project), "migrate")
    assert result.returncode == 0, result.stderr
    assert "hertfordshire-summer-reading-challenge.yaml: schema version 1 -> 2" in result.stderr
    assert path.read_text(encoding="utf-8") == current
    assert run_generator("--root", str(project), "validate", str(path)).returncode == 0


def test_a_migration_rewrites_records_keeping_comments_and_formatting(project, monkeypatch):
    """Simulate schema version 3 renaming `lessons` to `lessons_learned` on the seed records."""

    def rename_lessons(record):
        position = list(record).index("lessons")
        record.insert(position, "lessons_learned", record.pop("lessons"))

    monkeypatch.setitem(migrate_module.MIGRATIONS, "exemplar", {2: rename_lessons})
    monkeypatch.setattr(migrate_module, "current_version", lambda schema_set, kind: 3 if kind == "exemplar" else 1)
    schema_set = check_project(project).corpus.schema_set
    originals = {p: p.read_text(encoding="utf-8") for p in (project / "content/exemplars").glob("*.yaml")}

    checked = migrate_module.migrate_project(project, schema_set, write=False)
    assert sum(o.changed for o in checked) == len(originals)
    assert all(p.read_text(encoding="utf-8") == text for p, text in originals.items())  # --check writes nothing

    outcomes = migrate_module.migrate_project(project, schema_set, write=True)
    assert [o.error for o in outcomes if o.error] == []
    for path, before in originals.items():
        after = path.read_text(encoding="utf-8")
        assert after.startswith("# yaml-language-server:")  # comments survive
        record = yaml.safe_load(after)
        assert record["schema_version"] == 3 and "lessons" not in record
        assert record["lessons_learned"] == yaml.safe_load(before)["lessons"]
        changed = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:2] in ("- ", "+ ")]
        assert sorted(changed) == sorted(
            ["- schema_version: 2", "+ schema_version: 3", "- lessons:", "+ lessons_learned:"]
        ), changed

    # Running it again changes nothing.
    assert not any(o.changed for o in migrate_module.migrate_project(project, schema_set, write=True))


def test_migrate_refuses_records_from_a_newer_schema(project):
    record = project / "content/exemplars/enable-eastbank-academy.yaml"
    record.write_text(record.read_text().replace("schema_version: 2", "schema_version: 7"))
    result = run_generator("--root", str(project), "migrate")
    assert result.returncode == 1
    assert "schema_version 7 is newer than this generator knows (2)" in result.stderr
    assert "schema_version: 7" in record.read_text()
