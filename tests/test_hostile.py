"""Broken and hostile records: a clear error in bounded time and memory, or a safe page."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, copy_project, run_generator, serve

HOSTILE = FIXTURES / "hostile"
PAYLOADS = FIXTURES / "payloads"
MAX_SECONDS = 20  # "seconds, not minutes", with room for a busy shared machine
MAX_PEAK_MB = 150  # "tens of MB, not GB": the validator's own baseline is about 60 MB

# Run the validator and report its own peak memory on the last line of stderr.
_MEASURED = (
    "import resource, sys, time\n"
    "from generator.cli import main\n"
    "start = time.monotonic()\n"
    "code = main(sys.argv[1:])\n"
    "print(f'measured {time.monotonic() - start:.2f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}', file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def validate_measured(*paths: Path) -> tuple[int, str, float, float]:
    result = subprocess.run(
        [sys.executable, "-c", _MEASURED, "validate", *map(str, paths)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    seconds, peak = re.search(r"measured ([\d.]+) (\d+)", result.stderr).groups()
    assert "Traceback" not in result.stderr
    return result.returncode, result.stdout, float(seconds), float(peak)


# (file in tests/fixtures/hostile/exemplars, what the error must say, where it must point)
BROKEN = [
    ("syntax-error", "YAML syntax error", ":5:8: $:"),
    ("tab-indentation", "tabs for indentation", ":9:1: $:"),
    ("empty-file", "the file is empty", ":1:1: $:"),
    ("comments-only", "the file is empty", ":1:1: $:"),
    ("list-not-mapping", "a record is a mapping of fields, not a list", ":1:1: $:"),
    ("string-not-mapping", "a record is a mapping of fields, not text", ":1:1: $:"),
    ("duplicate-keys", "duplicate field 'title' (first given on line 4)", ":5:1: $.title:"),
    ("python-object-tag", "the tag !!python/object/apply:os.system is not allowed", ":4:8: $.title:"),
    ("python-name-tag", "the tag !!python/name:os.system is not allowed", ":21:6: $.why:"),
    ("merge-key", "merge keys (<<) are not allowed", ":11:3: $.place:"),
    ("billion-laughs", "anchors and aliases (&name, *name) are not allowed", ":2:7: $.lol1[0]:"),
    ("missing-required", "missing required field 'summary'", ":2:1: $:"),
    ("wrong-types", "Phases: expected a list, got text", ":15:9: $.phases:"),
    ("unknown-field-typo", "unknown field 'lesons'; did you mean 'lessons'?", ":48:1: $.lesons:"),
    ("outside-vocabulary", "'france' is not an allowed Country. Allowed: england, scotland", ":9:12: $.place.country:"),
    ("id-not-file-name", "the id 'a-different-id' must equal the file name", ":3:5: $.id:"),
    ("missing-reference", "there is no exemplar with the id 'no-such-practice'", ":50:21: $.related_exemplars[0]:"),
    ("impossible-date", "'2023-02-30' is not a real date", ":56:14: $.dates.published:"),
    ("negative-count-and-cost", "Amount: must not be negative, got -5", ":36:11: $.cost.amount:"),
    ("validated-without-rating-body", "missing required field 'basis'", ":37:3: $.evidence_rating:"),
    ("bidi-in-title", "invisible control character U+202E", ":4:8: $.title:"),
    ("bidi-in-id", "invisible control character U+202E", ":3:5: $.id:"),
]


@pytest.mark.parametrize("name, message, position", BROKEN, ids=[case[0] for case in BROKEN])
def test_broken_record_gets_a_clear_error_in_bounded_time_and_memory(name, message, position):
    path = HOSTILE / "exemplars" / f"{name}.yaml"
    code, stdout, seconds, peak_mb = validate_measured(path)
    assert code == 1
    lines = [line for line in stdout.splitlines() if f"tests/fixtures/hostile/exemplars/{name}.yaml{position}" in line]
    assert any(message in line for line in lines), stdout
    assert seconds < MAX_SECONDS and peak_mb < MAX_PEAK_MB, (seconds, peak_mb)


def test_duplicate_ids_across_kinds_are_reported():
    code, stdout, _, _ = validate_measured(HOSTILE)
    assert code == 1
    assert "duplicate-id-across-kinds.yaml:3:5: $.id: the id 'duplicate-id-across-kinds' is already used by" in stdout


def _generated_cases(folder: Path) -> dict[str, tuple[bytes, str]]:
    valid = (FIXTURES / "valid/exemplars/fixture-exemplar.yaml").read_text(encoding="utf-8")
    return {
        "several-megabytes": (b"title: x\n" + b"# padding\n" * 600_000, "a record may be at most 1,000,000 bytes"),
        "binary": (bytes(range(256)) * 64, "this is a binary file, not YAML text"),
        "latin-1": ("id: latin-1\ntitle: Caf\xe9 des parents\n".encode("latin-1"), "the file is not UTF-8 text"),
        "deep-nesting": (b"a: " + b"[" * 20_000 + b"]" * 20_000 + b"\n", "nested too deeply"),
        "too-many-values": (
            b"themes:\n" + b"".join(b"  - t%d\n" % i for i in range(25_000)),
            "more than 20,000 values",
        ),
        "enormous-string": (
            valid.replace("id: fixture-exemplar", "id: enormous-string")
            .replace("what_was_done: A worker met parents every week.", "what_was_done: " + "very " * 150_000 + "long")
            .encode(),
            "What was done: too long, 750,004 characters; at most 20,000 allowed",
        ),
        "huge-number": (
            valid.replace("id: fixture-exemplar", "id: huge-number")
            .replace("  count: 12", "  count: " + "9" * 5000)
            .encode(),
            "cannot read this value",
        ),
    }


@pytest.mark.parametrize("name", list(_generated_cases(Path("."))))
def test_generated_hostile_files_fail_cleanly(tmp_path, name):
    content, message = _generated_cases(tmp_path)[name]
    path = tmp_path / "exemplars" / f"{name}.yaml"
    path.parent.mkdir()
    path.write_bytes(content)
    code, stdout, seconds, peak_mb = validate_measured(path)
    assert code == 1
    assert f"{name}.yaml:" in stdout and message in stdout, stdout[:500]
    assert seconds < MAX_SECONDS and peak_mb < MAX_PEAK_MB, (seconds, peak_mb)


@pytest.mark.parametrize("transform", ["byte-order-mark", "windows-line-endings"])
def test_unusual_but_valid_encodings_are_accepted(tmp_path, transform):
    text = (FIXTURES / "valid/exemplars/fixture-exemplar.yaml").read_text(encoding="utf-8")
    raw = text.encode("utf-8")
    raw = b"\xef\xbb\xbf" + raw if transform == "byte-order-mark" else raw.replace(b"\n", b"\r\n")
    path = tmp_path / "exemplars" / "fixture-exemplar.yaml"
    path.parent.mkdir()
    path.write_bytes(raw)
    code, stdout, _, _ = validate_measured(path)
    assert code == 0, stdout


# --- Payloads: valid records full of markup and script must render as text ---------


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("payload-project"))
    for kind in ("exemplars", "evidence"):
        for path in (PAYLOADS / kind).glob("*.yaml"):
            shutil.copy(path, project / "content" / kind / path.name)
    site = project / "site"
    result = run_generator("--root", str(project), "build", "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    return site


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


@pytest.mark.parametrize(
    "page_path", ["exemplars/payload-exemplar", "evidence/payload-evidence", "themes/attendance", "exemplars"]
)
def test_payload_markup_never_becomes_elements_in_the_built_html(payload_site, page_path):
    page = (payload_site / page_path / "index.html").read_text(encoding="utf-8")
    head, body = page.split("</head>")
    assert "<script>alert" not in head  # Material prints the title and description unescaped
    parser = _Elements()
    parser.feed(body.split("<h1")[1].split("</article>")[0])  # the generated content
    for tag, attrs in parser.elements:
        if tag == "details":  # the templates' own disclosures, never one from a record
            assert attrs.get("class") in {"ww-passage-details", "ww-more", "ww-bibtex-details"}, attrs
            continue
        if tag == "script" and attrs == {"type": "application/ld+json"}:
            continue  # the page's own JSON-LD; test_discovery checks nothing breaks out of it
        assert tag not in {
            "script",
            "iframe",
            "object",
            "embed",
            "form",
            "meta",
            "link",
            "style",
            "svg",
            "img",
            "details",
            "math",
        }, tag
        assert not any(name.startswith("on") or name == "style" for name in attrs), (tag, attrs)
        for name in ("href", "src"):
            assert not re.match(r"\s*(javascript|data|vbscript):", attrs.get(name) or "", re.I), (tag, attrs)


def test_nothing_from_a_payload_executes_in_the_browser(payload_site, browser):
    """Every page of a site built with payload records: no dialog, no script error, no stray request."""
    with serve(payload_site) as base:
        problems = _visit_every_page(browser, payload_site, base)
    assert problems == []


def _visit_every_page(browser, site: Path, base: str) -> list[str]:
    problems: list[str] = []
    context = browser.new_context()
    context.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    context.on(
        "request", lambda request: None if request.url.startswith(base) else problems.append(f"request: {request.url}")
    )
    page = context.new_page()
    page.on(
        "console",
        lambda message: problems.append(f"console {message.type}: {message.text}") if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    try:
        pages = sorted(p.relative_to(site).parent.as_posix() for p in site.rglob("index.html"))
        assert len(pages) > 60
        for path in pages:
            page.goto(base + ("" if path == "." else path + "/"), wait_until="load")
            injected = page.evaluate(r"""() => {
                // Anything a payload could have smuggled in: inline handlers, script-bearing
                // links, and elements (or styles) that carry the payloads' markers.
                const found = [];
                const marked = (text) => /alert\(|evil\.example|onerror|onload/i.test(text || '');
                for (const el of document.querySelectorAll('article *')) {
                    for (const attr of el.attributes) {
                        if (attr.name.startsWith('on')) found.push(el.tagName + ' ' + attr.name);
                        if (attr.name === 'style' && marked(attr.value)) found.push(el.tagName + ' style ' + attr.value);
                        if ((attr.name === 'href' || attr.name === 'src' || attr.name === 'action') && /^\s*(javascript|data|vbscript):/i.test(attr.value)) found.push(el.tagName + ' ' + attr.value);
                    }
                    // JSON-LD is data, not script; its own test checks nothing breaks out of it.
                    const data = el.tagName === 'SCRIPT' && el.type === 'application/ld+json';
                    if (!data && ['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'FORM', 'STYLE', 'LINK', 'META', 'IMG', 'SVG'].includes(el.tagName)
                        && marked(el.outerHTML)) found.push(el.tagName + ' ' + el.outerHTML.slice(0, 80));
                }
                return found;
            }""")
            problems.extend(f"{path}: {item}" for item in injected)
        # The payload is visible as text, not run.
        page.goto(base + "exemplars/payload-exemplar/")
        assert "<script>alert('title')</script>" in page.locator("h1").inner_text()
        assert "{{ 7*7 }}" in page.locator("h1").inner_text()
        # Material's header search renders indexed text: search for the payload too.
        page.locator(".md-search__input").click()
        page.keyboard.type("payload", delay=30)
        page.wait_for_selector(".md-search-result__item", timeout=15_000)
        page.wait_for_timeout(500)
    finally:
        context.close()
    return problems


@pytest.mark.slow
def test_the_same_content_builds_byte_identical_sites(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    for out in (first, second):
        result = run_generator("build", "--site-dir", str(out))
        assert result.returncode == 0, result.stderr
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    different = [str(f) for f in files if (first / f).read_bytes() != (second / f).read_bytes()]
    assert different == []
