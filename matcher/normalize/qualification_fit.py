"""How well a person's certificates answer one certificate a job requires: held, meets, grade gap and a score.

Contract (pure; inputs are normalised certificates, as matcher.normalize.certificate.Certificate or their
stored dicts in ``certificates_norm``; older dicts without ``grade``/``speciality`` read as None):

- **held**: the person holds the same qualification at any grade or speciality: the same graded qualification
  (建造师, 教师资格, 会计专业技术资格 …) or exam, the same trade for skill levels and operation permits (one
  occupation code: 电工 高级技师 and 低压电工作业), the same title series (工程师 ↔ 高级工程师); a bare title
  rank (中级职称) is held by any title or any qualification whose grade corresponds to a title rank (一级建造师).
- **meets**: held, at or above the required grade/level/stage (rank within the qualification, see
  catalogs/qualification_grades.csv: 高级中学 ≥ 初级中学, 幼儿园 < 小学 < 初级中学 < 高级中学 = 中等职业学校),
  and in every required speciality (the requirement's specialities are a subset of the held ones, so 电气 is
  met by 电气·供配电; an operation permit counts as its own speciality). A requirement without a grade is met
  by any grade.
- **gap**: grade steps below the requirement (0 when the grade meets it; NaN when not held or when either
  side states no grade, so they cannot be compared).
- **score** in [0, 1]: 0 when not held; 1 exactly when meets; otherwise strictly between, falling with the gap
  (BELOW_FIRST_STEP, then × BELOW_DECAY per further step), UNSTATED_GRADE when the grades cannot be compared,
  × OTHER_SPECIALITY when a required speciality is missing. So **a lower level never scores below none**.

Among several held certificates the best score counts. :func:`fit_arrays` is the vectorised core every
call goes through; a ranking feature can call it on whole (n,) arrays of looked-up ranks.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, is_dataclass
from functools import lru_cache

import numpy as np

from matcher.catalogs.certificates import TITLE_RANKS, load_titles
from matcher.normalize.qualification import grade_ranks, speciality_parts

BELOW_FIRST_STEP = 0.5
"""Score of holding the qualification one grade below the requirement (e.g. 电工 四级 for 电工 三级)."""
BELOW_DECAY = 0.5
"""Each further grade below multiplies the score by this."""
UNSTATED_GRADE = 0.75
"""Held, but one side states no grade: likely usable, not shown to meet."""
OTHER_SPECIALITY = 0.5
"""Factor when the qualification is held in another speciality (建造师 市政 for 建造师 机电)."""
SKILL_LEVEL_TOP = 6
"""Skill level 1 (高级技师) … 5 (初级工) as rank 5 … 1: rank = SKILL_LEVEL_TOP - level."""
_TRADE_KINDS = frozenset({"skill_level", "special_operation"})


@dataclass(frozen=True)
class Standing:
    """One certificate as fit compares it: what must match to hold it, its rank, its specialities."""

    key: str
    rank: float
    specialities: frozenset[str]


@dataclass(frozen=True)
class QualificationFit:
    held: bool
    meets: bool
    gap: float
    score: float


@dataclass(frozen=True)
class FitArrays:
    """(n,) results of :func:`fit_arrays`: meets bool, gap float64 (NaN unknown), score float64."""

    meets: np.ndarray
    gap: np.ndarray
    score: np.ndarray


NOT_HELD = QualificationFit(False, False, float("nan"), 0.0)


def fit_arrays(holds: np.ndarray, held_rank: np.ndarray, required_rank: np.ndarray,
               speciality_ok: np.ndarray) -> FitArrays:
    """The contract above on aligned (n,) arrays: ``holds`` bool, ranks float64 (NaN = no grade stated,
    higher is better), ``speciality_ok`` bool (every required speciality is held)."""
    holds = np.asarray(holds, dtype=bool)
    held_rank, required_rank = np.asarray(held_rank, dtype=np.float64), np.asarray(required_rank, dtype=np.float64)
    no_requirement = np.isnan(required_rank)
    comparable = holds & ~np.isnan(held_rank) & ~no_requirement
    with np.errstate(invalid="ignore"):
        below = np.where(comparable, np.maximum(required_rank - held_rank, 0.0), np.nan)
    grade_ok = holds & (no_requirement | (comparable & (below == 0)))
    gap = np.where(grade_ok, 0.0, below)
    grade_score = np.where(grade_ok, 1.0, np.where(
        comparable, BELOW_FIRST_STEP * BELOW_DECAY ** np.maximum(np.nan_to_num(gap) - 1.0, 0.0), UNSTATED_GRADE))
    speciality_ok = np.asarray(speciality_ok, dtype=bool)
    score = np.where(holds, grade_score * np.where(speciality_ok, 1.0, OTHER_SPECIALITY), 0.0)
    return FitArrays(grade_ok & speciality_ok, np.where(holds, gap, np.nan), score)


def qualification_fit(held: Iterable[object], required: object) -> QualificationFit:
    """How the certificates ``held`` answer the one certificate ``required`` (the module's contract)."""
    wanted = certificate_standing(required, as_title_rank=_is_bare_rank(required))
    if not wanted.key:
        return NOT_HELD
    candidates = [s for s in (certificate_standing(c, as_title_rank=wanted.key == "title:") for c in held)
                  if s.key == wanted.key or (wanted.key == "title:" and s.key.startswith("title"))]
    if not candidates:
        return NOT_HELD
    n = len(candidates)
    fits = fit_arrays(np.ones(n, dtype=bool), np.array([c.rank for c in candidates]), np.full(n, wanted.rank),
                      np.array([wanted.specialities <= c.specialities for c in candidates]))
    best = int(np.lexsort((np.nan_to_num(fits.gap, nan=np.inf), -fits.score))[0])
    return QualificationFit(True, bool(fits.meets[best]), float(fits.gap[best]), float(fits.score[best]))


def requirement_fits(held: Iterable[object], required: Iterable[object]) -> tuple[QualificationFit, ...]:
    """:func:`qualification_fit` of each required certificate, in order (a cell does not say whether its
    requirements are alternatives or all needed; the caller decides)."""
    held = list(held)
    return tuple(qualification_fit(held, r) for r in required)


def certificate_standing(certificate: object, as_title_rank: bool = False) -> Standing:
    """The key, rank and specialities of one certificate. ``as_title_rank``: only its title rank counts (for a
    bare rank requirement such as 中级职称), keyed ``title:`` when it has one."""
    c = _as_dict(certificate)
    kind, name, grade = c.get("kind"), c.get("name"), c.get("grade")
    if as_title_rank:
        rank = TITLE_RANKS.index(c["title_rank"]) + 1.0 if c.get("title_rank") in TITLE_RANKS else np.nan
        return Standing("title:" if not np.isnan(rank) else "", rank, frozenset())
    if kind == "title":
        rank = TITLE_RANKS.index(c["title_rank"]) + 1.0 if c.get("title_rank") in TITLE_RANKS else np.nan
        return Standing(f"title:{_title_series().get(name, name)}" if name else "title:", rank, frozenset())
    if kind in _TRADE_KINDS:
        trade = c.get("occupation_code") or name
        level = c.get("level")
        specialities = frozenset({name}) if kind == "special_operation" and name else frozenset()
        return Standing(f"trade:{trade}" if trade else "", float(SKILL_LEVEL_TOP - level) if level else np.nan,
                        specialities)
    rank = _grade_ranks().get((name, grade), np.nan) if grade else np.nan
    return Standing(f"{kind}:{name}" if name else "", float(rank), speciality_parts(c.get("speciality")))


def _is_bare_rank(certificate: object) -> bool:
    c = _as_dict(certificate)
    return c.get("kind") == "title" and not c.get("name") and c.get("title_rank") in TITLE_RANKS


def _as_dict(certificate: object) -> Mapping:
    if is_dataclass(certificate) and not isinstance(certificate, type):
        return asdict(certificate)
    if isinstance(certificate, Mapping):
        return certificate
    raise TypeError(f"expected a Certificate or its dict, got {type(certificate).__name__}")


@lru_cache(maxsize=1)
def _grade_ranks() -> dict[tuple[str, str], int]:
    return grade_ranks()


@lru_cache(maxsize=1)
def _title_series() -> dict[str, str]:
    """Title → its series (the first listed where a title sits in two, e.g. 讲师)."""
    series: dict[str, str] = {}
    for title in load_titles():
        series.setdefault(title.title, title.series)
    return series
