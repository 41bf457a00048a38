"""Credit: a contributed exemplar names its contributor on the page and in the citation,
says who wrote its questions, and says whether its rating is proposed or confirmed."""

import re

import yaml
from test_site import text_of

from conftest import copy_project, run_generator

RECORD = "central-learning-partnership-parent-support-workers"


def _build(tmp_path, change) -> str:
    project = copy_project(tmp_path / "project")
    path = project / "content" / "exemplars" / f"{RECORD}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    result = run_generator("build", "--site-dir", str(tmp_path / "site"), cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    return text_of(tmp_path / "site", f"exemplars/{RECORD}")


def _contributed(state: str):
    def change(data):
        data["contributed_by"] = {"name": "Sam Patel", "organisation": "Home-link team, a county council"}
        data["reflective_questions"]["written_by"] = "contributor"
        data["evidence_rating"]["rated_by"] = "Sam Patel"
        data["evidence_rating"].pop("rated_on")
        data["evidence_rating"]["state"] = state
        if state == "confirmed":
            data["evidence_rating"]["confirmed_on"] = "2026-12-01"

    return change


def test_a_proposed_rating_and_the_contributors_questions_are_credited_to_them(tmp_path):
    text = _build(tmp_path, _contributed("proposed"))
    assert "Level proposed by Sam Patel (Home-link team, a county council), the contributor" in text
    assert "not yet confirmed by the site's editors" in text
    assert "Written by the contributor, Sam Patel" in text
    assert "Written for this site by its editors" not in text
    assert "Proposed by the contributor" not in text.replace("proposed by", "")
    assert re.search(r"Sam Patel and What Works editors \(\d{4}\)", text), "the citation names the contributor"
    assert "{Sam Patel} and {What Works editors}" in text
    assert "date not recorded" in text and "undated" not in text


def test_a_confirmed_rating_says_when_the_editors_confirmed_it(tmp_path):
    text = _build(tmp_path, _contributed("confirmed"))
    assert "confirmed by the site's editors on 2026-12-01" in text
    assert "not stated in the source" not in text.split("Who checked it")[-1].split("Why")[0]


def test_a_confirmed_rating_without_its_date_is_refused(tmp_path):
    def change(data):
        _contributed("confirmed")(data)
        del data["evidence_rating"]["confirmed_on"]

    project = copy_project(tmp_path / "project")
    path = project / "content" / "exemplars" / f"{RECORD}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    result = run_generator("validate", cwd=project)
    assert result.returncode == 1
    assert "confirmed_on" in result.stdout + result.stderr
