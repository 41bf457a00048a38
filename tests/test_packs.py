"""Session packs: the records are real, the timings add up, the pages read as session plans,
and every figure or quotation in a pack comes from the sources."""

import html
import re

import pytest
import yaml
from test_site import parse, text_of

from conftest import ROOT

PACKS = {
    p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "content" / "packs").glob("*.yaml"))
}
EXEMPLARS = {
    p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (ROOT / "content" / "exemplars").glob("*.yaml")
}
EVIDENCE = {
    p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (ROOT / "content" / "evidence").glob("*.yaml")
}


def clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def test_at_least_four_packs_ship():
    assert len(PACKS) >= 4


@pytest.mark.parametrize("pack_id", sorted(PACKS))
def test_pack_refers_only_to_real_records(pack_id):
    pack = PACKS[pack_id]
    folders = {"exemplar": EXEMPLARS, "evidence": EVIDENCE}
    listed = [item["id"] for item in pack["records"]]
    for item in pack["records"]:
        assert item["id"] in folders[item["kind"]], f"{pack_id}: no {item['kind']} {item['id']}"
    assert len(listed) == len(set(listed))
    assert any(item["kind"] == "exemplar" for item in pack["records"])
    for activity in pack["activities"]:
        assert set(activity.get("uses", [])) <= set(listed)


@pytest.mark.parametrize("pack_id", sorted(PACKS))
def test_pack_timings_add_up_to_its_duration(pack_id):
    pack = PACKS[pack_id]
    assert sum(activity["minutes"] for activity in pack["activities"]) == pack["duration_minutes"]


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key not in ("minutes", "duration_minutes", "dates", "date", "quotation", "sources"):
                yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)


@pytest.mark.parametrize("pack_id", sorted(PACKS))
def test_pack_text_introduces_no_figure_that_its_records_do_not_state(pack_id):
    """Our own words carry no numbers of their own: any figure in a pack's text is stated in
    a source passage, a figure or a quotation of a record the pack uses, or in its own quotations."""
    pack = PACKS[pack_id]
    used = [EXEMPLARS.get(item["id"]) or EVIDENCE[item["id"]] for item in pack["records"]]
    stated = " ".join(_stated(record) for record in used)
    stated += " " + " ".join(a["quotation"]["text"] for a in pack["activities"] if "quotation" in a)
    stated = " ".join(stated.split())
    figures = re.findall(r"£?\d[\d,.]*(?:%| per cent)?", " ".join(_strings(pack)))
    for figure in figures:
        assert figure.rstrip(".,") in stated, f"{pack_id}: {figure!r} is not stated by the records it uses"


def _stated(record: dict) -> str:
    """Everything a record gives as a source's words or as a figure."""
    parts = [f["as_stated"] + " " + f["value"] for f in record.get("impact", {}).get("figures", [])]
    parts += [q["text"] for q in record.get("quotations", [])]
    parts += [record.get(k, {}).get("as_stated", "") for k in ("reach", "cost", "period")]
    parts += record.get("key_findings", []) + [record.get("summary", "")]
    return " ".join(parts)


@pytest.mark.parametrize("pack_id", sorted(PACKS))
def test_pack_page_reads_as_a_session_plan_then_a_handout(site_dir, pack_id):
    pack = PACKS[pack_id]
    text = text_of(site_dir, f"packs/{pack_id}")
    order = [
        "Audience",
        "Duration",
        "Aims",
        "Running order",
        "Facilitator notes",
        "Activities",
        "Practice and evidence used",
        "Cite this page",
    ]
    positions = [text.index(heading) for heading in order]
    assert positions == sorted(positions), order
    assert re.sub(r"\s+", " ", pack["audience"]).strip() in text
    assert f"{pack['duration_minutes']} minutes" in text
    for aim in pack["aims"]:
        assert aim in text
    for activity in pack["activities"]:
        assert html.unescape(activity["title"]) in text
        for prompt in activity.get("prompts", []):
            assert prompt in text


