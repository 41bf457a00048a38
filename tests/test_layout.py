"""The house: the package map names every module, and the README points at it."""

from __future__ import annotations

import re

import generator
from conftest import ROOT


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
