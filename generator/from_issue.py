"""`from-issue`: a "Share a project" issue's answers as a new exemplar, ready for an editor.

GitHub writes a submitted issue form as Markdown: each question's label as a `### `
heading, then the answer, or "_No response_". The answers fill the fields they answer
exactly; everything else stays a TODO placeholder, as `new` writes it, and every answer is
also kept at the top of the file as comments, so the editor sees what the contributor said.
"""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import LiteralScalarString

from .model import Corpus
from .scaffold import ScaffoldError, scaffold

# The form's questions (.github/ISSUE_TEMPLATE/share-a-project.yml): id -> label, the
# heading GitHub gives its answer. tests/test_from_issue.py checks that they match the form.
LABELS = {
    "title": "Name of the project",
    "organisations": "Who ran it",
    "place": "Where",
    "period": "When it ran",
    "for-whom": "Who it was for",
    "what": "What was done",
    "why": "Why it was needed",
    "resources": "What it took",
    "measured": "How progress was measured",
    "impact": "What difference it made",
    "reach-cost": "How many it reached, and what it cost",
    "evaluation": "Has anyone outside the project checked the results?",
    "lessons": "Lessons",
    "questions": "Questions for other practitioners",
    "sources": "Sources",
    "credit": "How to credit you",
}
# Answers that say "nothing known": the field stays a placeholder.
UNKNOWN = {"", "_no response_", "don't know", "dont know", "do not know", "not known", "not measured", "no credit"}
# The evaluation question's answer -> who checked it, where the answer settles it.
OWN_FIGURES = "No, these are our own figures"
PROPOSED_LEVEL = {OWN_FIGURES: "emerging"}


def answers(body: str) -> dict[str, str]:
    """Each `### Label` heading's answer, by label."""
    found: dict[str, str] = {}
    label = None
    lines: list[str] = []
    for line in body.replace("\r\n", "\n").split("\n"):
        heading = re.match(r"###\s+(.+?)\s*$", line)
        if heading:
            if label is not None:
                found[label] = "\n".join(lines).strip()
            label, lines = heading.group(1), []
        elif label is not None:
            lines.append(line)
    if label is not None:
        found[label] = "\n".join(lines).strip()
    return found


def _known(text: str) -> str | None:
    return None if text.strip().lower().rstrip(".") in UNKNOWN else text.strip()


def _items(text: str) -> list[str]:
    """A list answer's items: one per bullet or line, bullets and numbers removed."""
    return [re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", line).strip() for line in text.split("\n") if line.strip()]


def _text(text: str) -> str | LiteralScalarString:
    return LiteralScalarString(text + "\n") if "\n" in text else text


def record_from_issue(corpus: Corpus, body: str, today: datetime.date) -> tuple[Path, str]:
    """The path and text of a new exemplar made from an issue body."""
    given = answers(body)
    answer = {form_id: _known(given.get(label, "")) for form_id, label in LABELS.items()}
    if not answer["title"]:
        raise ScaffoldError(f"the issue has no project name: no answer under '### {LABELS['title']}'")
    path, text = scaffold(corpus, "exemplar", answer["title"], today)

    yaml = YAML()
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)  # as `new` writes lists
    record = yaml.load(text)
    if answer["period"]:
        record["period"]["as_stated"] = answer["period"]
    if answer["what"]:
        record["what_was_done"] = _text(answer["what"])
    if answer["why"]:
        record["why"] = _text(answer["why"])
    if answer["place"]:
        countries = corpus.vocabularies["countries"].terms
        country = next((t for t, term in countries.items() if term["label"].lower() in answer["place"].lower()), None)
        if country:
            record["place"]["country"] = country
    if answer["lessons"]:
        record["lessons"] = _items(answer["lessons"])
    questions = [q for q in _items(answer["questions"] or "") if q.endswith("?")]
    if questions:
        placeholders = record["reflective_questions"]["questions"]  # as many as the schema asks for
        record["reflective_questions"]["questions"] = questions + list(placeholders[len(questions) :])
        record["reflective_questions"]["written_by"] = "contributor"
    credit = answer["credit"]
    contributor: dict[str, str] = {}
    if credit:
        name, _, organisation = (part.strip() for part in credit.partition(","))
        contributor = {"name": name, **({"organisation": organisation} if organisation else {})}
        record.insert(list(record).index("organisations"), "contributed_by", contributor)
    rating = record["evidence_rating"]
    level = PROPOSED_LEVEL.get(given.get(LABELS["evaluation"], "").strip())
    if level:
        rating["level"] = level
    if credit:
        rating["rated_by"] = contributor["name"]
    rating.insert(list(rating).index("rated_by") + 1, "state", "proposed")  # until the editors confirm it

    if answer["organisations"]:
        record["organisations"][0]["name"] = answer["organisations"]

    out = io.StringIO()
    yaml.dump(record, out)
    modeline, rest = out.getvalue().split("\n", 1)  # the schema line stays first, for editors
    return path, f"{modeline}\n{_answers_as_comments(given)}{rest}"


def _answers_as_comments(given: dict[str, str]) -> str:
    """The contributor's answers, as the file's opening comments, for the editor."""
    lines = ["# Made from a 'Share a project' issue by `python -m generator from-issue`.", "# The answers:"]
    for label, text in given.items():
        if label not in LABELS.values():
            continue  # the contact details and the consent box stay in the issue
        lines.append(f"# {label}:")
        lines += [f"#   {line}".rstrip() for line in text.split("\n")]
    return "\n".join(lines) + "\n"
