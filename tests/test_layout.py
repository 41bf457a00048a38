"""The house: the package map names every module, and the README points at it."""

from __future__ import annotations

import os
import re

import pytest

import generator
from conftest import ROOT, ReadOutsideTheRepository


def test_the_package_map_names_every_module_and_no_other():
    modules = {p.name for p in (ROOT / "generator").glob("*.py") if p.name != "__init__.py"}
    mapped = set(re.findall(r"^\s*(\w+\.py)\s", generator.__doc__, re.M))
    assert mapped == modules


def test_no_module_outside_the_model_defines_the_kinds():
    """The registry in model.py is the one place that knows the kinds by name."""
    pattern = re.compile(r"""kind(\.name|\.folder)?\s*(==|!=)\s*["'](exemplars?|evidence|packs?)["']""")
    offenders = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in sorted((ROOT / "generator").rglob("*"))
        if p.suffix in (".py", ".j2") and p.name != "model.py"
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


def test_the_readme_points_at_the_map_and_stays_a_front_door():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "generator/__init__.py" in readme
    assert len(readme.encode("utf-8")) < 7_000, "keep the README the front door; put detail in docs/"


def test_nothing_beside_the_repository_can_be_read_by_the_suite(tmp_path):
    """conftest.py refuses, in every test process, any read of a file beside this checkout:
    the suite must pass in a fresh clone with nothing next to it."""
    beside = ROOT.parent / "anything-beside-the-repository.txt"
    with pytest.raises(ReadOutsideTheRepository, match="tests must not read outside the repository"):
        beside.open(encoding="utf-8")
    with pytest.raises(ReadOutsideTheRepository, match="tests must not read outside the repository"):
        os.listdir(ROOT.parent / "a-folder-beside-the-repository")
    (tmp_path / "inside.txt").write_text("the temporary folder is fine", encoding="utf-8")
    assert (ROOT / "README.md").read_text(encoding="utf-8")
