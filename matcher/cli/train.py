"""``matcher train`` and ``matcher evaluate``: learn rankers from recorded outcomes, compare with baselines."""
from __future__ import annotations

import argparse
import json
import sys

from matcher.config import Settings
from matcher.rank import DIRECTIONS


def register(subparsers: argparse._SubParsersAction) -> None:
    train = subparsers.add_parser("train", help="train LightGBM rankers on outcome events; activate if better")
    evaluate = subparsers.add_parser("evaluate", help="held-out NDCG/MAP/recall/AUC of ranker and baselines")
    for parser, handler in ((train, _train), (evaluate, _evaluate)):
        parser.add_argument("--direction", choices=(*DIRECTIONS, "both"), default="both")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--json", action="store_true", help="JSON output")
        parser.set_defaults(handler=handler)


def _directions(args: argparse.Namespace) -> tuple[str, ...]:
    return DIRECTIONS if args.direction == "both" else (args.direction,)


def _load(settings: Settings) -> tuple:
    # Heavy imports (torch, faiss, lightgbm) only when the command runs, so `matcher --help` stays fast.
    from matcher.pipeline import Matcher
    from matcher.store.db import make_engine
    from matcher.store.frames import load_events

    events = load_events(make_engine(settings))
    if events.empty:
        raise SystemExit("matcher: no outcome events recorded yet; import some (matcher import events FILE) "
                         "or post them to /api/v1/events — until then the rule score ranks")
    return Matcher.open(settings), events


def _train(args: argparse.Namespace, settings: Settings) -> int:
    from matcher.fieldeval.gate import field_gate
    from matcher.rank.registry import RankerRegistry
    from matcher.store.db import make_engine
    from matcher.training import announce_activations, train_direction

    matcher, events = _load(settings)
    registry = RankerRegistry(settings.ranker_dir, native=settings.native)
    with field_gate(settings) as gate:
        reports = [train_direction(matcher, registry, events, d, seed=args.seed, gate=gate) for d in _directions(args)]
    announce_activations(make_engine(settings), reports)  # a running server reloads its rankers
    _emit(reports, args.json)
    return 0


def _evaluate(args: argparse.Namespace, settings: Settings) -> int:
    from matcher.training import evaluate_direction

    matcher, events = _load(settings)
    _emit([evaluate_direction(matcher, events, d, seed=args.seed) for d in _directions(args)], args.json)
    return 0


def _emit(reports: list[dict], as_json: bool) -> None:
    if as_json:
        json.dump({r["direction"]: r for r in reports}, sys.stdout, ensure_ascii=False, indent=2, default=str)
        print()
        return
    for report in reports:
        print(f"== {report['direction']}  ranker {report.get('version') or report.get('ranker_version')}")
        if "promotion" in report:
            print(f"   activated: {report['promotion']['activated']}")
        print(f"   {'scorer':<8} {'ndcg@5':>7} {'ndcg@10':>7} {'map':>7} {'recall@10':>9} {'auc':>7} queries")
        for name, m in report["metrics"].items():
            print(f"   {name:<8} {m['ndcg@5']:>7.4f} {m['ndcg@10']:>7.4f} {m['map']:>7.4f} "
                  f"{m['recall@10']:>9.4f} {m['auc']:>7.4f} {m['queries']}")
