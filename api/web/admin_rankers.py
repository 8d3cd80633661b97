"""/admin/rankers: each direction's saved rankers with their evaluation table, and activating one.

The same core the CLI uses: the ranker registry's files (``matcher train`` and the page's training,
api.web.admin_training, write them), ``RankerRegistry.activate`` and the change-log entry that makes every
serving process reload its rankers.
"""
from __future__ import annotations

import json
from pathlib import Path

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from api.auth import allow, page_account
from api.deps import EngineDep, FollowerDep, MatcherDep, SettingsDep
from api.problems import Problem
from api.web.pages import CheckedFormDep, page, redirect
from matcher.rank import DIRECTIONS
from matcher.rank.registry import RankerMismatchError, RankerRegistry
from matcher.store.changes import record_ranker_activation

router = APIRouter(prefix="/admin/rankers", include_in_schema=False)

AdminPage = allow("admin", source=page_account)
DIRECTION_NAMES = {"recommend": "给人才推荐岗位", "candidates": "给岗位推荐人才"}
SCORERS = ("ranker", "rule", "hybrid", "dense", "sparse")
METRICS = ("ndcg@10", "recall@50", "map", "auc")
SHOWN_VERSIONS = 10


@router.get("")
def rankers(request: Request, account: AdminPage, settings: SettingsDep, matcher: MatcherDep,
            done: str | None = None):
    active = matcher.status()["rankers"]
    saved = {d: _manifests(settings.ranker_dir / d)[:SHOWN_VERSIONS] for d in DIRECTIONS}
    return page(request, "admin/rankers.html", {
        "title": "排序模型 · 管理", "saved": saved, "active": active, "names": DIRECTION_NAMES, "scorers": SCORERS,
        "metrics": METRICS, "done": done}, account=account)


@router.post("/activate")
async def activate(request: Request, account: AdminPage, form: CheckedFormDep, settings: SettingsDep,
                   engine: EngineDep, matcher: MatcherDep, follower: FollowerDep):
    direction, version = str(form.get("direction", "")), str(form.get("version", ""))
    if direction not in DIRECTIONS or not (settings.ranker_dir / direction / version / "manifest.json").is_file():
        raise Problem(404, f"没有这个模型：{direction}/{version}")
    registry = RankerRegistry(settings.ranker_dir, native=settings.native)
    try:
        await run_in_threadpool(registry.load, direction, version)  # refuses a ranker of other features
    except RankerMismatchError as stale:
        raise Problem(422, str(stale)) from None
    registry.activate(direction, version)
    await run_in_threadpool(record_ranker_activation, engine)
    follower.catch_up(matcher)  # this worker reloads now; the others before their next match
    return redirect(request, "/admin/rankers?done=activated")


def _manifests(folder: Path) -> list[dict]:
    """Saved versions, newest first (version names are UTC timestamps)."""
    found = [json.loads(path.read_text(encoding="utf-8")) for path in folder.glob("*/manifest.json")]
    return sorted(found, key=lambda m: m.get("version", ""), reverse=True)
