"""Valid HTML on every built page, the theme's own included: the W3C Nu HTML Checker
(the npm package vnu-jar) run with Debian's Java over the whole site."""

import shutil
import subprocess

from conftest import ROOT

VNU = ROOT / "requirements/node_modules/vnu-jar/build/dist/vnu.jar"


def test_the_nu_html_checker_finds_nothing_on_any_page(site_dir):
    assert shutil.which("java"), "the Nu HTML Checker needs Java: apt-get install default-jre-headless (make test does)"
    assert VNU.exists(), "the Nu HTML Checker is an npm test tool: make test installs it with npm ci"
    pages = sorted(site_dir.rglob("*.html"))
    assert len(pages) > 50 and site_dir / "404.html" in pages
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "gnu", "--skip-non-html", str(site_dir)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    # Warnings too: --errors-only would let them through.
    report = [line.replace(f"file:{site_dir}/", "") for line in result.stderr.splitlines() + result.stdout.splitlines()]
    assert result.returncode == 0 and report == [], "\n".join(report[:20])


def test_reference_page_headings_and_field_rows_have_ids_of_their_own(site_dir):
    page = (site_dir / "reference/index.html").read_text(encoding="utf-8")
    assert '<h2 id="evidence">' in page and '<tr id="evidence-summary">' in page
