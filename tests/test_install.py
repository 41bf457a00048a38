"""Installs are reproducible and small: every Python package comes from a lock file with
hashes, building installs only what the build needs, and the pre-commit hook works in a
fresh environment holding only the packages it declares."""

import json
import re
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

REQUIREMENTS = ROOT / "requirements"
PROJECT = "whatworks-generator"
HOOKS = {
    hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
}


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(path: Path) -> dict[str, str]:
    """name -> version, from a lock file written by `make lock`; every entry has hashes."""
    text = path.read_text(encoding="utf-8")
    entries = re.findall(r"^([A-Za-z0-9._-]+)==(\S+) \\\n((?:    --hash=sha256:[0-9a-f]{64}(?: \\)?\n)+)", text, re.M)
    assert len(entries) == len(re.findall(r"^[A-Za-z0-9]", text, re.M)), f"{path.name}: an entry without hashes"
    return {normalised(name): version for name, version, _ in entries}


def pins(requirements: list[str]) -> dict[str, str]:
    result = {}
    for requirement in requirements:
        name, _, version = requirement.partition("==")
        assert version, f"{requirement}: pin every version"
        result[normalised(name)] = version
    return result


BUILD = locked(REQUIREMENTS / "build.txt")
TEST = locked(REQUIREMENTS / "test.txt")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_the_lock_files_hold_pyprojects_pins():
    direct = pins(PYPROJECT["dependencies"])
    test_tools = pins(PYPROJECT["optional-dependencies"]["test"])
    assert {name: BUILD.get(name) for name in direct} == direct, "run `make lock`"
    assert {name: TEST.get(name) for name in direct | test_tools} == direct | test_tools, "run `make lock`"


def test_building_installs_no_test_tool_and_the_tests_add_to_the_same_versions():
    test_only = pins(PYPROJECT["optional-dependencies"]["test"]).keys() - pins(PYPROJECT["dependencies"]).keys()
    assert not test_only & BUILD.keys(), "the build installs a test tool"
    for name in ("playwright", "pytest", "ruff", "mypy", "greenlet", "hypothesis"):
        assert name not in BUILD
    assert {name: TEST.get(name) for name in BUILD} == BUILD, "test.txt must hold build.txt's versions"
    for name in ("pip", "setuptools", "pygments", "pymdown-extensions"):  # the installer, and what shapes the HTML
        assert name in BUILD


@pytest.mark.skipif(
    Path(sys.prefix) != ROOT / ".venv", reason="checks the project's own .venv, which `make test` installs"
)
def test_every_installed_package_is_locked_at_its_version():
    installed = {normalised(d.metadata["Name"]): d.version for d in metadata.distributions()}
    assert installed.pop(normalised(PROJECT)) == PYPROJECT["version"]
    assert installed == TEST


def test_the_npm_tools_are_locked_with_integrity_hashes():
    manifest = json.loads((REQUIREMENTS / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((REQUIREMENTS / "package-lock.json").read_text(encoding="utf-8"))
    for name, version in manifest["dependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name}: pin an exact version"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
    for path, package in lock["packages"].items():
        if path:
            assert package.get("integrity", "").startswith("sha512-"), path


def test_the_hooks_declare_the_validators_packages_at_the_locked_versions():
    for hook in HOOKS.values():
        declared = pins(hook["additional_dependencies"])
        assert declared == {name: BUILD[name] for name in declared}
        assert {"pyyaml", "jsonschema", "referencing"} <= declared.keys()


@pytest.mark.slow
def test_the_pre_commit_hook_reports_a_bad_record_in_one_line_in_a_fresh_environment(tmp_path):
    """pre-commit itself, with a cache of its own: it makes the hook's environment from
    nothing but the hook's declared packages, as on a contributor's machine."""
    repo = tmp_path / "repo"
    for name in ("content", "schemas", "generator"):
        shutil.copytree(ROOT / name, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / ".pre-commit-config.yaml", repo)
    record = repo / "content/exemplars/warrington-family-support-model.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("\n  - family-support\n", "\n  - family-suport\n"))
    git = ["git", "-C", str(repo)]
    subprocess.run([*git, "init", "--quiet"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    environment = {"PRE_COMMIT_HOME": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    pre_commit = Path(sys.executable).parent / "pre-commit"
    assert pre_commit.exists(), "pre-commit is a test dependency: make test installs it"
    result = subprocess.run(
        [str(pre_commit), "run", "validate-records", "--files", str(record.relative_to(repo))],
        cwd=repo,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output and "Error" not in output, output
    problems = [line for line in output.splitlines() if re.match(r"content/\S+\.yaml:\d+:\d+: ", line)]
    line = record.read_text(encoding="utf-8").splitlines().index("  - family-suport") + 1
    assert problems == [
        f"content/exemplars/warrington-family-support-model.yaml:{line}:5: $.themes[0]: 'family-suport' is not an "
        "allowed Theme; did you mean 'family-support'? Allowed: " + problems[0].split("Allowed: ")[1]
    ], output
    assert "- exit code: 1" in output
    environments = list((tmp_path / "cache").glob("repo*/py_env-*/bin/python"))
    assert environments, "pre-commit made no environment of its own"
    frozen = subprocess.run(
        [str(environments[0]), "-m", "pip", "freeze"], capture_output=True, text=True, check=True
    ).stdout
    assert "jsonschema-rs" not in frozen.lower() and "jsonschema_rs" not in frozen.lower()
