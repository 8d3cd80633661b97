"""Rankers trained on the demo world's outcome events, for the field evaluation's 'after training' run.

Made exactly as a deployment makes them (``bootstrap.prepare``: generate demo data into an empty data dir,
import it, train and register both directions), in a data dir of their own, and reused when that dir
already holds active rankers trained with the same encoder.
"""
from __future__ import annotations

from matcher.config import Settings
from matcher.rank import DIRECTIONS
from matcher.rank.registry import RankerRegistry


def trained_demo_rankers(settings: Settings, demo_talents: int, demo_jobs: int, seed: int = 0) -> dict:
    """Ranker dir with both directions active (trained now or earlier): {"ranker_dir", "reused", "trained"}."""
    from matcher.bootstrap import DataFiles, prepare
    from matcher.embed.encoder import open_encoder

    registry = RankerRegistry(settings.ranker_dir, native=settings.native)
    active = {d: registry.active_or_none(d) for d in DIRECTIONS}
    encoder_hash = open_encoder(settings.resolved_model_path).manifest_hash
    if all(active.values()) and all(_encoder_of(r.manifest) == encoder_hash for r in active.values()):
        return {"ranker_dir": str(settings.ranker_dir), "reused": True,
                "versions": {d: r.version for d, r in active.items()}}
    if any(active.values()):
        raise ValueError(f"{settings.data_dir} holds rankers trained with another encoder; give an empty demo dir")
    report = prepare(settings, DataFiles(), demo_talents=demo_talents, demo_jobs=demo_jobs, seed=seed)
    trained = [{"direction": t["direction"], "version": t["version"], "activated": t["promotion"]["activated"],
                "ndcg@10": t["metrics"]["ranker"]["ndcg@10"]} for t in report.trained]
    missing = [d for d in DIRECTIONS if registry.active_or_none(d) is None]
    if missing:
        raise ValueError(f"demo training activated no ranker for {', '.join(missing)}")
    return {"ranker_dir": str(settings.ranker_dir), "reused": False, "trained": trained}


def _encoder_of(manifest: dict) -> str | None:
    return (manifest.get("data_snapshot") or {}).get("encoder_manifest_hash")
