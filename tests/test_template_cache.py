"""Templates are compiled once and kept between builds; where the cache cannot be used,
every template is compiled, and the pages are the same."""

from __future__ import annotations

import os
import tempfile

import pytest
from jinja2 import Environment

from conftest import real_corpus
from generator.render import environment, render_pages
from generator.site import Site
from generator.template_cache import compiled_templates


@pytest.fixture
def own_temporary_folder(tmp_path, monkeypatch):
    """The cache's folder under a temporary directory of the test's own."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


@pytest.fixture(scope="module")
def site():
    return Site(real_corpus(), "https://example.org/")


def pages(site: Site) -> dict[str, str]:
    return {page.src_uri: page.content for page in render_pages(site, environment(site))}


def counting_compiles(monkeypatch) -> list[str]:
    compiled: list[str] = []
    compile_source = Environment.compile

    def compile_counted(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return compile_source(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(Environment, "compile", compile_counted)
    return compiled


def test_a_second_build_compiles_no_template_and_makes_the_same_pages(own_temporary_folder, site, monkeypatch):
    compiled = counting_compiles(monkeypatch)
    first = pages(site)
    assert len(compiled) >= 5, compiled  # the record kinds' templates and the pages they include
    folder = own_temporary_folder / f"_jinja2-cache-{os.getuid()}"
    assert len(list(folder.glob("__jinja2_*.cache"))) == len(set(compiled))
    compiled.clear()
    assert pages(site) == first
    assert compiled == []


def test_where_the_cache_folder_is_not_safe_every_template_is_compiled(own_temporary_folder, site, monkeypatch):
    with_cache = pages(site)
    # Something other than the user's own folder in its place: Jinja will not use it.
    folder = own_temporary_folder / f"_jinja2-cache-{os.getuid()}"
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()
    folder.write_text("not a folder")
    assert compiled_templates() is None
    compiled = counting_compiles(monkeypatch)
    assert pages(site) == with_cache
    assert compiled


def test_a_temporary_folder_that_cannot_be_written_means_compiling_not_failing(own_temporary_folder, site, monkeypatch):
    import jinja2.bccache

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as full:
        full.setattr(jinja2.bccache.tempfile, "NamedTemporaryFile", disk_full)
        compiled = counting_compiles(full)
        written_on_a_full_disk = pages(site)
        assert compiled
    assert not list((own_temporary_folder / f"_jinja2-cache-{os.getuid()}").glob("__jinja2_*"))
    assert written_on_a_full_disk == pages(site)  # as with the cache working
