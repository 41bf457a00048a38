"""Open data: the validated records as JSON and CSV, the vocabularies, and the JSON Schemas.

Everything here is derived from the records alone, never from the clock, so two builds of
the same content publish byte-for-byte the same files at the same stable addresses.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass

from .compare import cost_band
from .model import KINDS, Kind, Record
from .site import LICENCE, SITE_NAME, GeneratedFile, Site

# A spreadsheet would run a cell starting with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Download:
    path: str  # where it is published, from the site root
    title: str
    format: str
    description: str


DOWNLOADS = [
    Download(
        "data/exemplars.json",
        "Practice exemplars",
        "JSON",
        "Every practice exemplar, exactly as validated, with every field.",
    ),
    Download(
        "data/exemplars.csv",
        "Practice exemplars, one row each",
        "CSV",
        'One row per exemplar with flat columns, for spreadsheets. Lists are joined with "; ".',
    ),
    Download(
        "data/evidence.json",
        "Evidence summaries",
        "JSON",
        "Every evidence summary, exactly as validated, with every field.",
    ),
    Download("data/packs.json", "Session packs", "JSON", "Every session pack, exactly as validated, with every field."),
    Download(
        "data/vocabularies.json",
        "Vocabularies",
        "JSON",
        "The controlled vocabularies (themes, phases, countries, outcomes, rating levels and more): "
        "each term's id, as used in the records, with its label and description.",
    ),
] + [
    Download(
        f"schemas/{kind.schema_file}",
        f"JSON Schema: {kind.name}",
        "JSON Schema (draft 2020-12)",
        f"The schema every {kind.name} record follows, self-contained: shared parts and vocabularies are included.",
    )
    for kind in KINDS.values()
]


def _join(values) -> str:
    return "; ".join(values or [])


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    value: Callable[[Site, Record], object]


def _headline(site: Site, record: Record, field_name: str):
    figure = site.headline(record)
    return figure[field_name] if figure else None


def _band(site: Site, record: Record, field_name: str):
    band = cost_band(site, record)
    return getattr(band, field_name) if band else None


# The columns of exemplars.csv, in order. The /data/ page documents them from this list.
CSV_COLUMNS = [
    Column("id", "The record id; it is also the file name and the page address.", lambda s, r: r.id),
    Column("url", "The exemplar's page on this site.", lambda s, r: s.absolute(s.uri(r))),
    Column("title", "The name of the practice.", lambda s, r: r.data["title"]),
    Column("summary", "Two or three sentences on what it is.", lambda s, r: r.data["summary"]),
    Column("country", "Country (a term id from the countries vocabulary).", lambda s, r: r.data["place"]["country"]),
    Column("area", "Local authority, town or area, as the source names it.", lambda s, r: r.data["place"]["area"]),
    Column(
        "setting",
        "The school or setting, where the practice was in one place.",
        lambda s, r: r.data["place"].get("setting"),
    ),
    Column("period_as_stated", "When it ran, in the source's words.", lambda s, r: r.data["period"]["as_stated"]),
    Column(
        "period_start",
        "Start as YYYY, YYYY-MM or YYYY-MM-DD, if the source says.",
        lambda s, r: r.data["period"].get("start"),
    ),
    Column(
        "period_end", "End, likewise, if it has ended and the source says.", lambda s, r: r.data["period"].get("end")
    ),
    Column("phases", "Phases of education (term ids).", lambda s, r: _join(r.data["phases"])),
    Column("target_groups", "Who it was for (term ids).", lambda s, r: _join(r.data["target_groups"])),
    Column("themes", "Themes (term ids); the first is the main one.", lambda s, r: _join(r.data["themes"])),
    Column(
        "ecm_outcomes", "Every Child Matters outcomes (term ids).", lambda s, r: _join(r.data["outcomes"].get("ecm"))
    ),
    Column(
        "shanarri_indicators",
        "SHANARRI wellbeing indicators (term ids).",
        lambda s, r: _join(r.data["outcomes"].get("shanarri")),
    ),
    Column("reach_as_stated", "How many it reached, in the source's words.", lambda s, r: r.data["reach"]["as_stated"]),
    Column("reach_count", "The number reached, where the source gives one.", lambda s, r: r.data["reach"].get("count")),
    Column("reach_unit", "What reach_count counts.", lambda s, r: r.data["reach"].get("unit")),
    Column("cost_as_stated", "What it cost, in the source's words.", lambda s, r: r.data["cost"]["as_stated"]),
    Column(
        "cost_per_family_as_stated",
        "A cost per family, where the source states one, copied exactly.",
        lambda s, r: r.data["cost"].get("per_family_as_stated"),
    ),
    Column("cost_amount", "The total cost as a number, where stated.", lambda s, r: r.data["cost"].get("amount")),
    Column("cost_currency", "ISO 4217 currency of cost_amount.", lambda s, r: r.data["cost"].get("currency")),
    Column("cost_basis", "What the cost covers, if the source says.", lambda s, r: r.data["cost"].get("basis")),
    Column("cost_funding", "Who paid, if the source says.", lambda s, r: r.data["cost"].get("funding")),
    Column(
        "cost_band",
        "Cost band (a term id from cost-bands), where a cost per family is stated or can be worked out.",
        lambda s, r: _band(s, r, "term"),
    ),
    Column(
        "cost_band_per_family",
        "The cost per family the band is read from, in pounds.",
        lambda s, r: _band(s, r, "per_family"),
    ),
    Column(
        "cost_band_basis",
        "Whether that cost per family is stated by the source or worked out (total cost / families reached).",
        lambda s, r: _band(s, r, "basis"),
    ),
    Column(
        "headline_figure",
        "The headline outcome (the figure marked headline, else the first outcome), exactly as its source "
        "states it; empty when no outcome was measured.",
        lambda s, r: _headline(s, r, "value"),
    ),
    Column("headline_figure_measures", "What the headline figure measures.", lambda s, r: _headline(s, r, "measures")),
    Column(
        "figures_count",
        "How many figures the record gives (all are in the JSON).",
        lambda s, r: len(r.data["impact"]["figures"]),
    ),
    Column(
        "evidence_strength",
        "Strength of evidence, 0 to 4: that of the strongest study design behind the outcomes (see study-designs).",
        lambda s, r: s.strength(r),
    ),
    Column(
        "study_designs",
        "The study designs behind the outcome claims (term ids from study-designs).",
        lambda s, r: _join(r.data["evidence_rating"]["study_designs"]),
    ),
    Column(
        "checked",
        "Who checked it: the rating level (a term id from rating-levels), a separate signal from strength.",
        lambda s, r: r.data["evidence_rating"]["level"],
    ),
    Column("evidence_year", "The year of the newest evidence behind the outcomes.", lambda s, r: r.evidence_year),
    Column("rated_by", "Who assigned the rating level.", lambda s, r: r.data["evidence_rating"]["rated_by"]),
    Column("rated_on", "When the rating was given, if known.", lambda s, r: r.data["evidence_rating"].get("rated_on")),
    Column("related_evidence", "Ids of related evidence records.", lambda s, r: _join(r.data.get("related_evidence"))),
    Column(
        "sources",
        "Titles of the documents the record draws on.",
        lambda s, r: _join(src["title"] for src in r.data["sources"]),
    ),
    Column("former_ids", "Ids the record had before it was renamed.", lambda s, r: _join(r.data.get("former_ids"))),
    Column(
        "published", "When the record was first published here (YYYY-MM-DD).", lambda s, r: r.data["dates"]["published"]
    ),
    Column(
        "updated", "When the record last changed in substance (YYYY-MM-DD).", lambda s, r: r.data["dates"]["updated"]
    ),
]


def csv_cell(value) -> str:
    """A value as CSV text: empty for none; text that a spreadsheet would run as a formula gets a leading '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if isinstance(value, str) and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def _by_id(site: Site, kind: Kind) -> list[Record]:
    return sorted(site.corpus.records[kind.name].values(), key=lambda r: r.id)


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def records_json(site: Site, kind: Kind) -> str:
    records = _by_id(site, kind)
    return _json(
        {
            "title": kind.title,
            "description": kind.description,
            "publisher": SITE_NAME,
            "licence": LICENCE,
            "schema": site.absolute(f"schemas/{kind.schema_file}"),
            "page_url_template": site.absolute(f"{kind.folder}/") + "{id}/",
            "updated": max((r.data["dates"]["updated"] for r in records), default=None),
            "count": len(records),
            "records": [r.data for r in records],
        }
    )


