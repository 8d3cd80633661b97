"""The field gate: a newly trained ranker is activated only if it ranks the checked-in field set (hand-written
registers and catalogues that look like a bureau's, ``matcher/fieldeval/sets``) at least as well, by top-1, as
what serves now (the active ranker, or the rule score before one exists).

Outcomes a deployment records, and those the demo generates, can teach a ranker habits that do not hold in the
field; held-out NDCG on those same outcomes cannot see it. The field set can.
"""
from __future__ import annotations

import logging
import tempfile
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from matcher.config import Settings
from matcher.fieldeval.data import FIELD_SETS, load_field_set
from matcher.fieldeval.runner import import_field_set, query_outcomes, summary_table
from matcher.pipeline import Matcher
from matcher.rank.registry import LoadedRanker

logger = logging.getLogger(__name__)

GATE_SET = "dev"
GATE_METRIC = "top1"
GATE_KINDS = {"recommend": "recommend", "candidates": "candidates"}
"""Direction → the field evaluation's query kind whose final top-1 the gate compares."""


class FieldGate:
    """The field set imported once into a private data dir (under the deployment's encoder), then each ranker
    asked for is swapped in and scored. Use as a context manager: the data dir is removed on exit."""

    def __init__(self, settings: Settings) -> None:
        self._settings, self._tmp, self._matcher = settings, None, None
        self._field_set = load_field_set(FIELD_SETS, GATE_SET)

    def __enter__(self) -> FieldGate:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()

    def top1(self, direction: str, ranker: LoadedRanker | None) -> float:
        """Final top-1 of the direction's field queries with ``ranker`` (None: the rule score) ranking."""
        if self._matcher is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="matcher-field-gate-")
            settings = self._settings.model_copy(update={
                "data_dir": Path(self._tmp.name), "database_url": None,
                "model_path": self._settings.resolved_model_path})
            import_field_set(settings, self._field_set)
            self._matcher = Matcher.open(settings)
        matcher = self._matcher
        matcher.rankers = {**matcher.rankers, direction: ranker}
        outcomes = query_outcomes(matcher, self._field_set)
        return float(summary_table(outcomes)[GATE_KINDS[direction]]["final"][GATE_METRIC])

    def __call__(self, direction: str, candidate: LoadedRanker, current: LoadedRanker | None) -> dict:
        """{field_top1, active_field_top1, passed}: passed when the candidate's top-1 is not lower."""
        new, old = self.top1(direction, candidate), self.top1(direction, current)
        passed = new >= old
        if not passed:
            logger.warning("ranker %s/%s lowers the field evaluation's top-1 (%.3f < %.3f): not activated",
                           direction, candidate.version, new, old)
        return {"field_top1": round(new, 4), "active_field_top1": round(old, 4), "passed": passed}


def field_gate(settings: Settings) -> AbstractContextManager[FieldGate | None]:
    """The gate training passes to the registry, or None when ``settings.ranker_field_gate`` is off."""
    return FieldGate(settings) if settings.ranker_field_gate else nullcontext()
