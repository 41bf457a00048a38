"""Synthesise a larger corpus for the benchmark: N valid records in a copy of the project.

The copy's content/ holds only the N synthetic records. Each is a real record with a new
id, title, place, organisation names, themes, phases, target groups, outcomes and dates,
so the text is as long and as varied as real records. Invented place and organisation
names (built from syllables) stand in for the new words a growing corpus brings: a search
index's size depends on its vocabulary as well as on the number of records.

The output is benchmark data in a temporary folder, never site content.

    python -m bench.synth --n 1000 --out /tmp/project-1000
"""

from __future__ import annotations

import argparse
import copy
import datetime
import random
import shutil
from pathlib import Path

import yaml

from generator.validate import check_project

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("content", "schemas", "docs", "overrides")

_STARTS = [
    "Ash",
    "Bram",
    "Cal",
    "Dun",
    "Elm",
    "Fen",
    "Gar",
    "Hol",
    "Kil",
    "Lang",
    "Mar",
    "Nor",
    "Oak",
    "Pen",
    "Rad",
    "Stan",
    "Thorn",
    "Wal",
    "Whit",
    "Yar",
    "Brox",
    "Cor",
    "Dal",
    "Glen",
]
_MIDDLES = ["", "ber", "ing", "al", "er", "ow", "en", "is", "ham", "ley"]
_ENDS = ["brook", "field", "ford", "ton", "bury", "wick", "by", "stow", "worth", "mouth", "dale", "gate"]
_SETTINGS = ["Primary School", "Academy", "High School", "Family Hub", "Children's Centre", "Learning Trust"]
_SERVICES = ["Family Support Service", "Parent Partnership", "Attendance Team", "Community Trust", "Youth Service"]


class _Dumper(yaml.SafeDumper):
    """Writes every value out: the loader refuses anchors and aliases, as it should."""

    def ignore_aliases(self, data):
        return True


def _place_name(rng: random.Random) -> str:
    return rng.choice(_STARTS) + rng.choice(_MIDDLES) + rng.choice(_ENDS)


def _sample(rng: random.Random, terms: list[str], low: int, high: int) -> list[str]:
    return rng.sample(terms, rng.randint(low, min(high, len(terms))))


def _dates(rng: random.Random) -> dict:
    published = datetime.date(2020, 1, 1) + datetime.timedelta(days=rng.randrange(0, 2400))
    updated = published + datetime.timedelta(days=rng.randrange(0, 300))
    return {"published": published.isoformat(), "updated": updated.isoformat()}


def _vary(record, number: int, rng: random.Random, vocab: dict[str, list[str]]) -> dict:
    data = copy.deepcopy(record.data)
    place, other = _place_name(rng), _place_name(rng)
    data["id"] = f"{record.id}-{number:05d}"[:80]
    data["title"] = f"{data['title']} ({place})"[:200]
    data["themes"] = _sample(rng, vocab["themes"], 1, 4)
    data["phases"] = _sample(rng, vocab["phases"], 1, 2)
    data["outcomes"] = {
        "ecm": _sample(rng, vocab["ecm-outcomes"], 1, 3),
        "shanarri": _sample(rng, vocab["shanarri"], 0, 3),
    }
    if not data["outcomes"]["shanarri"]:
        del data["outcomes"]["shanarri"]
    data["dates"] = _dates(rng)
    # Links between synthetic records would make a few real pages list thousands of others.
    if record.kind.name == "exemplar":
        data["place"] = {
            "country": rng.choice(vocab["countries"]),
            "area": place,
            "setting": f"{other} {rng.choice(_SETTINGS)}",
        }
        data["organisations"] = [{"name": f"{place} {rng.choice(_SERVICES)}", "role": "Ran the practice."}] + data[
            "organisations"
        ][:2]
        data["target_groups"] = _sample(rng, vocab["target-groups"], 1, 3)
        data["what_was_done"] += (
            f"\n\nIn {place}, the work was led by the {place} {rng.choice(_SERVICES)} with {other} {rng.choice(_SETTINGS)}.\n"
        )
        data["related_evidence"], data["related_exemplars"] = [], []
        rating = data["evidence_rating"]
        if rating["level"] in ("emerging", "not-rated"):
            rating["level"] = rng.choice(["emerging", "not-rated"])
    else:
        data["countries"] = _sample(rng, vocab["countries"], 1, 2)
        data["key_findings"] = data["key_findings"] + [f"A study in {place} and {other} reported similar findings."]
        data["exemplars"] = []
    return data


def synthesise(out: Path, n: int, seed: int = 1) -> int:
    """Copy the project into `out` with n synthetic records in content/, and none other. Returns n."""
    result = check_project(ROOT)
    assert result.ok, "the real content must be valid before it is varied"
    real = list(result.corpus.exemplars.values()) + list(result.corpus.evidence.values())
    if out.exists():
        shutil.rmtree(out)
    for part in PROJECT_PARTS:
        shutil.copytree(ROOT / part, out / part, ignore=shutil.ignore_patterns("*.yaml") if part == "content" else None)
    shutil.copy(ROOT / "mkdocs.yml", out / "mkdocs.yml")

    vocab = {v.id: list(v.terms) for v in result.corpus.vocabularies.values()}
    rng = random.Random(seed)
    for number in range(n):
        record = real[number % len(real)]
        data = _vary(record, number, rng, vocab)
        header = f"# Synthetic benchmark record, varied from {record.id}\n"
        text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
        (out / "content" / record.kind.folder / f"{data['id']}.yaml").write_text(header + text, encoding="utf-8")
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, required=True, help="how many records")
    parser.add_argument("--out", type=Path, required=True, help="folder for the project copy (replaced)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    synthesise(args.out, args.n, args.seed)
    print(f"wrote a project with {args.n} records to {args.out}")


if __name__ == "__main__":
    main()
