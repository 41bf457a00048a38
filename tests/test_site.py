"""The built site from the real content: pages, figures, questions, links, edit links, nav."""

import html
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import ROOT, copy_project, real_corpus, run_generator
from generator.site import relative_url

CORPUS = real_corpus()


class _Page(HTMLParser):
    """Links, ids and visible text of one built page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in ("script", "style", "svg"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "svg"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def text_of(site_dir: Path, url_path: str) -> str:
    """The visible text of a page's main content, without Material's nav and table of contents."""
    markup = (site_dir / url_path / "index.html").read_text(encoding="utf-8")
    content = markup.split('class="md-content__inner md-typeset">')[1].split("</main>")[0].rsplit("</article>", 1)[0]
    page = _Page()
    page.feed(content)
    return re.sub(r"\s+", " ", "".join(page.text))


def test_a_page_for_every_record_theme_and_outcome(site_dir):
    expected = [
        "",
        "exemplars/",
        "evidence/",
        "themes/",
        "outcomes/",
        "ratings/",
        "about/",
        "packs/",
        "compare/",
        "data/",
        "licence/",
    ]
    expected += [f"exemplars/{i}/" for i in CORPUS.exemplars] + [f"evidence/{i}/" for i in CORPUS.evidence]
    expected += [f"packs/{i}/" for i in CORPUS.packs]
    expected += [f"themes/{t}/" for t in CORPUS.vocabularies["themes"].terms]
    expected += [f"outcomes/every-child-matters/{t}/" for t in CORPUS.vocabularies["ecm-outcomes"].terms]
    expected += [f"outcomes/shanarri/{t}/" for t in CORPUS.vocabularies["shanarri"].terms]
    missing = [p for p in expected if not (site_dir / p / "index.html").is_file()]
    assert missing == []


@pytest.mark.parametrize(
    "record, figures",
    [
        ("hertfordshire-summer-reading-challenge", ["17,027", "9,662", "706"]),
        ("warrington-family-support-model", ["57 per cent", "529", "£158,000", "£6 per family per week"]),
        ("central-learning-partnership-parent-support-workers", ["788", "£73 per family"]),
        ("school-home-support-liverpool-sefton", ["24% to 18%", "400", "110"]),
    ],
)
def test_exemplar_pages_show_the_source_figures(site_dir, record, figures):
    text = text_of(site_dir, f"exemplars/{record}")
    for figure in figures:
        assert figure in text, f"{figure} missing from {record}"
    assert "Figures reported, exactly as each source states them" in text


def test_every_figure_is_shown_with_the_source_passage_that_states_it(site_dir):
    """The record carries the source's words for each figure; the page shows them as a quotation."""
    for record in CORPUS.exemplars.values():
        page = (site_dir / f"exemplars/{record.id}/index.html").read_text(encoding="utf-8")
        passages = [
            html.unescape(re.sub(r"<[^>]+>", "", q)) for q in re.findall(r'<q class="ww-passage">(.*?)</q>', page, re.S)
        ]
        for figure in record.data["impact"]["figures"]:
            assert " ".join(figure["as_stated"].split()) in [" ".join(p.split()) for p in passages], (
                record.id,
                figure["value"],
            )


def test_quoted_reflective_questions_are_shown_as_a_quotation_with_their_source(site_dir):
    quoted = [r for r in CORPUS.exemplars.values() if "quoted_from" in r.data["reflective_questions"]]
    assert quoted, "New Cumnock's published questions are kept as a quotation"
    for record in quoted:
        page = (site_dir / f"exemplars/{record.id}/index.html").read_text(encoding="utf-8")
        block = html.unescape(page.split('class="ww-questions ww-questions--quoted"')[1].split("</figure>")[0])
        for question in record.data["reflective_questions"]["questions"]:
            assert question in block
        source = next(
            s for s in record.data["sources"] if s["id"] == record.data["reflective_questions"]["quoted_from"]
        )
        assert f"quoted from {source['publisher']}" in block