@pytest.mark.parametrize("pack_id", sorted(PACKS))
def test_running_order_shows_each_activity_with_its_times(site_dir, pack_id):
    markup = (site_dir / f"packs/{pack_id}/index.html").read_text(encoding="utf-8")
    table = markup.split('class="ww-table-wrap ww-running-order"')[1].split("</table>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1].split("</tbody>")[0], re.S)
    pack = PACKS[pack_id]
    assert len(rows) == len(pack["activities"])
    start = 0
    for row, activity in zip(rows, pack["activities"], strict=True):
        cells = [
            html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        assert cells[0] == f"{clock(start)}–{clock(start + activity['minutes'])}"
        assert cells[1] == str(activity["minutes"])
        assert activity["title"] in cells[2]
        start += activity["minutes"]
    assert f"Ends at {clock(pack['duration_minutes'])}" in html.unescape(table)


@pytest.mark.parametrize("pack_id", sorted(PACKS))
def test_pack_handout_gives_each_record_in_order_with_summary_and_questions(site_dir, pack_id):
    handout = text_of(site_dir, f"packs/{pack_id}/handout")
    position = 0
    for item in PACKS[pack_id]["records"]:
        record = (EXEMPLARS if item["kind"] == "exemplar" else EVIDENCE)[item["id"]]
        title_at = handout.index(re.sub(r"\s+", " ", record["title"]), position)
        assert title_at >= position, f"{item['id']} is out of order"
        position = title_at
        assert re.sub(r"\s+", " ", record["summary"]).strip() in handout
        for question in record.get("reflective_questions", {}).get("questions", []):
            assert question in handout
        for figure in record.get("impact", {}).get("figures", []):
            assert re.sub(r"\s+", " ", figure["measures"]).strip() in handout
    links = parse(site_dir / f"packs/{pack_id}/handout/index.html").links
    for item in PACKS[pack_id]["records"]:
        folder = "exemplars" if item["kind"] == "exemplar" else "evidence"
        assert f"../../../{folder}/{item['id']}/" in links


@pytest.mark.parametrize("pack_id", sorted(PACKS))
def test_participants_handout_leaves_out_the_facilitators_material(site_dir, pack_id):
    pack = PACKS[pack_id]
    handout = text_of(site_dir, f"packs/{pack_id}/handout")
    assert "Facilitator notes" not in handout and "Running order" not in handout
    for item in pack["records"]:
        if "note" in item:
            assert re.sub(r"\s+", " ", item["note"]).strip() not in handout
    for activity in pack["activities"]:
        for prompt in activity.get("prompts", []):
            assert prompt not in handout
    plan_links = parse(site_dir / f"packs/{pack_id}/index.html").links
    assert "handout/" in plan_links and "present/" in plan_links


@pytest.mark.parametrize("pack_id", sorted(PACKS))
def test_present_page_has_one_screen_per_activity_with_its_minutes(site_dir, pack_id):
    markup = (site_dir / f"packs/{pack_id}/present/index.html").read_text(encoding="utf-8")
    minutes = re.findall(r'class="ww-slide" data-minutes="(\d+)"', markup)
    assert [int(m) for m in minutes] == [a["minutes"] for a in PACKS[pack_id]["activities"]]
    assert "assets/present.js" in markup


def test_packs_index_lists_every_pack_and_records_link_back(site_dir):
    links = parse(site_dir / "packs/index.html").links
    for pack_id, pack in PACKS.items():
        assert f"{pack_id}/" in links
        for item in pack["records"]:
            folder = "exemplars" if item["kind"] == "exemplar" else "evidence"
            assert f"../../packs/{pack_id}/" in parse(site_dir / folder / item["id"] / "index.html").links
    theme_links = parse(site_dir / f"themes/{PACKS[sorted(PACKS)[0]]['themes'][0]}/index.html").links
    assert f"../../packs/{sorted(PACKS)[0]}/" in theme_links
