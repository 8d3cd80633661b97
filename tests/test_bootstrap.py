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


def test_main_job_prepares_a_ranked_matcher_from_an_empty_database(tmp_path, tiny_model_dir, capsys):
    from matcher.cli import main

    settings = Settings(data_dir=tmp_path, model_path=tiny_model_dir)
    assert main(["run", "--no-serve", "--demo-talents", "400", "--seed", "3"], settings=settings) == 0
    out = capsys.readouterr().out
    assert "demo data generated" in out and "imported talents: 400 new" in out
    assert out.count("trained ") == 2 and "sample: top jobs for talent" in out
    # A second run reuses everything: no new data, no retraining, the same active rankers.
    assert main(["run", "--no-serve"], settings=settings) == 0
    again = capsys.readouterr().out
    assert "imported" not in again and "trained " not in again and "sample: top jobs" in again
