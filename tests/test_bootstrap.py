"""The main job's data step: demo files import cleanly through the real importer, all five kinds."""
from __future__ import annotations

from sqlalchemy import func, select

from matcher.bootstrap import demo_files, import_files
from matcher.config import Settings
from matcher.store.db import make_engine
from matcher.store.models import Event, Job, Talent


def test_demo_files_import_without_errors(tmp_path):
    settings = Settings(data_dir=tmp_path)
    files = demo_files(settings, n_talents=300, n_jobs=243, seed=5)
    results = import_files(settings, files)
    assert set(results) == {"workstations", "employers", "jobs", "talents", "events"}
    assert all(r["rejected"] == 0 and not r["errors"] for r in results.values())
    with make_engine(settings).connect() as connection:
        counts = [connection.execute(select(func.count()).select_from(t)).scalar_one() for t in (Talent, Job, Event)]
    assert counts[:2] == [300, 243] and counts[2] == results["events"]["inserted"] > 0
