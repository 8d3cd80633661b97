"""The relevance floor: a pair is shown only with evidence that the work fits, and when nothing fits the person is
told 暂无合适岗位 and what the nearest positions lack, instead of being handed unrelated jobs as filler.

Evidence is any one of: a shared 大典 小类, a major leading to the job's occupation, a shared skill, the
certificate the job requires, a graded qualification meeting the requirement, a similar job title, text close
enough on either retrieval channel, or both channels ranking the pair among their first two with words in
common. Location, salary, urgency and education never count as
evidence: they reorder jobs that fit. The one ranking path applies it to a served query and a bulk run
alike (matcher.rank.ranking), so shortlists, urgent-gap counts and interview schedules hold only fitting pairs.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from matcher.rank.explain import EDUCATION_NAMES, LEVEL_SHORT, _known
from matcher.rank.feature_columns import COLUMN
from matcher.rank.features import feature_values

FIT_EVIDENCE: dict[str, float] = {
    "occupation_match": 3.0,     # shared occupation-code segments (3: the same 小类)
    "skill_overlap": 1.0,        # skills in common
    "cert_held": 1.0,            # holds the certificate the job requires
    "major_fit": 1.0,            # the job's occupation (小类 or the occupation itself) is one the major leads to
    "qualification_fit": 1.0,    # holds the required graded qualification at its grade and speciality
    "title_similarity": 0.3,     # overlap of the two titles' character bigrams
    "dense_score": 0.75,         # cosine of the two texts under the default model
    "sparse_score": 25.0,        # BM25 of the query's words in the other text
}
"""Feature → the value at or above which it shows that the work fits (see :func:`fits`)."""
AGREEING_RANK = 2
AGREEING_SPARSE = 8.0
"""The channels agree when both rank the pair within their first AGREEING_RANK and it shares words worth at least
AGREEING_SPARSE of BM25: evidence for a description in a person's own words ("会修电动车"), which carries no
occupation code, certificate or listed skill and whose cosine to a formal posting stays modest. Ranks are among
the candidates the query's filters leave, so under a filter leaving two or three candidates this evidence is weak."""

NO_JOB = "暂无合适岗位"
NO_TALENT = "暂无合适人选"
NEAREST = 3
"""How many of the nearest non-fitting pairs :func:`shortfall` describes."""
SHORTFALL_FEATURES = ("cert_required", "cert_held", "cert_meets_level", "qualification_fit", "education_gap",
                      "experience_gap")
SHORTFALL_JOB_COLUMNS = ("title", "req_cert_name", "req_cert_level", "req_cert_graded", "req_qual_text",
                         "education_rank", "experience_min")


def fits(features: pd.DataFrame | np.ndarray) -> np.ndarray:
    """(n,) bool: the feature rows (a frame, or a matrix in FEATURE_COLUMNS order) with at least one piece of
    FIT_EVIDENCE. A missing value (NaN) is no evidence: every comparison with NaN is false."""
    matrix = feature_values(features)

    def column(name: str) -> np.ndarray:
        return matrix[:, COLUMN[name]].astype(np.float64)

    found = np.zeros(len(matrix), dtype=bool)
    for name, floor in FIT_EVIDENCE.items():
        found |= column(name) >= floor
    agree = (column("dense_rank") <= AGREEING_RANK) & (column("sparse_rank") <= AGREEING_RANK)
    return found | (agree & (column("sparse_score") >= AGREEING_SPARSE))


def shortfall(features: Sequence[Mapping[str, float]], jobs: Sequence[Mapping[str, object]],
              direction: str = "recommend") -> tuple[str, ...]:
    """What the nearest non-fitting pairs lack, in plain Chinese, nearest first: for a person, each position's
    title and what they miss for it (缺少焊工证书, 学历低于本科要求); for a position, what its nearest
    candidates miss, without naming anyone. ``features[i]`` is a feature row, ``jobs[i]`` its job's profile
    (SHORTFALL_JOB_COLUMNS)."""
    texts: list[str] = []
    for f, job in zip(features, jobs, strict=True):
        gaps = "、".join(_gaps(f, job)) or "工作内容与经历、技能不对口"
        text = f"「{job['title']}」{gaps}" if direction == "recommend" else gaps
        if text not in texts:
            texts.append(text)
    return tuple(texts)


def _gaps(f: Mapping[str, float], job: Mapping[str, object]) -> list[str]:
    gaps = _qualification_gaps(f, job)
    if not (gaps and job["req_cert_graded"]):  # the checked certificate is that qualification: said once
        gaps += _certificate_gaps(f, job)
    if _known(f["education_gap"]) and f["education_gap"] < 0:
        gaps.append(f"学历低于{EDUCATION_NAMES[int(job['education_rank'])]}要求")
    if _known(f["experience_gap"]) and f["experience_gap"] < 0:
        gaps.append(f"工作年限少于{float(job['experience_min']):g}年")
    return gaps


def _qualification_gaps(f: Mapping[str, float], job: Mapping[str, object]) -> list[str]:
    """A required graded qualification (二级建造师（建筑工程）, 高级中学教师资格) not held, or held below its grade
    or in another speciality (qualification_fit 0, or between 0 and 1)."""
    fit, text = f["qualification_fit"], job["req_qual_text"]
    if not _known(fit) or fit >= 1 or not text:
        return []
    return [f"缺少{text}" if fit == 0 else f"所持资格未达到岗位要求的{text}"]


def _certificate_gaps(f: Mapping[str, float], job: Mapping[str, object]) -> list[str]:
    name = job["req_cert_name"] or "相关"
    level = job["req_cert_level"]
    level_text = LEVEL_SHORT.get(int(level), "") if _known(level) else ""
    if f["cert_required"] and f["cert_held"] == 0:
        return [f"缺少{name}证书{level_text}"]
    if f["cert_required"] and f["cert_meets_level"] == 0:
        return [f"{name}证书等级低于要求的{level_text or '等级'}"]
    return []
