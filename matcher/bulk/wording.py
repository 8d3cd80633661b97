"""How a bulk run's numbers read on paper: 匹配度 on 0–100, durations in words, the summary's Chinese labels.

匹配度 (0–100) is the run's score rescaled min–max over every pair the run wrote: 100 × (score − lowest) /
(highest − lowest), rounded to a whole number. Ranker scores only compare in order and may be negative; the
rescaled value keeps that order, puts the run's best pair at 100 and its weakest at 0, and is the same affine
map the schedule maximises (``ScoreScale.gains``), so a sheet's 匹配度 and the solver never disagree. It says
how a pair stands within this run, not an absolute probability of a hire.
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd

GAIN_FLOOR = 1e-3
"""The schedule's gains lie in [floor, 1]: the solver never takes a pair worth ≤ 0, so the weakest pair keeps a
small positive gain."""

SUMMARY_LABELS = {"talents": "人才数", "jobs": "岗位数", "pairs": "写出匹配条数",
                  "no_fit_talents": "暂无合适岗位的人才数", "seconds": "匹配用时",
                  "median_score": "匹配度中位数（0–100）", "top": "每人推荐岗位数", "shortlist": "每岗位名单人数",
                  "urgent_gaps": "急需岗位缺口数"}
SCHEDULE_LABELS = {"solver": "排程方法", "interviews": "安排面试场次", "talents_scheduled": "有面试的人才数",
                   "total_score": "匹配度合计（0–100计）", "urgent_positions": "急需岗位数",
                   "urgent_covered": "已安排面试的急需岗位数", "urgent_filled": "面试人数达到需求的急需岗位数",
                   "unplaced_talents": "未能安排面试的人才数", "urgent_short": "面试人数不足的急需岗位数",
                   "booth_count": "展位数", "capacity": "展位可容纳面试场次", "seconds": "排程用时"}
SOLVER_NAMES = {"ortools.SimpleMinCostFlow": "最优排程（最小费用流）", "greedy": "按匹配度依次选取（贪心）"}
BOOTH_KIND_NAMES = {"employer": "每个用人单位一个展位", "job": "每个岗位一个展位"}


@dataclass(frozen=True)
class ScoreScale:
    """The run's lowest and highest written score; see the module docstring."""

    low: float
    high: float

    @classmethod
    def of(cls, scores: pd.Series) -> ScoreScale:
        return cls(float(scores.min()), float(scores.max())) if len(scores) else cls(0.0, 1.0)

    def unit(self, scores: pd.Series | np.ndarray) -> np.ndarray:
        """(n,) float64 in [0, 1]; every score 1 when the run's scores are all equal."""
        values = np.asarray(scores, np.float64)
        if self.high <= self.low:
            return np.ones_like(values)
        return np.clip((values - self.low) / (self.high - self.low), 0.0, 1.0)

    def percent(self, scores: pd.Series | np.ndarray) -> np.ndarray:
        """匹配度 as printed: (n,) int64 in 0..100 (missing scores stay NaN, as float64)."""
        values = np.asarray(scores, np.float64)
        rounded = np.rint(100 * self.unit(values))
        return rounded.astype(np.int64) if not np.isnan(values).any() else np.where(np.isnan(values), np.nan, rounded)

    def gains(self, scores: pd.Series) -> pd.Series:
        """What the schedule maximises: the unit score lifted to [GAIN_FLOOR, 1]."""
        return pd.Series(GAIN_FLOOR + (1 - GAIN_FLOOR) * self.unit(scores), index=scores.index)


def duration_words(seconds: float | None) -> str:
    """不到1秒, 12秒, 1分05秒, 1小时02分 — how a time is said, not a decimal of seconds."""
    if seconds is None or seconds != seconds:
        return "—"
    whole = int(round(seconds))
    if seconds < 1:
        return "不到1秒"
    if whole < 60:
        return f"{whole}秒"
    if whole < 3600:
        return f"{whole // 60}分{whole % 60:02d}秒"
    return f"{whole // 3600}小时{whole % 3600 // 60:02d}分"


def number_words(value: object) -> str:
    """Thousands separators; floats to 3 decimals below 1000, whole numbers above; — for missing."""
    if value is None or (isinstance(value, float) and value != value):
        return "—"
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return f"{int(value):,}"
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return f"{value:,.3f}".rstrip("0").rstrip(".") if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def summary_rows(summary: dict) -> list[tuple[str, str]]:
    """(label, value in words) for the run summary's keys present; the event plan's lines after them."""
    rows = []
    scale = ScoreScale(*summary["score_range"]) if summary.get("score_range") else None
    for key, label in SUMMARY_LABELS.items():
        if key in summary:
            value = summary[key]
            if key == "urgent_gaps":
                value = len(value)
            elif key == "median_score" and value is not None and scale is not None:
                value = int(scale.percent([value])[0])
            rows.append((label, duration_words(value) if key == "seconds" else number_words(value)))
    if "seconds_with_outputs" in summary:
        rows.append(("含输出文件的总用时", duration_words(summary["seconds_with_outputs"])))
    plan = (summary.get("schedule") or {}).get("plan")
    return rows + (plan_rows(plan) if plan else [])


def plan_rows(plan: dict) -> list[tuple[str, str]]:
    """The event plan (``EventPlan.describe``) in words."""
    rows = [("活动日期", plan["date"] or "未指定")] if "date" in plan else []
    rows += [("面试时间", f"{plan['start']}–{plan['end']}，每场{plan['slot_minutes']}分钟，共{plan['slots']}场"),
             ("展位安排", BOOTH_KIND_NAMES.get(plan["booths"], plan["booths"])
              + f"，每个展位{plan['interviewers']}名面试官，可面试{plan['booth_capacity']}人次")]
    return rows + ([("地点", plan["venue"])] if plan.get("venue") else [])


def schedule_value(key: str, value: object) -> str:
    if key == "solver":
        return SOLVER_NAMES.get(str(value), str(value))
    if key == "seconds":
        return duration_words(value)  # type: ignore[arg-type]
    return number_words(value)
