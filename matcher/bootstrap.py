"""The main job's preparation: data in (the user's files, or demo data), model, indexes and rankers ready.

Every step reuses what is already current, so running it again is cheap and never loses data.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from matcher.config import Settings
from matcher.store.db import make_engine, upgrade_database
from matcher.store.frames import load_events
from matcher.store.imports import ImportResult, import_file
from matcher.store.models import Talent

if TYPE_CHECKING:
    from matcher.pipeline import Matcher

logger = logging.getLogger(__name__)

IMPORT_ORDER = ("workstations", "employers", "jobs", "talents", "events")


class ImportRejected(ValueError):
    """A file had errors; nothing from it was stored."""

    def __init__(self, result: ImportResult) -> None:
        super().__init__("\n".join(result.messages()[:50]))
        self.result = result


@dataclass(frozen=True)
class DataFiles:
    """Files to import (any may be None). With none given and an empty database, demo data is generated."""

    talents: Path | None = None
    jobs: Path | None = None
    events: Path | None = None
    employers: Path | None = None
    workstations: Path | None = None

    @property
    def any(self) -> bool:
        return any(getattr(self, kind) for kind in IMPORT_ORDER)


@dataclass
class PrepareReport:
    imported: dict[str, dict] = field(default_factory=dict)
    demo_dir: str | None = None
    trained: list[dict] = field(default_factory=list)
    matcher: Matcher | None = None


def import_files(settings: Settings, files: DataFiles) -> dict[str, dict]:
    """Import in dependency order; stop at the first rejected file (earlier files stay imported)."""
    engine = make_engine(settings)
    upgrade_database(settings, engine)
    results = {}
    for kind in IMPORT_ORDER:
        path = getattr(files, kind)
        if path is None:
            continue
        result = import_file(engine, kind, Path(path))
        if not result.ok:
            raise ImportRejected(result)
        results[kind] = result.to_json()
    return results


def demo_files(settings: Settings, n_talents: int, n_jobs: int, seed: int) -> DataFiles:
    from matcher.demo import write_demo

    out = settings.data_dir / "demo"
    write_demo(out, n_talents, n_jobs, seed)
    return DataFiles(**{kind: out / f"{kind}.csv" for kind in IMPORT_ORDER})


def database_is_empty(settings: Settings) -> bool:
    engine = make_engine(settings)
    upgrade_database(settings, engine)
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(Talent)).scalar_one() == 0


def prepare(settings: Settings, files: DataFiles, demo_talents: int = 10_000, demo_jobs: int = 243,
            seed: int = 0) -> PrepareReport:
    """Import data (demo data into an empty database when no files are given), then make sure the
    model, the indexes and — once outcome events exist — the rankers are ready."""
    from matcher.fieldeval.gate import field_gate
    from matcher.pipeline import Matcher
    from matcher.rank.registry import RankerRegistry
    from matcher.training import announce_activations, train_direction

    report = PrepareReport()
    if not files.any and database_is_empty(settings):
        files = demo_files(settings, demo_talents, demo_jobs, seed)
        report.demo_dir = str(files.talents.parent) if files.talents else None
    if files.any:
        report.imported = import_files(settings, files)
    matcher = Matcher.open(settings)
    engine = make_engine(settings)
    events = load_events(engine)
    registry = RankerRegistry(settings.ranker_dir, native=settings.native)
    with field_gate(settings) as gate:
        for direction in ("recommend", "candidates"):
            if not events.empty and (files.events is not None or registry.active_or_none(direction) is None):
                report.trained.append(train_direction(matcher, registry, events, direction, seed=seed, gate=gate))
    announce_activations(engine, report.trained)
    matcher.reload_rankers()
    report.matcher = matcher
    return report
