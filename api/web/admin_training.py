"""/admin/rankers/train: train rankers from the page, watch the progress, compare the new ranker, activate it.

Training runs in the background (matcher.serving.ranker_training, the core ``matcher train`` uses, with the options of
``matcher train`` that a page needs: direction and seed); the page polls its progress like a bulk run's, then
shows the new ranker's evaluation table (its manifest's held-out metrics) beside the previously active one's,
with the activate button of /admin/rankers.
"""
from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request

from api.problems import Problem
from api.web.admin_rankers import DIRECTION_NAMES, AdminPage
from api.web.pages import CheckedFormDep, page, redirect
from matcher.rank import DIRECTIONS
from matcher.serving.ranker_training import RankerTraining, TrainingBusy, TrainingState

router = APIRouter(prefix="/admin/rankers/train", include_in_schema=False)

BOTH = "both"
SCORERS_SHOWN = ("ranker", "rule", "hybrid")
"""Rows of the evaluation table besides the previously active ranker: the new one and two baselines."""
BASELINE_NAMES = {"rule": "规则打分", "hybrid": "向量+关键词检索"}
METRICS_SHOWN = ("ndcg@10", "ndcg@5", "map", "recall@10", "recall@50", "auc", "queries")
MAX_SEED = 2**31 - 1
_CREATING = threading.Lock()


def ranker_training(request: Request) -> RankerTraining:
    """This process's trainer, made at the first use from the app's Matcher, engine and settings."""
    state = request.app.state
    with _CREATING:
        if getattr(state, "ranker_training", None) is None:
            state.ranker_training = RankerTraining(state.settings.data_dir / "training", state.settings.ranker_dir,
                                                   state.matcher, state.engine, state.follower)
    return state.ranker_training


TrainingDep = Annotated[RankerTraining, Depends(ranker_training)]


@router.post("")
def start_training(request: Request, account: AdminPage, form: CheckedFormDep, training: TrainingDep):
    direction, seed = str(form.get("direction", BOTH)), str(form.get("seed", "0")).strip() or "0"
    if direction not in (*DIRECTIONS, BOTH):
        raise Problem(422, f"方向只能是 {'、'.join((*DIRECTIONS, BOTH))}，收到的是 {direction!r}")
    if not seed.isdigit() or int(seed) > MAX_SEED:
        raise Problem(422, f"随机种子应为 0 到 {MAX_SEED} 之间的整数，收到的是 {seed!r}")
    try:
        started = training.start(account, list(DIRECTIONS) if direction == BOTH else [direction], int(seed))
    except TrainingBusy:
        raise Problem(409, "已有一次训练正在进行，请等它结束后再开始") from None
    return redirect(request, f"/admin/rankers/train/{started.id}")


@router.get("/{training_id}")
def training_page(request: Request, training_id: str, account: AdminPage, training: TrainingDep):
    context = _context(request, _found(training, training_id))
    return page(request, "admin/training.html", {"title": "训练进度 · 排序模型 · 管理", **context}, account=account)


@router.get("/{training_id}/progress")
def training_progress(request: Request, training_id: str, account: AdminPage, training: TrainingDep):
    """The partial the page polls: the progress bar, then the evaluation tables and activate buttons."""
    return page(request, "partials/training_progress.html", _context(request, _found(training, training_id)),
                account=account)


def _found(training: RankerTraining, training_id: str) -> TrainingState:
    state = training.get(training_id)
    if state is None:
        raise Problem(404, f"没有这次训练：{training_id}")
    return state


def _context(request: Request, state: TrainingState) -> dict:
    ranker_dir = request.app.state.settings.ranker_dir
    active = request.app.state.matcher.status()["rankers"]
    tables = {d: _comparison(ranker_dir, d, v, state.previous.get(d)) for d, v in state.versions.items()}
    return {"training": state, "tables": tables, "active": active, "names": DIRECTION_NAMES,
            "scorers": SCORERS_SHOWN, "metrics": METRICS_SHOWN,
            "percent": 100 if state.status == "done" else state.done * 100 // state.total}


def _comparison(ranker_dir: Path, direction: str, version: str, previous: str | None) -> dict:
    """Rows of the evaluation table: the new manifest's scorers, and the previous active ranker's own ranker row."""
    new = _metrics(ranker_dir / direction / version / "manifest.json")
    rows = {f"新模型 {version}": new.get("ranker", {})}
    if previous:
        rows[f"训练前使用的模型 {previous}"] = _metrics(ranker_dir / direction / previous / "manifest.json").get(
            "ranker", {})
    rows.update({BASELINE_NAMES[s]: new.get(s, {}) for s in SCORERS_SHOWN if s != "ranker"})
    return {"version": version, "rows": rows}


def _metrics(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("metrics") or {}
    except (OSError, ValueError):
        return {}
