"""Field evaluation of matching: hand-written bureau data imported through the normal path, scored per channel.

    python scripts/eval_matching.py [--set dev|heldout|all] [--json PATH] [--model PATH] [--data-dir DIR]

Imports matcher/fieldeval/sets (catalogues + the set's registers) into a fresh data dir, opens the real
Matcher and reports recommend top-1/top-3/MRR@10 (per person), candidates (per labelled position) and
colloquial MRR@10 (descriptions sent as POST /match/profile sends a summary), per channel (dense, sparse,
fused, final), cold (rule score) and with rankers trained on demo outcomes (``--no-trained`` skips that).
The model is built once into --model when missing (timed) and reused by later runs; so are the demo rankers
(--demo-dir).
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matcher.config import Settings  # noqa: E402
from matcher.fieldeval.data import FIELD_SETS, SET_CHOICES, load_field_set  # noqa: E402
from matcher.fieldeval.runner import CHANNELS, QUERY_KINDS, run_field_evaluation  # noqa: E402

KIND_METRICS = {"recommend": ("top1", "top3", "mrr10"), "candidates": ("top1", "top3", "mrr10"),
                "colloquial": ("top1", "top3", "mrr10")}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", dest="which", choices=SET_CHOICES, default="dev")
    parser.add_argument("--json", type=Path, help="write the full report (metrics, per-query outcomes) here")
    parser.add_argument("--model", type=Path, default=ROOT / "data" / "models" / "static-zh",
                        help="embedding model dir; the default model is built here when missing (default %(default)s)")
    parser.add_argument("--data-dir", type=Path, help="fresh data dir for the field data (default: a temporary one)")
    parser.add_argument("--field-dir", type=Path, default=FIELD_SETS)
    parser.add_argument("--demo-dir", type=Path, default=ROOT / "data" / "field-eval-demo",
                        help="data dir for demo data and the rankers trained on it, reused across runs")
    parser.add_argument("--demo-talents", type=int, default=10_000)
    parser.add_argument("--demo-jobs", type=int, default=243)
    parser.add_argument("--no-trained", action="store_true", help="cold run only (no demo training)")
    parser.add_argument("--failures", type=int, default=15, help="recommend failures to print (0: none)")
    return parser.parse_args(argv)


def ensure_model(path: Path) -> dict:
    """Build the project's default static model at ``path`` when missing (offline), timing the build."""
    from matcher.embed.static_model import build_static_model

    if path.exists():
        return {"path": str(path), "built": False}
    started = time.perf_counter()
    build_static_model(path)
    return {"path": str(path), "built": True, "build_seconds": round(time.perf_counter() - started, 1)}


def print_table(report: dict) -> None:
    runs = [run for run in ("cold", "trained") if isinstance(report.get(run), dict) and "metrics" in report[run]]
    header = f"{'query':<11}{'channel':<8}" + "".join(f"{run + ' ' + m:>14}" for run in runs for m in
                                                      ("top1", "top3", "mrr10"))
    print(f"set {report['set']}: {report['counts']}")
    print(header)
    for kind in QUERY_KINDS:
        for channel in CHANNELS:
            cells = [report[run]["metrics"][kind][channel][m] for run in runs for m in KIND_METRICS[kind]]
            print(f"{kind:<11}{channel:<8}" + "".join(f"{value:>14.3f}" for value in cells))
    if not isinstance(report.get("trained"), dict) or "metrics" not in report["trained"]:
        print(f"trained: {report.get('trained')}")


def print_failures(report: dict, limit: int) -> None:
    titles = report["titles"]
    misses = [o for o in report["cold"]["outcomes"]["recommend"] if o["ranks"]["final"] != 1]
    print(f"\nrecommend, final ranking, cold: {len(misses)} people without a fitting job first")
    for o in sorted(misses, key=lambda o: -(o["ranks"]["final"] or 999))[:limit]:
        expected = ", ".join(titles["jobs"].get(j, j) for j, g in o["relevant"].items() if g == 2)
        print(f"  {o['query_id']} {titles['talents'].get(o['query_id'], '')} → {titles['jobs'].get(o['first_id'])}"
              f" | fits: {expected} (best at #{o['ranks']['final']})")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    model = ensure_model(args.model)
    field_set = load_field_set(args.field_dir, args.which)
    trained = None
    demo: dict | str = "skipped (--no-trained)"
    if not args.no_trained:
        from matcher.fieldeval.demo_rankers import trained_demo_rankers

        started = time.perf_counter()
        # Measured whatever the field gate would decide: this is how the gate's figures are made visible.
        demo_settings = Settings(data_dir=args.demo_dir, model_path=args.model, ranker_field_gate=False)
        demo = trained_demo_rankers(demo_settings, args.demo_talents, args.demo_jobs)
        demo["seconds"] = round(time.perf_counter() - started, 1)
        trained = Path(demo["ranker_dir"])
    with tempfile.TemporaryDirectory(prefix="field-eval-") as scratch:
        data_dir = args.data_dir or Path(scratch)
        started = time.perf_counter()
        report = run_field_evaluation(Settings(data_dir=data_dir, model_path=args.model), field_set, trained)
        report["seconds"] = round(time.perf_counter() - started, 1)
    report.update(model=model, demo=demo)
    if trained is None:
        report["trained"] = demo
    print_table(report)
    if args.failures:
        print_failures(report, args.failures)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
