"""What it takes to run a practice: staff (with changes over time), training, funding and how
secure it is, set-up, partners, governance, the referral route and the measures used; and
the cost band, worked out only from figures the record states."""

import html as html_module
import re

import yaml
from test_site import text_of

from conftest import ROOT, copy_project, real_corpus
from generator.render import environment
from generator.site import Site
from generator.validate import check_project

ROWS = (
    "Staff",
    "Training",
    "Funding",
    "How secure the funding is",
    "Setting it up",
    "Partners",
    "Governance",
    "How families are referred",
    "Measures of progress",
)


def _section(text: str) -> str:
    return text.split("What it takes", 1)[1].split("Evidence rating", 1)[0]


def test_every_shipped_exemplar_says_what_it_takes_and_what_its_source_leaves_out(site_dir):
    for record in real_corpus().exemplars.values():
        assert "what_it_takes" in record.data, f"{record.id} has no What it takes section"
        section = _section(text_of(site_dir, f"exemplars/{record.id}"))
        unstated = re.search(r"Not stated in the source: ([^.]*)\.", section)
        named = unstated.group(1).split(", ") if unstated else []
        for row in ROWS:
            # Each row is either in the box or named in the one line of what is not stated.
            assert (row in section) != (row.lower() in named), (record.id, row)
        takes = record.data["what_it_takes"]
        assert ("governance" in named) == ("governance" not in takes), record.id
        for row in ("Run by", "Cost", "Reach"):
            assert row in section, (record.id, row)


def test_the_sections_say_what_each_source_says(site_dir):
    new_cumnock = _section(text_of(site_dir, "exemplars/new-cumnock-home-school-link-practitioner"))
    assert "Home-School Link Practitioner: full time" in new_cumnock
    assert "Pupil Equity Funding" in new_cumnock
    assert "Wellbeing Web" in new_cumnock and "When a child is referred" in new_cumnock
    merseyside = _section(text_of(site_dir, "exemplars/school-home-support-liverpool-sefton"))
    assert "two terms" in merseyside, "how secure the funding is"
    assert "Persistent absence rate" in merseyside


def _project_with(tmp_path, change):
    project = copy_project(tmp_path / "project")
    path = project / "content" / "exemplars" / "nottingham-parent-counsellor.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return project


def _home_link_team(data):
    """A contributor's home-link team, as the issue describes it: eleven workers cut to eight
    plus a manager, funding renewed year by year, referral by schools, six kinds of measure."""
    data["sources"].append(
        {"id": "council-report", "title": "Home Link service review", "publisher": "A county council"}
    )
    data["what_it_takes"] = {
        "source": "council-report",
        "staff": [
            {
                "role": "Home Link Worker",
                "number": "eleven",
                "when": "2019",
                "as_stated": "The service began with eleven Home Link Workers.",
                "changes": [
                    {
                        "when": "2021",
                        "number": "eight",
                        "as_stated": "From 2021 the team was reduced to eight workers.",
                        "reason": "The council's grant was cut.",
                    }
                ],
            },
            {"role": "Manager", "number": "one", "as_stated": "one manager leads the team"},
        ],
        "funding": {"who_pays": "The council's early help budget.", "security": "Renewed one year at a time."},
        "referral": "Schools refer families through a single form to the team's duty worker.",
        "measures": [
            {"name": "Attendance", "what_it_measures": "Each child's attendance", "how_often": "Every half term"},
            {"name": "Exclusions", "what_it_measures": "Fixed-term exclusions", "how_often": "Every term"},
            {"name": "Family star", "what_it_measures": "The family's own view of progress"},
        ],
    }


def test_a_staffing_change_funding_referral_and_several_measures_need_no_free_text(tmp_path):
    result = check_project(_project_with(tmp_path, _home_link_team))
    assert result.ok, [p.message for p in result.problems]
    record = result.corpus.exemplars["nottingham-parent-counsellor"]
    site = Site(result.corpus, "https://example.org/")
    html = environment(site).get_template("what_it_takes.html.j2").render(site=site, record=record, link=str)
    text = html_module.unescape(re.sub(r"<[^>]+>", "", html))
    assert "Home Link Worker: eleven (2019)" in text
    assert "then eight (2021): The council's grant was cut." in text
    assert "Manager: one" in text
    assert "Renewed one year at a time." in text
    assert "Every half term" in text
    assert "Not stated in the source: training, setting it up, partners, governance." in text


def test_a_staff_number_not_in_its_passage_is_refused_naming_the_field(tmp_path):
    def change(data):
        _home_link_team(data)
        data["what_it_takes"]["staff"][0]["changes"][0]["number"] = "seven"

    result = check_project(_project_with(tmp_path, change))
    messages = [(p.path, p.message) for p in result.problems]
    assert len(messages) == 1, messages
    path, message = messages[0]
    assert path == "$.what_it_takes.staff[0].changes[0].number", messages
    assert "'seven' (Home Link Worker) is not in its source passage" in message


def test_an_unknown_source_in_the_section_is_refused(tmp_path):
    def change(data):
        _home_link_team(data)
        data["what_it_takes"]["source"] = "council-reprot"

    result = check_project(_project_with(tmp_path, change))
    assert any("'council-reprot' is not the id of an entry in sources" in p.message for p in result.problems)


def test_cost_bands_come_only_from_a_stated_or_worked_out_cost_per_family(site_dir):
    stated = text_of(site_dir, "exemplars/central-learning-partnership-parent-support-workers")
    assert "Cost band 1 of 5: very low" in stated
    assert "from £73 per family (stated)" in stated
    worked_out = text_of(site_dir, "exemplars/warrington-family-support-model")
    assert "Cost band 2 of 5: low" in worked_out
    assert "(worked out: £158,000 / 529 families = £298.68 per family)" in worked_out
    for record in ("enable-eastbank-academy", "new-cumnock-home-school-link-practitioner"):
        assert "Cost band " not in text_of(site_dir, f"exemplars/{record}"), record
    compare = text_of(site_dir, "compare")
    assert "Band 2 of 5: low" in compare and "Band 1 of 5: very low" in compare
    ratings = text_of(site_dir, "ratings")
    assert "1 of 5: very low" in ratings and "5 of 5: very high" in ratings


def test_a_cost_per_family_not_in_its_passage_is_refused(tmp_path):
    def change(data):
        data["cost"] = {
            "as_stated": "The service cost £90 per family.",
            "per_family_as_stated": "£90 per family",
            "per_family_amount": 80,
            "currency": "GBP",
            "source": "c4eo-final-summary",
        }

    result = check_project(_project_with(tmp_path, change))
    assert [p.message for p in result.problems] == [
        "the cost per family 80 is not in the cost per family as stated; "
        "give per_family_as_stated, copied from the source, with this number in it"
    ]


def test_the_schema_documents_the_section():
    schema = (ROOT / "schemas" / "exemplar.schema.json").read_text(encoding="utf-8")
    for field in ("what_it_takes", "staff_change", "how_often", "per_family_amount"):
        assert field in schema
