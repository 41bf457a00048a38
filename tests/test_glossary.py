"""The glossary: terms marked up on every page (first use, never inside links, headings,
code or attributes), the /glossary/ page, the definition on keyboard focus and in print,
and the validator's warning on an abbreviation the glossary does not define."""

import re
from html.parser import HTMLParser

import pytest
from test_handouts import pdf_text, print_pdf, squash

from conftest import ROOT, copy_project, real_corpus, run_generator
from generator.glossary import VOCABULARY, Glossary
from generator.validate import check_project

CORPUS = real_corpus()
GLOSSARY = Glossary(CORPUS.vocabularies[VOCABULARY])
TERMS = CORPUS.vocabularies[VOCABULARY].terms
# Where a term must never be marked up.
FORBIDDEN = {"a", "abbr", "button", "code", "h1", "h2", "h3", "h4", "h5", "h6", "label", "legend", "pre", "summary"}


class _Terms(HTMLParser):
    """Every marked-up term of a page: its id, the elements around it, and the <details> it is in."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "col"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.details: list[int] = [0]  # which <details> (0: none) each open element is in
        self.count = 0
        self.terms: list[tuple[str, dict, list[str], int]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "ww-gloss" in (attrs.get("class") or "").split():
            self.terms.append((attrs["data-term"], attrs, list(self.stack), self.details[-1]))
        if tag in self.VOID:
            return
        self.stack.append(tag)
        if tag == "details":
            self.count += 1
            self.details.append(self.count)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        while self.stack:
            if self.stack.pop() == tag:
                break
        if tag == "details" and len(self.details) > 1:
            self.details.pop()


def terms_of(path) -> _Terms:
    parser = _Terms()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_the_real_content_uses_no_abbreviation_the_glossary_does_not_define():
    result = check_project(ROOT)
    assert result.warning_count == 0, [p for p in result.problems if p.severity == "warning"]
    assert result.problems == []


def test_an_undefined_abbreviation_is_a_warning_naming_file_line_and_field(tmp_path):
    project = copy_project(tmp_path / "project")
    record = project / "content/exemplars/warrington-family-support-model.yaml"
    lines = record.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(n for n, line in enumerate(lines) if "It has two main parts:" in line)
    # In a folded field, several lines below the field's start; a roman numeral, a
    # defined abbreviation and a web address in capitals are no warning.
    lines[number] = lines[number].replace(
        "It has two main parts:", "NEET pupils (part II, CAF, https://example.org/DCSF-XYZ). It has two main parts:"
    )
    record.write_text("".join(lines), encoding="utf-8")
    column = lines[number].index("NEET") + 1

    result = run_generator("validate", cwd=project)
    assert result.returncode == 0, result.stdout  # a warning, not an error: the content still builds
    assert result.stdout == (
        f"content/exemplars/warrington-family-support-model.yaml:{number + 1}:{column}: $.what_was_done: "
        "warning: 'NEET' looks like an abbreviation, and the glossary does not define it; add it to "
        "schemas/vocabularies/glossary.yaml (label, expansion, description) or write it out in full\n"
    )
    assert "all valid (1 warning)" in result.stderr

    github = run_generator("validate", "--format", "github", cwd=project)
    assert github.stdout.startswith(
        f"::warning file=content/exemplars/warrington-family-support-model.yaml,line={number + 1},col={column},"
    )

    # Defined in the glossary, it is no longer a warning.
    glossary = project / "schemas/vocabularies/glossary.yaml"
    glossary.write_text(
        glossary.read_text(encoding="utf-8")
        + "  - id: neet\n    label: NEET\n    expansion: Not in education, employment or training\n"
        "    description: A young person who is not in education, employment or training.\n",
        encoding="utf-8",
    )
    again = run_generator("validate", cwd=project)
    assert again.returncode == 0 and again.stdout == "", again.stdout


def test_many_undefined_abbreviations_are_warnings_once_each_and_never_an_error(tmp_path):
    project = copy_project(tmp_path / "project")
    record = project / "content/exemplars/warrington-family-support-model.yaml"
    words = " ".join(f"ZQ{n}" for n in range(60))
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("It has two main parts:", f"{words} {words}. It has two main parts:"), "utf-8")
    result = run_generator("validate", cwd=project)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 50 and all(": warning: " in line for line in lines)
    assert len({line.split("'")[1] for line in lines}) == 50  # each word once


def test_see_also_must_name_a_glossary_term(tmp_path):
    project = copy_project(tmp_path / "project")
    glossary = project / "schemas/vocabularies/glossary.yaml"
    glossary.write_text(
        glossary.read_text(encoding="utf-8").replace(
            "see_also: [team-around-the-child, early-help]", "see_also: [tac]"
        ),
        encoding="utf-8",
    )
    result = run_generator("validate", cwd=project)
    assert result.returncode == 1
    assert "$.terms[" in result.stdout and "see_also[0]: 'tac' is not a term of this vocabulary" in result.stdout


def test_marking_up_leaves_links_headings_code_attributes_and_scripts_alone():
    page = (
        '<h2 id="caf">CAF</h2><p title="CAF"><a href="/x">CAF</a> <code>CAF</code> <abbr>CAF</abbr></p>'
        '<script type="application/ld+json">{"name": "CAF"}</script><!-- CAF -->'
        "<p>A caf, a CAF and then CAFs, HPSS and HPS; children&#39;s trusts and Team  Around the Child.</p>"
        "<details><summary>More on CAF</summary><p>CAF again</p></details><p>CAF at the end</p>"
    )
    marked = GLOSSARY.marked_up(page)
    untouched = page.split("<p>A caf")[0]
    assert marked.startswith(untouched)
    body = marked[len(untouched) :]
    assert "A caf, a <abbr" in body  # lower case is not the abbreviation
    caf = re.findall(r'<abbr class="[^"]*" tabindex="0" title="Common Assessment Framework"[^>]*>(\w+)</abbr>', body)
    assert caf == ["CAF", "CAF"]  # the first on the page, and the first inside the <details>
    assert "and then CAFs," in body  # marked once only
    assert 'data-term="hpss"' in body and 'data-term="hps"' in body
    assert re.search(r'data-term="childrens-trust"[^>]*>children&#39;s trusts</span>', body)
    assert re.search(r'data-term="team-around-the-child"[^>]*>Team  Around the Child</span>', body)
    assert "<summary>More on CAF</summary>" in body
    assert body.endswith("<p>CAF at the end</p>")


def test_a_term_in_an_attribute_is_left_alone_and_one_beside_a_tag_is_marked():
    # Ordinary tags are passed over by the regular expression, not matched: a term inside
    # one must still be seen as inside it, whatever the attribute around it says.
    page = (
        '<div class="x" data-note="the CAF form" aria-label="Team Around the Child">'
        '<img alt="a CAF" src="caf.png"><span>CAF</span></div>'
        "<p data-x=\"team around the child, 'ECM'\">ECM</p>"
    )
    marked = GLOSSARY.marked_up(page)
    assert marked.startswith('<div class="x" data-note="the CAF form" aria-label="Team Around the Child">')
    assert '<img alt="a CAF" src="caf.png"><span><abbr class="ww-gloss"' in marked
    assert re.search(
        r'<p data-x="team around the child, \'ECM\'"><abbr [^>]*data-term="ecm"[^>]*>ECM</abbr></p>$', marked
    )
    assert marked.count("<abbr") == 2


def test_an_abbreviation_the_text_spells_out_is_marked_as_explained():
    marked = GLOSSARY.marked_up("<p>Common Assessment Framework (CAF) and C4EO (Centre for Excellence)</p>")
    assert marked.count("ww-gloss ww-gloss--explained") == 2


def test_every_page_marks_up_terms_only_where_it_may(site_dir):
    pages = sorted(site_dir.rglob("index.html"))
    marked_pages = 0
    for path in pages:
        parsed = terms_of(path)
        seen: set[tuple[str, int]] = set()
        for term, attrs, around, details in parsed.terms:
            where = path.relative_to(site_dir)
            assert term in TERMS, (where, term)
            assert not FORBIDDEN & set(around), (where, term, around)
            assert "title" not in around and "head" not in around, (where, term)
            assert (term, details) not in seen, f"{where}: {term} marked twice"
            seen.add((term, details))
            assert attrs["tabindex"] == "0" and attrs["data-definition"].endswith(TERMS[term]["description"])
            if "expansion" in TERMS[term]:
                assert attrs["title"] == TERMS[term]["expansion"]
        marked_pages += bool(parsed.terms)
    assert marked_pages >= len(pages) // 2, "most pages use a term of the glossary"
    # Pages written by hand are marked too, and the record pages mark what their records say.
    assert "shanarri" in {t[0] for t in terms_of(site_dir / "how-it-works/index.html").terms}
    warrington = {t[0] for t in terms_of(site_dir / "exemplars/warrington-family-support-model/index.html").terms}
    assert {"caf", "c4eo", "wfsm"} <= warrington
    # The page's <title> and headings keep their words.
    markup = (site_dir / "evidence/dcsf-draft-legislation-consultations-2008/index.html").read_text(encoding="utf-8")
    assert "ww-gloss" not in markup.split("<title>")[1].split("</title>")[0]


def test_the_glossary_page_lists_every_term_alphabetically_with_anchors(site_dir):
    markup = (site_dir / "glossary/index.html").read_text(encoding="utf-8")
    listed = re.findall(r'<div id="([a-z0-9-]+)">\s*<dt><dfn>([^<]+)</dfn>', markup)
    assert {term_id for term_id, _ in listed} == set(TERMS)
    labels = [label.replace("&#39;", "'") for _, label in listed]
    assert labels == sorted(labels, key=str.lower)
    for term in TERMS.values():
        assert term.get("expansion", term["description"]).replace("'", "&#39;") in markup
    assert 'href="#team-around-the-child"' in markup  # see also
    assert not re.search(r'class="ww-gloss[ "]', markup)  # the page that defines the terms does not mark them
    # Reached from the About menu on every page.
    home = (site_dir / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="glossary/" class="md-nav__link">\s*<span class="md-ellipsis">\s*Glossary', home)


@pytest.mark.parametrize("width", [1280, 390])
def test_focusing_a_term_shows_its_definition_and_escape_hides_it(browser, site_url, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(site_url + "exemplars/warrington-family-support-model/")
    caf = page.locator("abbr.ww-gloss[data-term=caf]")
    assert caf.count() == 1

    def definition_shown() -> bool:
        return caf.evaluate("e => getComputedStyle(e, '::after').display") != "none"

    assert not definition_shown()
    # By keyboard: Tab until the abbreviation has focus.
    for _ in range(200):
        page.keyboard.press("Tab")
        if caf.evaluate("e => e === document.activeElement"):
            break
    else:
        pytest.fail("the abbreviation is not reachable with the Tab key")
    assert definition_shown()
    content = caf.evaluate("e => getComputedStyle(e, '::after').content")
    assert "Common Assessment Framework. " + TERMS["caf"]["description"] in content
    # Within the screen, at 390 px as at 1280.
    box = caf.evaluate(
        """e => { const s = getComputedStyle(e, '::after');
        return [s.position, parseFloat(s.maxWidth) || 0, parseFloat(s.left) || 0, parseFloat(s.right) || 0]; }"""
    )
    if width < 600:
        assert box[0] == "fixed" and box[2] > 0 and box[3] > 0
    page.keyboard.press("Escape")
    assert not definition_shown()
    page.keyboard.press("Shift+Tab")
    caf.hover()
    assert definition_shown()
    page.close()


def test_print_gives_an_abbreviation_its_expansion_in_brackets(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "evidence/childrens-trusts-statutory-guidance-2008/")
    page.emulate_media(media="print")
    dcsf = page.locator("abbr.ww-gloss[data-term=dcsf]")
    assert (
        dcsf.evaluate("e => getComputedStyle(e, '::after').content")
        == '" (Department for Children, Schools and Families)"'
    )
    # Where the text spells it out already ("... (WFSM)"), print adds nothing.
    page.goto(site_url + "exemplars/warrington-family-support-model/")
    page.emulate_media(media="print")
    wfsm = page.locator("abbr.ww-gloss[data-term=wfsm]")
    assert "ww-gloss--explained" in wfsm.get_attribute("class")
    assert wfsm.evaluate("e => getComputedStyle(e, '::after').content") == "none"
    page.close()
    # On paper.
    printed = squash(pdf_text(print_pdf(browser, site_url + "evidence/childrens-trusts-statutory-guidance-2008/")))
    assert "DCSF(DepartmentforChildren,SchoolsandFamilies)" in printed
    printed = squash(pdf_text(print_pdf(browser, site_url + "exemplars/warrington-family-support-model/")))
    assert "Model(WFSM)is" in printed
