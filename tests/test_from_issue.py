"""`python -m generator from-issue`: a submitted "Share a project" form becomes a record
scaffold, the answers in their fields and TODO placeholders for the rest."""

import yaml

from conftest import FIXTURES, ROOT, copy_project, run_generator
from generator.from_issue import LABELS, answers

BODY = FIXTURES / "issues" / "share-a-project.md"
RECORD = "content/exemplars/home-link-workers-in-three-primary-schools.yaml"


def test_the_script_reads_the_forms_own_questions():
    form = yaml.safe_load((ROOT / ".github/ISSUE_TEMPLATE/share-a-project.yml").read_text(encoding="utf-8"))
    labels = {item["id"]: item["attributes"]["label"] for item in form["body"] if "id" in item}
    assert {form_id: labels.get(form_id) for form_id in LABELS} == LABELS
    for form_id in ("for-whom", "resources", "measured", "lessons", "credit", "contact"):
        assert form_id in labels, f"the form should ask: {form_id}"
    evaluation = next(item for item in form["body"] if item.get("id") == "evaluation")
    assert "Don't know" in evaluation["attributes"]["options"]


def test_answers_are_read_by_heading_and_empty_ones_are_blank():
    given = answers(BODY.read_text(encoding="utf-8"))
    assert given["Name of the project"] == "Home-link workers in three primary schools"
    assert given["Sources"] == "_No response_"
    assert given["What was done"].count("\n\n") == 1


def test_an_issue_body_becomes_a_scaffold_with_only_placeholders_left(tmp_path):
    project = copy_project(tmp_path / "project")
    result = run_generator("--root", str(project), "from-issue", str(BODY))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == RECORD
    text = (project / RECORD).read_text(encoding="utf-8")
    record = yaml.safe_load(text)
    assert record["contributed_by"] == {"name": "Sam Patel", "organisation": "Home-link team, a county council"}
    assert record["period"]["as_stated"] == "September 2024 to July 2025"
    assert record["place"]["country"] == "england"
    assert record["lessons"] == [
        "Start with a visit, not a letter.",
        "Agree with the school who tells the family what.",
    ]
    assert record["reflective_questions"]["written_by"] == "contributor"
    assert record["reflective_questions"]["questions"][0].startswith("Who in your school")
    assert record["evidence_rating"] == {**record["evidence_rating"], "level": "emerging", "state": "proposed"}
    assert record["reach"]["as_stated"].startswith("TODO"), "a 'don't know' answer stays a placeholder"
    assert "sam@example.org" not in text, "contact details stay in the issue"
    assert "# What it took:" in text, "every answer is kept for the editor"

    check = run_generator("--root", str(project), "validate", str(project / RECORD))
    problems = check.stdout.strip().splitlines()
    assert check.returncode == 1 and problems
    assert all("placeholder" in line for line in problems), problems


def test_an_issue_without_a_project_name_is_refused_with_a_reason(tmp_path):
    project = copy_project(tmp_path / "project")
    body = tmp_path / "body.md"
    body.write_text("### Name of the project\n\n_No response_\n", encoding="utf-8")
    result = run_generator("--root", str(project), "from-issue", str(body))
    assert result.returncode == 1
    assert "no project name" in result.stderr and "Traceback" not in result.stderr
    missing = run_generator("--root", str(project), "from-issue", str(tmp_path / "missing.md"))
    assert missing.returncode == 2 and "cannot read the issue body" in missing.stderr