def exemplars_csv(site: Site) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180 line endings
    writer.writerow([column.name for column in CSV_COLUMNS])
    for record in _by_id(site, KINDS["exemplar"]):
        writer.writerow([csv_cell(column.value(site, record)) for column in CSV_COLUMNS])
    # A byte-order mark, so that Excel reads the file as UTF-8 and shows £ correctly.
    return "\ufeff" + out.getvalue()


def vocabularies_json(site: Site) -> str:
    return _json(
        {
            "title": "Vocabularies",
            "licence": LICENCE,
            "vocabularies": {
                v.id: {
                    "title": v.title,
                    "description": v.description,
                    **({"notice": v.notice} if v.notice else {}),
                    "terms": list(v.terms.values()),
                }
                for v in site.vocab.values()
            },
        }
    )


def published_schema(site: Site, name: str) -> str:
    schema = site.corpus.schema_set.bundled(name)
    path = f"schemas/{name}.schema.json"
    return _json({"$schema": schema.pop("$schema"), "$id": site.absolute(path), **schema})


def render_exports(site: Site) -> list[GeneratedFile]:
    files = [GeneratedFile(f"data/{kind.folder}.json", records_json(site, kind)) for kind in KINDS.values()]
    files.append(GeneratedFile("data/exemplars.csv", exemplars_csv(site)))
    files.append(GeneratedFile("data/vocabularies.json", vocabularies_json(site)))
    files += [
        GeneratedFile(f"schemas/{kind.schema_file}", published_schema(site, kind.name), f"schemas/{kind.schema_file}")
        for kind in KINDS.values()
    ]
    return files
