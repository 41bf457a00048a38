"""Discovery: the Atom feed, schema.org JSON-LD, "cite this page", and permanent URLs."""

import json
import re
import shutil
import xml.etree.ElementTree as ET
from datetime import datetime

import pytest
import yaml
from test_site import parse, text_of

from conftest import ROOT, copy_project, run_generator, serve

ATOM = "{http://www.w3.org/2005/Atom}"
KINDS = ("exemplars", "evidence", "packs")
YAML = {
    kind: {
        p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "content" / kind).glob("*.yaml"))
    }
    for kind in KINDS
}
SITE_URL = yaml.safe_load((ROOT / "mkdocs.yml").read_text())["site_url"]
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


# The feed


def test_feed_is_valid_atom_with_one_entry_per_record(site_dir):
    root = ET.parse(site_dir / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}").text.strip()
    assert root.find(f"{ATOM}author/{ATOM}name").text.strip()
    assert RFC3339.match(root.find(f"{ATOM}updated").text)
    self_link = [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert [link.get("href") for link in self_link] == [f"{SITE_URL}feed.xml"]

    entries = root.findall(f"{ATOM}entry")
    expected = {f"{SITE_URL}{kind}/{record_id}/": data for kind in KINDS for record_id, data in YAML[kind].items()}
    ids = [entry.find(f"{ATOM}id").text for entry in entries]
    assert sorted(ids) == sorted(expected), "one entry per record, and no other"
    for entry in entries:
        data = expected[entry.find(f"{ATOM}id").text]
        assert (
            entry.find(f"{ATOM}title").text == re.sub(r"\s+", " ", data["title"])
            or entry.find(f"{ATOM}title").text == data["title"]
        )
        assert entry.find(f"{ATOM}updated").text == f"{data['dates']['updated']}T00:00:00Z"
        assert entry.find(f"{ATOM}published").text == f"{data['dates']['published']}T00:00:00Z"
        assert entry.find(f"{ATOM}summary").text.strip()
        alternate = [link.get("href") for link in entry.findall(f"{ATOM}link") if link.get("rel") == "alternate"]
        assert alternate == [entry.find(f"{ATOM}id").text]
    updated = [datetime.fromisoformat(e.find(f"{ATOM}updated").text.replace("Z", "+00:00")) for e in entries]
    assert updated == sorted(updated, reverse=True), "newest first"
    assert root.find(f"{ATOM}updated").text == entries[0].find(f"{ATOM}updated").text


def test_every_page_links_to_the_feed_from_its_head(site_dir):
    pages = [p for p in site_dir.rglob("index.html") if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")]
    assert len(pages) > 50
    for path in pages:
        head = path.read_text(encoding="utf-8").split("</head>")[0]
        match = re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', head)
        assert match, f"{path.relative_to(site_dir)} has no feed link"
        assert (path.parent / match.group(1)).resolve() == (site_dir / "feed.xml").resolve()


# JSON-LD


@pytest.mark.parametrize("kind", KINDS)
def test_record_pages_carry_json_ld_that_describes_them(site_dir, kind):
    for record_id, data in YAML[kind].items():
        markup = (site_dir / kind / record_id / "index.html").read_text(encoding="utf-8")
        blocks = JSON_LD.findall(markup)
        assert len(blocks) == 1, f"{kind}/{record_id}"
        assert "<" not in blocks[0] and ">" not in blocks[0]
        described = json.loads(blocks[0])
        assert described["@context"] == "https://schema.org"
        assert (
            described["@type"]
            == {"exemplars": "CreativeWork", "evidence": "CreativeWork", "packs": "LearningResource"}[kind]
        )
        assert described["url"] == described["@id"] == f"{SITE_URL}{kind}/{record_id}/"
        assert described["name"] == data["title"]
        assert described["description"] == data["summary"]
        assert described["datePublished"] == data["dates"]["published"]
        assert described["dateModified"] == data["dates"]["updated"]
        assert described["publisher"]["name"] and described["license"].startswith("https://creativecommons.org/")
        assert [term["termCode"] for term in described["about"]][: len(data["themes"])] == data["themes"]
        if kind == "exemplars":
            assert [s["name"] for s in described["isBasedOn"]] == [s["title"] for s in data["sources"]]
            assert described["spatialCoverage"]["@type"] == "Place"
        if kind == "evidence":
            assert described["isBasedOn"]["name"] == data["source"]["title"]
        if kind == "packs":
            assert described["timeRequired"] == f"PT{data['duration_minutes']}M"


def test_json_ld_cannot_be_broken_out_of_by_record_text(tmp_path):
    """A title written to close the script element stays inside the JSON, as text."""
    project = copy_project(tmp_path / "project")
    record = project / "content/evidence/extended-schools-core-offer-2008.yaml"
    hostile = "Core offer </script><script>alert(1)</script> & <!-- more"
    text = record.read_text(encoding="utf-8")
    record.write_text(
        re.sub(r"^title: .*$", "title: " + json.dumps(hostile), text, count=1, flags=re.M), encoding="utf-8"
    )
    site = tmp_path / "site"
    result = run_generator("--root", str(project), "build", "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    markup = (site / "evidence/extended-schools-core-offer-2008/index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in markup  # nowhere: not in the JSON-LD, the <title>, the header or the h1
    [block] = JSON_LD.findall(markup)
    assert json.loads(block)["name"] == hostile
    assert "<title>Core offer &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!-- more - " in markup


# Cite this page


@pytest.mark.parametrize("kind", KINDS)
def test_record_pages_offer_a_citation_and_bibtex(site_dir, kind):
    for record_id, data in YAML[kind].items():
        text = text_of(site_dir, f"{kind}/{record_id}")
        url = f"{SITE_URL}{kind}/{record_id}/"
        cite = text[text.index("Cite this page") :]
        citation = cite.split("BibTeX:")[0]
        assert re.sub(r"\s+", " ", data["title"]).rstrip(".") in citation
        assert url in citation and data["dates"]["updated"][:4] in citation
        bibtex = (
            (site_dir / kind / record_id / "index.html")
            .read_text(encoding="utf-8")
            .split('<pre class="ww-bibtex"><code>')[1]
            .split("</code>")[0]
        )
        assert bibtex.startswith(f"@misc{{whatworks:{record_id},")
        assert f"url = {{{url}}}" in bibtex
        assert f"year = {{{data['dates']['updated'][:4]}}}" in bibtex
        depth = 0
        for char in re.sub(r"\\[{}]", "", bibtex):
            depth += {"{": 1, "}": -1}.get(char, 0)
            assert depth >= 0
        assert depth == 0, f"{kind}/{record_id}: unbalanced braces in BibTeX"


def test_bibtex_escapes_tex_special_characters():
    from generator.citation import tex

    assert tex("50% & more_than {this} #1 $5") == r"50\% \& more\_than \{this\} \#1 \$5"


# Permanent URLs


def _rename(project, kind: str, old: str, new: str) -> None:
    """Rename a record the way a contributor would: new id and file, old id kept in former_ids,
    and every reference to it updated."""
    for path in (project / "content").rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(rf"\b{re.escape(old)}\b", new, text), encoding="utf-8")
    path = project / "content" / kind / f"{old}.yaml"
    text = path.read_text(encoding="utf-8")
    path.unlink()
    (project / "content" / kind / f"{new}.yaml").write_text(
        text.replace(f"id: {new}\n", f"id: {new}\nformer_ids:\n  - {old}\n", 1), encoding="utf-8"
    )


@pytest.fixture(scope="module")
def renamed_site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("renamed")
    project = copy_project(tmp_path / "project")
    _rename(project, "exemplars", "nottingham-parent-counsellor", "nottingham-shared-parent-counsellor")
    site = tmp_path / "site"
    result = run_generator("--root", str(project), "build", "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    return site


def test_a_former_id_gets_a_redirect_page(renamed_site):
    old = renamed_site / "exemplars/nottingham-parent-counsellor/index.html"
    markup = old.read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../nottingham-shared-parent-counsellor/">' in markup
    assert f'<link rel="canonical" href="{SITE_URL}exemplars/nottingham-shared-parent-counsellor/">' in markup
    assert "../nottingham-shared-parent-counsellor/" in parse(old).links
    assert (renamed_site / "exemplars/nottingham-shared-parent-counsellor/index.html").is_file()
    published = json.loads((renamed_site / "data/exemplars.json").read_text(encoding="utf-8"))
    record = next(r for r in published["records"] if r["id"] == "nottingham-shared-parent-counsellor")
    assert record["former_ids"] == ["nottingham-parent-counsellor"]


@pytest.mark.parametrize("javascript", [True, False])
def test_the_old_address_resolves_in_the_browser(browser, renamed_site, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    with serve(renamed_site) as url:
        page.goto(url + "exemplars/nottingham-parent-counsellor/#reflective-questions")
        page.wait_for_url("**/exemplars/nottingham-shared-parent-counsellor/**", timeout=10_000)
        page.wait_for_load_state("load")
        assert page.locator("h1").inner_text().startswith("Nottingham Parent Counsellor")
        if javascript:  # the script keeps the fragment that a meta refresh drops
            assert page.evaluate("location.hash") == "#reflective-questions"
    context.close()


def test_a_reference_to_a_former_id_says_what_it_is_now(tmp_path):
    project = copy_project(tmp_path / "project")
    _rename(project, "exemplars", "nottingham-parent-counsellor", "nottingham-shared-parent-counsellor")
    pack = project / "content/packs/reaching-parents-who-do-not-easily-engage.yaml"
    pack.write_text(
        pack.read_text(encoding="utf-8").replace(
            "id: nottingham-shared-parent-counsellor", "id: nottingham-parent-counsellor", 1
        ),
        encoding="utf-8",
    )
    result = run_generator("--root", str(project), "validate")
    assert result.returncode == 1
    assert (
        "there is no exemplar with the id 'nottingham-parent-counsellor'; it was renamed: use its current id 'nottingham-shared-parent-counsellor'"
        in result.stdout
    )
    shutil.rmtree(project)