def test_exemplar_page_reads_in_order(site_dir):
    """At a glance first, then the narrative, impact, details, rating, questions, evidence, sources."""
    text = text_of(site_dir, "exemplars/warrington-family-support-model")
    order = [
        "At a glance",
        "What it is",
        "For whom",
        "Strength of evidence",
        "Who checked it",
        "Headline outcome",
        "Cost per family",
        "Evidence from",
        "What was done",
        "Why",
        "Impact",
        "What it takes",
        "Evidence rating",
        "Lessons learned",
        "Reflective questions",
        "Related evidence and practice",
        "Sources",
    ]
    positions = [text.index(heading) for heading in order]
    assert positions == sorted(positions)
    assert "Validated by an outside body" in text and "C4EO" in text


def test_every_exemplar_shows_its_rating_with_who_and_why(site_dir):
    for record in CORPUS.exemplars.values():
        text = text_of(site_dir, f"exemplars/{record.id}")
        rating = record.data["evidence_rating"]
        assert CORPUS.vocabularies["rating-levels"].label(rating["level"]) in text
        for design in rating["study_designs"]:
            assert CORPUS.vocabularies["study-designs"].label(design) in text
        assert re.sub(r"\s+", " ", rating["rated_by"]) in text


def test_evidence_links_both_ways(site_dir):
    """An evidence record that names an exemplar is listed on that exemplar's page."""
    for evidence in CORPUS.evidence.values():
        for exemplar_id in evidence.data.get("exemplars", []):
            links = parse(site_dir / f"exemplars/{exemplar_id}/index.html").links
            assert f"../../evidence/{evidence.id}/" in links


def test_all_internal_links_and_anchors_resolve(site_dir):
    pages = {p: parse(p) for p in site_dir.rglob("*.html")}
    broken = []
    for path, page in pages.items():
        if path.name == "404.html":
            continue  # served at any address, so MkDocs gives it root-relative links
        for href in page.links:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//") or href.startswith("mailto:"):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{path.relative_to(site_dir)} -> {href}")
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in pages[target].ids:
                broken.append(f"{path.relative_to(site_dir)} -> {href} (no such anchor)")
    assert broken == []


def test_nav_lists_sections_not_records(site_dir):
    page = (site_dir / "exemplars/warrington-family-support-model/index.html").read_text(encoding="utf-8")
    primary_nav = page.split("md-nav--primary")[1].split("</nav>")[0]
    assert "nottingham-parent-counsellor" not in primary_nav
    assert len(re.findall(r'class="md-nav__link', primary_nav)) <= 20
    assert not re.search(r'href="[^"]*(exemplars|evidence|packs)/[a-z0-9-]+/"', primary_nav)


def test_record_pages_link_to_their_yaml_for_editing(site_dir):
    page = parse(site_dir / "exemplars/enable-eastbank-academy/index.html")
    assert any(link.endswith("/edit/main/content/exemplars/enable-eastbank-academy.yaml") for link in page.links)
    page = parse(site_dir / "evidence/extended-schools-core-offer-2008/index.html")
    assert any(
        link.endswith("/edit/main/content/evidence/extended-schools-core-offer-2008.yaml") for link in page.links
    )


def test_ratings_page_is_generated_from_the_vocabularies(site_dir):
    text = text_of(site_dir, "ratings")
    for vocabulary in ("rating-levels", "study-designs"):
        for term in CORPUS.vocabularies[vocabulary].terms.values():
            assert term["label"] in text and re.sub(r"\s+", " ", term["description"]) in text
    for scheme in ("C4EO", "Foundations", "ESSA", "EEF"):
        assert scheme in text
    assert "approximate" in text.lower()


def test_theme_pages_list_what_is_tagged(site_dir):
    page = parse(site_dir / "themes/attendance/index.html")
    tagged = [r for r in CORPUS.exemplars.values() if "attendance" in r.data["themes"]]
    assert tagged
    for record in tagged:
        assert f"../../exemplars/{record.id}/" in page.links


def test_every_theme_page_opens_with_its_introduction_then_strongest_first(site_dir):
    for term_id, term in CORPUS.vocabularies["themes"].terms.items():
        assert term.get("introduction"), f"theme {term_id} has no introduction in themes.yaml"
        text = text_of(site_dir, f"themes/{term_id}")
        intro = " ".join(term["introduction"].split())
        assert intro in text, term_id
        assert text.index(intro) < text.index("Practice exemplars"), term_id
    assert "Strongest evidence first, then the most outside checking." in text_of(site_dir, "themes/attendance")


