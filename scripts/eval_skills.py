"""Precision, recall and speed of skill extraction on hand-labelled free texts.

Texts: tests/normalize/fixtures/skills_texts.csv (text_id, kind, text). Labels: skills_labelled.csv
(text_id, text, extracted, is_skill 1/0), one row per extracted skill a person has judged; an extracted skill
with no label counts as wrong. Missed skills: skills_missed.csv (text_id, skill), skills a reader finds in
a text that extraction did not return; recall counts one as found when extraction now returns what the
tokenizer makes of it. Examples:

    PYTHONPATH=$PWD .venv/bin/python scripts/eval_skills.py
    PYTHONPATH=$PWD .venv/bin/python scripts/eval_skills.py --write-labels /tmp/to_review.csv
"""
from __future__ import annotations

import argparse
import csv
import json
import time
from collections import defaultdict
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "normalize" / "fixtures"
LABEL_COLUMNS = ("text_id", "text", "extracted", "is_skill")


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_labels(path: Path) -> dict[tuple[str, str], bool]:
    """(text_id, extracted) → is a skill; rows whose is_skill is not 1 or 0 are unreviewed and left out."""
    return {(r["text_id"], r["extracted"]): r["is_skill"] == "1" for r in read_csv(path)
            if r["is_skill"] in ("1", "0")}


def precision(extracted: dict[str, list[str]], labels: dict[tuple[str, str], bool]) -> tuple[int, int]:
    """Correct and total extracted skills; unlabelled ones count as wrong."""
    items = [(text_id, skill) for text_id, skills in extracted.items() for skill in skills]
    return sum(labels.get(item, False) for item in items), len(items)


def recall(extracted: dict[str, list[str]], labels: dict[tuple[str, str], bool],
           missed: list[dict[str, str]], tokenize) -> tuple[int, int]:
    """Found and expected skills: expected = labelled-correct skills plus the listed missed ones; a missed
    skill counts as found when the tokenizer reads it as one skill and extraction returns that skill."""
    expected: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for (text_id, skill), is_skill in labels.items():
        if is_skill:
            expected[text_id].add(("skill", skill))
    for row in missed:
        skills = tokenize(row["skill"])
        # A missed skill read as one that extraction returns but a person labelled wrong is still missed.
        readable = len(skills) == 1 and labels.get((row["text_id"], skills[0])) is not False
        expected[row["text_id"]].add(("skill", skills[0]) if readable else ("phrase", row["skill"]))
    found = sum(kind == "skill" and value in extracted.get(text_id, ())
                for text_id, keys in expected.items() for kind, value in keys)
    return found, sum(len(keys) for keys in expected.values())


def items_per_second(texts: list[str], tokenize, repeat: int) -> float:
    batch = texts * repeat
    start = time.perf_counter()
    for text in batch:
        tokenize(text)
    return len(batch) / (time.perf_counter() - start)


def write_labels(path: Path, texts: list[dict[str, str]], extracted: dict[str, list[str]],
                 labels: dict[tuple[str, str], bool]) -> int:
    """Every extracted skill with its label, or an empty is_skill for a person to fill in; returns how many."""
    rows, unlabelled = [], 0
    for row in texts:
        for skill in extracted[row["text_id"]]:
            label = labels.get((row["text_id"], skill))
            unlabelled += label is None
            rows.append({"text_id": row["text_id"], "text": row["text"], "extracted": skill,
                         "is_skill": "" if label is None else str(int(label))})
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=LABEL_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return unlabelled


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=Path, default=FIXTURES / "skills_texts.csv")
    parser.add_argument("--labels", type=Path, default=FIXTURES / "skills_labelled.csv")
    parser.add_argument("--missed", type=Path, default=FIXTURES / "skills_missed.csv")
    parser.add_argument("--repeat", type=int, default=100, help="passes over the texts for the speed figure")
    parser.add_argument("--write-labels", type=Path, help="write every extracted skill with its label here")
    args = parser.parse_args()

    from matcher.normalize.skills import default_skill_tokenizer, tokenize_skills

    default_skill_tokenizer()
    texts = read_csv(args.texts)
    extracted = {row["text_id"]: tokenize_skills(row["text"]) for row in texts}
    labels = read_labels(args.labels) if args.labels.is_file() else {}
    missed = read_csv(args.missed) if args.missed.is_file() else []
    report: dict[str, object] = {}
    for kind in sorted({row["kind"] for row in texts}) + ["all"]:
        ids = {row["text_id"] for row in texts if kind in ("all", row["kind"])}
        some = {i: s for i, s in extracted.items() if i in ids}
        correct, total = precision(some, labels)
        found, expected = recall(some, {k: v for k, v in labels.items() if k[0] in ids},
                                 [m for m in missed if m["text_id"] in ids], tokenize_skills)
        report[kind] = {"precision": [correct, total, _ratio(correct, total)],
                        "recall": [found, expected, _ratio(found, expected)]}
    report["items_per_second"] = round(items_per_second([r["text"] for r in texts], tokenize_skills, args.repeat))
    if args.write_labels:
        report["unlabelled_written"] = write_labels(args.write_labels, texts, extracted, labels)
    print(json.dumps(report, ensure_ascii=False, indent=1))  # noqa: T201


if __name__ == "__main__":
    main()
