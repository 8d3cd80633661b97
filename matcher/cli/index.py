"""``matcher index build|status|rebuild``: the talent and job candidate pools (FAISS + BM25) on disk."""
from __future__ import annotations

import argparse
import json

from matcher.config import Settings
from matcher.store.db import make_engine, upgrade_database
from matcher.store.frames import load_jobs, load_talents


def register(subparsers: argparse._SubParsersAction) -> None:
    index = subparsers.add_parser("index", help="candidate indexes (dense FAISS + sparse BM25)")
    commands = index.add_subparsers(dest="index_command", required=True)
    for name, help_text in (("build", "build what is missing or stale, reuse what is current (resave old formats)"),
                            ("rebuild", "rebuild both pools from the database"),
                            ("status", "what is saved, and whether it matches the database")):
        parser = commands.add_parser(name, help=help_text)
        parser.set_defaults(handler=_status if name == "status" else _build, rebuild=name == "rebuild")


def _build(args: argparse.Namespace, settings: Settings) -> int:
    from matcher.embed.encoder import load_encoder  # heavy (torch): only when building
    from matcher.index.sparse import FORMAT_VERSION as SPARSE_FORMAT
    from matcher.retrieve.candidates import SPARSE_DIR
    from matcher.retrieve.pools import POOL_DIRS, open_pool, pools_lock
    from matcher.store.frame_snapshot import FRAMES_DIR, load_frame

    upgrade_database(settings)
    engine = make_engine(settings)
    encoder = load_encoder(settings)
    for side in ("talent", "job"):
        frame = load_frame(engine, side, settings.index_dir / FRAMES_DIR, reread=args.rebuild)
        pool = open_pool(settings.index_dir, side, frame, encoder, settings.index_factory, rebuild=args.rebuild,
                         native=settings.native)
        if pool.sparse.saved_format != SPARSE_FORMAT:  # saved again, so processes map it instead of copying it
            with pools_lock(settings.index_dir):
                pool.sparse.save(settings.index_dir / POOL_DIRS[side] / SPARSE_DIR)
        print(f"{side}: {len(pool)} indexed ({pool.dense.factory})")
    return 0


def _status(args: argparse.Namespace, settings: Settings) -> int:
    from matcher.retrieve.pools import data_snapshot_id, pool_status

    upgrade_database(settings)
    engine = make_engine(settings)
    status = pool_status(settings.index_dir)
    for side, frame in (("talent", load_talents(engine)), ("job", load_jobs(engine))):
        status[side]["database_rows"] = len(frame)
        status[side]["current"] = status[side].get("data_snapshot_id") == data_snapshot_id(frame, side)
    print(json.dumps(status, ensure_ascii=False, indent=2))
    return 0
