"""Open data: the downloads parse, hold every record exactly as its YAML file says, follow
the published schemas, and come out the same on every build."""

import csv
import io
import json
import re

import jsonschema
import pytest
import yaml
from test_site import parse, text_of

from conftest import ROOT, run_generator

KINDS = {"exemplars": "exemplar", "evidence": "evidence", "packs": "pack"}
YAML = {
    kind: {
        p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "content" / kind).glob("*.yaml"))
    }
    for kind in KINDS
}
SITE_URL = yaml.safe_load((ROOT / "mkdocs.yml").read_text())["site_url"]


def download(site_dir, path):
    return json.loads((site_dir / path).read_text(encoding="utf-8"))


@pytest.mark.parametrize("kind", KINDS)
def test_json_download_holds_every_record_exactly(site_dir, kind):
    published = download(site_dir, f"data/{kind}.json")
    assert published["count"] == len(YAML[kind]) == len(published["records"])
    assert [r["id"] for r in published["records"]] == sorted(YAML[kind])
    for record in published["records"]:
        assert record == YAML[kind][record["id"]]
    assert published["licence"]["id"] == "CC-BY-4.0"
    assert published["schema"] == f"{SITE_URL}schemas/{KINDS[kind]}.schema.json"
    assert published["page_url_template"].format(id="x") == f"{SITE_URL}{kind}/x/"


@pytest.mark.parametrize("kind", KINDS)
def test_published_schemas_validate_the_downloads_with_plain_jsonschema(site_dir, kind):
    schema = download(site_dir, f"schemas/{KINDS[kind]}.schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    refs = re.findall(r'"\$ref": "([^"]*)"', json.dumps(schema))
    assert refs and all(ref.startswith("#/$defs/") for ref in refs), "the published schema must be self-contained"
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for record in download(site_dir, f"data/{kind}.json")["records"]:
        errors = [e.message for e in validator.iter_errors(record)]
        assert errors == [], f"{record['id']}: {errors}"
    # Not vacuous: the vocabularies travel with the schema, so a misspelt theme fails.
    broken = dict(download(site_dir, f"data/{kind}.json")["records"][0], themes=["attendence"])
    assert not validator.is_valid(broken)


def test_csv_has_one_row_per_exemplar_with_its_values(site_dir):
    raw = (site_dir / "data/exemplars.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "a byte-order mark, so that spreadsheets read UTF-8"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert sorted(r["id"] for r in rows) == sorted(YAML["exemplars"])
    for row in rows:
        data = YAML["exemplars"][row["id"]]
        figures = data["impact"]["figures"]
        # The headline outcome: the figure marked as headline, else the first outcome.
        headline = next((f for f in figures if f.get("headline")), None) or next(
            (f for f in figures if f["kind"] == "outcome"), None
        )
        expected = {
            "url": f"{SITE_URL}exemplars/{data['id']}/",
            "title": data["title"],
            "country": data["place"]["country"],
            "area": data["place"]["area"],
            "setting": data["place"].get("setting", ""),
            "period_start": data["period"].get("start", ""),
            "phases": "; ".join(data["phases"]),
            "themes": "; ".join(data["themes"]),
            "reach_as_stated": data["reach"]["as_stated"],
            "reach_count": str(data["reach"].get("count", "")),
            "cost_as_stated": data["cost"]["as_stated"],
            "cost_per_family_as_stated": data["cost"].get("per_family_as_stated", ""),
            "cost_amount": str(data["cost"].get("amount", "")),
            "headline_figure": headline["value"] if headline else "",
            "figures_count": str(len(data["impact"]["figures"])),
            "checked": data["evidence_rating"]["level"],
            "study_designs": "; ".join(data["evidence_rating"]["study_designs"]),
            "updated": data["dates"]["updated"],
        }
        for column, value in expected.items():
            assert row[column] == value, f"{row['id']}: {column}"


def test_csv_cells_cannot_run_as_spreadsheet_formulas():
    from generator.exports import csv_cell

    assert csv_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert csv_cell("-1 family") == "'-1 family"
    assert csv_cell(158000) == "158000"
    assert csv_cell(None) == ""


def test_vocabularies_download_labels_every_term_used(site_dir):
    vocabularies = download(site_dir, "data/vocabularies.json")["vocabularies"]
    themes = {t["id"] for t in vocabularies["themes"]["terms"]}
    for data in YAML["exemplars"].values():
        assert set(data["themes"]) <= themes


def test_data_page_documents_downloads_columns_and_licence(site_dir):
    from generator.exports import CSV_COLUMNS

    text = text_of(site_dir, "data")
    links = parse(site_dir / "data/index.html").links
    linked = {(site_dir / "data" / link).resolve() for link in links if "://" not in link}
    for path in (
        "data/exemplars.json",
        "data/evidence.json",
        "data/packs.json",
        "data/exemplars.csv",
        "schemas/exemplar.schema.json",
        "schemas/evidence.schema.json",
        "schemas/pack.schema.json",
        "feed.xml",
    ):
        assert (site_dir / path).resolve() in linked and (site_dir / path).is_file(), path
    header = next(csv.reader(io.StringIO((site_dir / "data/exemplars.csv").read_text(encoding="utf-8-sig"))))
    assert header == [c.name for c in CSV_COLUMNS]
    for column in header:
        assert column in text
    for field in YAML["exemplars"]["warrington-family-support-model"]:
        assert field in text
    assert "CC BY 4.0" in text and "https://creativecommons.org/licenses/by/4.0/" in links
    assert "MIT" in text_of(site_dir, "licence")


@pytest.mark.slow
def test_generated_files_are_the_same_on_every_build(tmp_path):
    """Nothing depends on the clock: two renders give byte-for-byte the same data, feed and pages."""
    outputs = []
    for name in ("one", "two"):
        result = run_generator("render", "--out", str(tmp_path / name))
        assert result.returncode == 0, result.stderr
        outputs.append(
            {p.relative_to(tmp_path / name): p.read_bytes() for p in (tmp_path / name).rglob("*") if p.is_file()}
        )
    assert outputs[0] == outputs[1]
    assert any(str(path) == "feed.xml" for path in outputs[0])
