"""schema.org JSON-LD for record pages, so search engines and catalogues can read what a page is.

The JSON sits in a <script> element inside the page, and record text comes from people we do
not know: <, > and & are written as JSON \\u escapes, so no text can close the element early.
"""

from __future__ import annotations

import json

from markupsafe import Markup

from .compare import place
from .model import Record
from .site import EDITORS, LICENCE, SITE_NAME, Site

# The schema.org type of the document an evidence record summarises.
SOURCE_TYPES = {
    "research-brief": "Report",
    "evaluation": "Report",
    "survey": "Report",
    "review": "ScholarlyArticle",
    "inspection-report": "Report",
    "news-report": "NewsArticle",
}
_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script(data: dict) -> Markup:
    """The JSON-LD element, on one line (a blank line would end the raw HTML in the page's Markdown)."""
    text = json.dumps(data, ensure_ascii=False)
    for char, escape in _ESCAPES.items():
        text = text.replace(char, escape)
    return Markup(f'<script type="application/ld+json">{text}</script>')


def _organisation(name: str, url: str | None = None) -> dict:
    return {"@type": "Organization", "name": name, **({"url": url} if url else {})}


def _source(source: dict, kind: str = "CreativeWork") -> dict:
    work = {"@type": kind, "name": source["title"], "publisher": _organisation(source["publisher"])}
    if source.get("authors"):
        work["author"] = [{"@type": "Person", "name": name} for name in source["authors"]]
    if source.get("date"):
        work["datePublished"] = source["date"]
    if source.get("url"):
        work["url"] = source["url"]
    return work


def _terms(site: Site, record: Record) -> list[dict]:
    """Themes and outcome terms as schema.org DefinedTerms, each linked to its page on the site."""
    tagged = [("themes", t) for t in record.data["themes"]]
    outcomes = record.data.get("outcomes", {})
    tagged += [("ecm-outcomes", t) for t in outcomes.get("ecm", [])] + [
        ("shanarri", t) for t in outcomes.get("shanarri", [])
    ]
    return [
        {
            "@type": "DefinedTerm",
            "name": site.label(vocabulary, term),
            "termCode": term,
            "url": site.absolute(site.term_uri(vocabulary, term)),
            "inDefinedTermSet": site.vocab[vocabulary].title,
        }
        for vocabulary, term in tagged
    ]


def _page(site: Site, record: Record, kind: str) -> dict:
    data = record.data
    url = site.absolute(site.uri(record))
    return {
        "@context": "https://schema.org",
        "@type": kind,
        "@id": url,
        "url": url,
        "name": data["title"],
        "description": data["summary"],
        "genre": site.kind_label(record),
        "inLanguage": "en-GB",
        "datePublished": data["dates"]["published"],
        "dateModified": data["dates"]["updated"],
        "license": LICENCE["url"],
        "author": _organisation(EDITORS),
        "publisher": _organisation(SITE_NAME, site.url),
        "isPartOf": {"@type": "WebSite", "name": SITE_NAME, "url": site.url},
        "about": _terms(site, record),
        "keywords": [site.label("themes", t) for t in data["themes"]],
    }


def exemplar(site: Site, record: Record) -> dict:
    data = record.data
    page = _page(site, record, "CreativeWork")
    page["spatialCoverage"] = {"@type": "Place", "name": place(site, record)}
    period = data["period"]
    if "start" in period:
        page["temporalCoverage"] = f"{period['start']}/{period.get('end', '..')}"  # ISO 8601 interval, open if ongoing
    page["audience"] = [
        {"@type": "Audience", "audienceType": site.label("target-groups", g)} for g in data["target_groups"]
    ]
    page["isBasedOn"] = [_source(s) for s in data["sources"]]
    page["citation"] = [
        {"@type": "CreativeWork", "name": e.data["title"], "url": site.absolute(site.uri(e))}
        for e in site.evidence_for(record)
    ]
    return page


def evidence(site: Site, record: Record) -> dict:
    data = record.data
    page = _page(site, record, "CreativeWork")
    if data.get("countries"):
        page["spatialCoverage"] = [{"@type": "Place", "name": site.label("countries", c)} for c in data["countries"]]
    document = _source(data["source"], SOURCE_TYPES.get(data["type"], "CreativeWork"))
    page["isBasedOn"] = document
    page["citation"] = document
    return page


def pack(site: Site, record: Record) -> dict:
    data = record.data
    page = _page(site, record, "LearningResource")
    page["learningResourceType"] = "Session plan"
    page["educationalUse"] = "Staff development"
    page["timeRequired"] = f"PT{data['duration_minutes']}M"
    page["audience"] = {"@type": "EducationalAudience", "educationalRole": data["audience"]}
    page["teaches"] = data["aims"]
    page["hasPart"] = [
        {"@type": "CreativeWork", "name": r.data["title"], "url": site.absolute(site.uri(r))}
        for r in site.pack_records(record)
    ]
    return page


def json_ld(site: Site, record: Record) -> Markup:
    describe = DESCRIBERS.get(record.kind.name, lambda site, record: _page(site, record, "CreativeWork"))
    return script(describe(site, record))


# What schema.org says of each kind of record, beyond what every record page says (_page).
DESCRIBERS = {"exemplar": exemplar, "evidence": evidence, "pack": pack}