def test_home_page_has_themes_featured_practice_and_rating_legend(site_dir):
    text = text_of(site_dir, "")
    assert "How to use this site" in text and "Featured practice" in text
    for term in CORPUS.vocabularies["rating-levels"].terms.values():
        assert term["label"] in text
    for term in CORPUS.vocabularies["themes"].terms.values():
        assert term["label"] in text


def test_invalid_content_stops_the_build_and_leaves_the_old_site(tmp_path):
    project = copy_project(tmp_path / "project")
    old_site = project / "site"
    old_site.mkdir()
    (old_site / "index.html").write_text("the previous site")
    record = project / "content/exemplars/nottingham-parent-counsellor.yaml"
    record.write_text(record.read_text().replace("level: promising", "level: promissing"))
    result = run_generator("--root", str(project), "build", "--site-dir", str(old_site))
    assert result.returncode == 1
    assert "content/exemplars/nottingham-parent-counsellor.yaml:" in result.stderr
    assert "did you mean 'promising'?" in result.stderr
    assert "Traceback" not in result.stderr
    assert (old_site / "index.html").read_text() == "the previous site"
    assert sorted(p.name for p in old_site.iterdir()) == ["index.html"]


@pytest.mark.slow
def test_mkdocs_build_strict_with_the_plugin_has_no_warnings(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "out")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert not re.search(r"^WARNING\s+-", result.stderr, re.MULTILINE), result.stderr
    assert (tmp_path / "out/exemplars/warrington-family-support-model/index.html").is_file()


def test_mkdocs_build_with_invalid_content_fails_before_cleaning(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "content/evidence/extended-schools-core-offer-2008.yaml").write_text("title: [broken\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.html").write_text("keep")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(out)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert "extended-schools-core-offer-2008.yaml:2:1: $: YAML syntax error" in result.stderr
    assert (out / "keep.html").exists()


@pytest.mark.slow
def test_render_writes_a_plain_docs_folder_that_builds_without_the_plugin(tmp_path, site_dir):
    docs = tmp_path / "docs"
    result = run_generator("render", "--out", str(docs))
    assert result.returncode == 0, result.stderr
    assert (docs / "exemplars/warrington-family-support-model/index.md").is_file()
    assert (docs / "about.md").is_file() and (docs / "assets/whatworks.css").is_file()
    config = (ROOT / "mkdocs.yml").read_text().replace("  - whatworks\n", "")
    config = config.replace("docs_dir: docs", f"docs_dir: {docs}").replace(
        "custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}"
    )
    (tmp_path / "mkdocs.yml").write_text(config)
    out = tmp_path / "plain-site"
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(tmp_path / "mkdocs.yml"), "-d", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    plain_pages = {p.relative_to(out) for p in out.rglob("index.html")}
    plugin_pages = {p.relative_to(site_dir) for p in site_dir.rglob("index.html")}
    assert plain_pages == plugin_pages


@pytest.mark.parametrize(
    ("target", "page", "link"),
    [
        ("index.md", "index.md", "./"),
        ("exemplars/x.md", "index.md", "exemplars/x/"),
        ("index.md", "exemplars/x.md", "../../"),
        ("exemplars/index.md", "exemplars/x.md", "../"),
        ("exemplars/y.md", "exemplars/x.md", "../y/"),
        ("exemplars/x.md", "exemplars/x.md", "./"),
        ("themes/t.md", "outcomes/shanarri/safe.md", "../../../themes/t/"),
        ("outcomes/shanarri/index.md", "outcomes/shanarri/safe.md", "../"),
        ("finder/facets.json", "find.md", "../finder/facets.json"),
        ("feed.xml", "index.md", "feed.xml"),
        ("data/exemplars.csv", "data.md", "exemplars.csv"),  # the data page is /data/
    ],
)
def test_links_between_pages_are_relative(target, page, link):
    assert relative_url(target, page) == link
