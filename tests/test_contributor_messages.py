"""The mistakes a first-time contributor makes, each with one message that says what to
type instead (issue 16)."""

import re

import pytest

from conftest import copy_project, run_generator

RECORD = "content/exemplars/nottingham-parent-counsellor.yaml"


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "project")


def _problems(project, change) -> list[str]:
    path = project / RECORD
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    result = run_generator("--root", str(project), "validate", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    return result.stdout.strip().splitlines()


def test_a_colon_in_an_unquoted_value_says_to_quote_it_and_shows_how(project):
    problems = _problems(
        project, lambda t: t.replace("title: Nottingham Parent Counsellor", "title: Parent Counsellor: Nottingham", 1)
    )
    assert len(problems) == 1
    assert 'put the whole value in double quotes: title: "Parent Counsellor: Nottingham"' in problems[0]
    assert re.match(rf"{RECORD}:\d+:\d+: ", problems[0].replace(str(project) + "/", ""))


def test_a_question_without_a_question_mark_says_to_add_one(project):
    question = "Who acts as a trusted intermediary between your school and the families who find it hardest to engage?"
    problems = _problems(project, lambda t: t.replace(question, question.rstrip("?"), 1))
    assert len(problems) == 1
    assert "must end with a question mark: add '?' at the end" in problems[0]
    assert "not in the required form" not in problems[0]


def test_a_leftover_optional_placeholder_says_the_line_can_go(project):
    """As `new` leaves both frameworks for a record that uses only one of them."""
    problems = _problems(
        project, lambda t: re.sub(r"\n  shanarri:\n(    - .*\n)+", "\n  shanarri: [TODO]\n", t, count=1)
    )
    assert len(problems) == 1, problems
    assert "still the placeholder 'TODO'; fill it in, or delete the line 'shanarri: ...' if not needed" in problems[0]


def test_a_promising_rating_without_a_rater_gets_one_clear_message(project):
    problems = _problems(project, lambda t: re.sub(r"\n  rated_by: [^\n]*", "", t, count=1))
    assert len(problems) == 1, problems
    assert "missing required field 'rated_by'" in problems[0]
    assert "must name the independent body" in problems[0]
