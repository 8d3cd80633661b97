"""Runs the field evaluation through the real path: import the files, open a ``Matcher``, query it.

Three kinds of query, each scored per channel (dense alone, sparse alone, their fusion, the final ranking):
recommend (each labelled person → jobs), candidates (each position with a labelled person → people) and
colloquial (each description, sent as an unsaved profile's summary exactly as POST /match/profile sends it).
"""
from __future__ import annotations

import logging
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from matcher.config import Settings
from matcher.fieldeval.data import FieldDataError, FieldSet
from matcher.fieldeval.metrics import best_channel_rank, first_relevant_rank, summarise_channels
from matcher.pipeline import Match, Matcher
from matcher.retrieve.hybrid import RANK_DEPTH
from matcher.store.db import make_engine, upgrade_database
from matcher.store.imports import import_file

logger = logging.getLogger(__name__)

CHANNELS = ("dense", "sparse", "fused", "final")
QUERY_KINDS = ("recommend", "candidates", "colloquial")


@dataclass(frozen=True)
class QueryOutcome:
    """Where one query's fitting items landed: channel → 1-based rank of the best-placed one (None: missed)."""

    query_id: str
    ranks: dict[str, int | None]
    first_id: str | None
    """What the final ranking put first."""
    relevant: dict[str, int]
    """Fitting ids → grade."""


def import_field_set(settings: Settings, field_set: FieldSet) -> dict[str, dict]:
    """Import the catalogues (jobs) then the registers (talents) into ``settings``' database, all through
    ``import_file``; a rejected file raises FieldDataError with the importer's own messages."""
    engine = make_engine(settings)
    upgrade_database(settings, engine)
    results = {}
    for kind, paths in (("jobs", field_set.catalogues), ("talents", field_set.registers)):
        for path in paths:
            result = import_file(engine, kind, path)
            if not result.ok:
                raise FieldDataError(f"{path.name} rejected by the importer:\n" + "\n".join(result.messages()[:20]))
            results[path.name] = {"kind": kind, "rows": result.rows, "inserted": result.inserted,
                                  "columns": dict(result.headers)}
    engine.dispose()
    return results


def outcome_of(query_id: str, matches: Sequence[Match], relevant: Mapping[str, int]) -> QueryOutcome:
    """Channel ranks of the relevant items among ``matches`` (every retrieved candidate, final order, ranked
    without the relevance floor); the final rank counts only the matches that pass it (``Matches.fitting``),
    as a person is shown them."""
    hits = [m for m in matches if m.id in relevant]
    ranks: dict[str, int | None] = {
        channel: best_channel_rank(m.retrieval.get(f"{channel}_rank") for m in hits)
        for channel in CHANNELS if channel != "final"
    }
    fitting = getattr(matches, "fitting", (True,) * len(matches))
    shown = [m.id for m, fits in zip(matches, fitting, strict=True) if fits]
    ranks["final"] = first_relevant_rank(shown, relevant)
    return QueryOutcome(query_id, ranks, shown[0] if shown else None, dict(relevant))


def query_outcomes(matcher: Matcher, field_set: FieldSet, depth: int = RANK_DEPTH) -> dict[str, list[QueryOutcome]]:
    """Every query of the three kinds, each ranked ``depth`` deep (the serving depth keeps all retrieved) without
    the relevance floor, so each channel is measured on every retrieved candidate; the final ranks apply it."""
    floor, matcher.relevance_floor = matcher.relevance_floor, False
    try:
        return _query_outcomes(matcher, field_set, depth)
    finally:
        matcher.relevance_floor = floor


def _query_outcomes(matcher: Matcher, field_set: FieldSet, depth: int) -> dict[str, list[QueryOutcome]]:
    talents = [t for t in field_set.labels if t in matcher.talents.texts]
    missing = sorted(set(field_set.labels) - set(talents))
    if missing:
        raise FieldDataError(f"labelled talents not in any register: {', '.join(missing[:10])}")
    recommended = matcher.recommend(talents, depth)
    by_job = field_set.job_labels()
    unknown_jobs = sorted(j for j in by_job if j not in matcher.jobs.texts)
    if unknown_jobs:
        raise FieldDataError(f"labelled job ids not in any catalogue: {', '.join(unknown_jobs[:10])}")
    candidates = matcher.candidates(sorted(by_job), depth)
    colloquial = [outcome_of(d.description_id, matcher.match_profile({"summary": d.text}, depth), d.fits)
                  for d in field_set.descriptions]
    return {
        "recommend": [outcome_of(t, recommended[t], field_set.labels[t]) for t in talents],
        "candidates": [outcome_of(j, candidates[j], by_job[j]) for j in sorted(by_job)],
        "colloquial": colloquial,
    }


def summary_table(outcomes: Mapping[str, Sequence[QueryOutcome]]) -> dict[str, dict]:
    """Query kind → channel → top1 / top3 / mrr10 / queries."""
    return {kind: summarise_channels([o.ranks for o in found], CHANNELS) for kind, found in outcomes.items()}


def evaluate_scorer(matcher: Matcher, field_set: FieldSet) -> dict:
    """Summaries and per-query outcomes for the rankers ``matcher`` holds now (None: the rule score)."""
    outcomes = query_outcomes(matcher, field_set)
    scorers = {d: (r.version if r else "rules") for d, r in matcher.rankers.items()}
    return {"scorers": scorers, "metrics": summary_table(outcomes),
            "outcomes": {kind: [asdict(o) for o in found] for kind, found in outcomes.items()}}


def titles(matcher: Matcher, field_set: FieldSet) -> dict[str, dict[str, str]]:
    """What each id stands for in a failure list: a job's title, a person's current title (else the start of
    their summary; never a name), a description's text."""
    talents = matcher.talents.frame
    described = talents["current_title"].fillna("").where(talents["current_title"].fillna("") != "",
                                                           talents["summary"].fillna("").str.slice(0, 24))
    return {"jobs": matcher.jobs.frame["title"].astype(str).to_dict(), "talents": described.astype(str).to_dict(),
            "descriptions": {d.description_id: d.text for d in field_set.descriptions}}


def run_field_evaluation(settings: Settings, field_set: FieldSet, trained_rankers: Path | None = None) -> dict:
    """Import into ``settings.data_dir`` (must hold no database yet), evaluate cold (no outcome events, so the
    rule score ranks), then — given a ranker directory trained elsewhere — with those rankers installed in
    this data dir's registry and reloaded, as a deployment would receive them."""
    if Path(settings.resolved_database_url.removeprefix("sqlite:///")).exists():
        raise FieldDataError(f"{settings.data_dir} already holds a database; the evaluation needs a fresh data dir")
    imported = import_field_set(settings, field_set)
    matcher = Matcher.open(settings)
    if any(matcher.rankers.values()):
        raise FieldDataError(f"{settings.ranker_dir} already holds rankers; the cold run needs none")
    report = {"set": field_set.name, "imported": imported, "cold": evaluate_scorer(matcher, field_set),
              "counts": {"talents": len(field_set.labels), "jobs": len(matcher.jobs.texts),
                         "descriptions": len(field_set.descriptions)},
              "titles": titles(matcher, field_set)}
    if trained_rankers is not None:
        shutil.copytree(trained_rankers, settings.ranker_dir, dirs_exist_ok=True)
        matcher.reload_rankers()
        report["trained"] = evaluate_scorer(matcher, field_set)
    return report
