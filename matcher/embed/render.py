"""Talent and job records → one text each, from one field template shared by both directions."""
from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from matcher.personal_data import scrub_all

SEGMENT_END = "。"
LEVEL_NAMES = {1: "一级", 2: "二级", 3: "三级", 4: "四级", 5: "五级"}
TALENT_FREE_TEXT = "summary"
JOB_FREE_TEXT = "description"
TALENT_NAME = "name"

_LIST_SEPARATORS = re.compile(r"[,，、;；/|\s]+")
_WHITESPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_TRAILING_PUNCTUATION = "。.；;，,、 "


@dataclass(frozen=True)
class RenderField:
    """One labelled segment; each side lists the columns tried in order (first non-empty wins)."""

    label: str
    talent_columns: tuple[str, ...]
    job_columns: tuple[str, ...]


# One order for both sides, so a talent and a job with the same facts render the same words.
# Regions stay out: they are hard filters and ranking features, and in the text they would pull
# vectors towards place rather than work. Name, phone and id_number are never listed.
RENDER_FIELDS: tuple[RenderField, ...] = (
    RenderField("职位", ("current_title",), ("title",)),
    RenderField("行业", ("industry_key", "industry"), ("industry_key", "industry")),
    RenderField("技能", ("skills_norm", "skills"), ("skills_norm", "skills")),
    RenderField("证书", ("certificates_norm", "certificates"), ("certificates_norm", "certificates")),
    RenderField("学历", ("education",), ("education",)),
    RenderField("专业", ("major",), ()),
    RenderField("经验", ("experience_years",), ("experience",)),
)


def is_missing(value: Any) -> bool:
    """None, NaN, pd.NA or NaT: a cell the frames hold for an empty field."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _clean(value: Any) -> str:
    if is_missing(value):
        return ""
    return _WHITESPACE.sub(" ", str(value)).strip().rstrip(_TRAILING_PUNCTUATION)


def _as_list(value: Any) -> list[Any]:
    """A JSON list column's cell as a list, whether stored as JSON text, a list or an array."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return [value]
    if isinstance(value, list | tuple | np.ndarray):
        return list(value)
    return []


def _terms(value: Any) -> str:
    return " ".join(dict.fromkeys(t for t in (_clean(v) for v in _as_list(value)) if t))


def _certificate(item: Any) -> str:
    if not isinstance(item, Mapping):
        return _clean(item)
    parts = [_clean(item.get("name")), LEVEL_NAMES.get(item.get("level"), ""), _clean(item.get("title_rank"))]
    return " ".join(p for p in parts if p)


def _certificates(value: Any) -> str:
    return "、".join(dict.fromkeys(c for c in (_certificate(i) for i in _as_list(value)) if c))


def _raw_list(value: Any) -> str:
    return " ".join(t for t in _LIST_SEPARATORS.split(_clean(value)) if t)


def _years(value: Any) -> str:
    """Years of experience: a bare number (5.0 or "5") gains 年; ranges and words stay as written."""
    text = _clean(value)
    return f"{float(text):g}年" if _NUMBER.fullmatch(text) else text


_CELL_FORMATTERS: dict[str, Callable[[Any], str]] = {
    "skills_norm": _terms, "certificates_norm": _certificates,
    "skills": _raw_list, "certificates": _raw_list, "experience_years": _years,
}


def _column_text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    values = frame[column].to_numpy(dtype=object)
    return pd.Series(_formatted(values, _CELL_FORMATTERS.get(column, _clean)), index=frame.index, dtype=object)


def _field_text(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.Series:
    """The first non-empty text of ``columns``, row by row; a later column is formatted only for the rows
    the earlier ones left empty."""
    text = np.full(len(frame), "", dtype=object)
    for column in columns:
        empty = text == ""
        if not empty.any() or column not in frame.columns:
            continue
        formatter = _CELL_FORMATTERS.get(column, _clean)
        text[empty] = _formatted(frame[column].to_numpy(dtype=object)[empty], formatter)
    return pd.Series(text, index=frame.index, dtype=object)


def _formatted(values: np.ndarray, formatter: Callable[[Any], str]) -> np.ndarray:
    """``formatter`` of each value, as an object array. Text columns repeat a few values over many rows
    (education, industry, titles): those are formatted once per distinct value (a missing value as None)."""
    out = np.empty(len(values), dtype=object)
    missing = pd.isna(values)  # None, NaN, pd.NA, NaT: every formatter gives them ""
    present = values[~missing]
    if set(map(type, present)) <= {str}:
        codes, distinct = pd.factorize(present)
        once = np.empty(len(distinct), dtype=object)
        once[:] = [formatter(v) for v in distinct]
        out[missing], out[~missing] = formatter(None), once[codes]
        return out
    out[:] = [formatter(v) for v in values]
    return out


def _render(frame: pd.DataFrame, side_columns: Callable[[RenderField], tuple[str, ...]],
            free_text: str) -> list[str]:
    text = pd.Series("", index=frame.index, dtype=object)
    for field in RENDER_FIELDS:
        value = _field_text(frame, side_columns(field))
        text = text + np.where(value != "", field.label + "：" + value + SEGMENT_END, "")
    body = _column_text(frame, free_text)
    text = text + np.where(body != "", body + SEGMENT_END, "")
    return scrub_all(text.tolist())


def _drop_names(texts: list[str], frame: pd.DataFrame) -> list[str]:
    """Remove each talent's own name from their text (people write it into summaries)."""
    if TALENT_NAME not in frame.columns:
        return texts
    names = [_clean(n) for n in frame[TALENT_NAME]]
    return [t.replace(n, "") if len(n) >= 2 else t for t, n in zip(texts, names, strict=True)]


def render_talents(frame: pd.DataFrame) -> list[str]:
    """One text per talent row, in row order; the template is RENDER_FIELDS then the summary."""
    return _drop_names(_render(frame, lambda f: f.talent_columns, TALENT_FREE_TEXT), frame)


def render_jobs(frame: pd.DataFrame) -> list[str]:
    """One text per job row, in row order; the template is RENDER_FIELDS then the description."""
    return _render(frame, lambda f: f.job_columns, JOB_FREE_TEXT)


def render_talent(row: Mapping[str, Any] | pd.Series) -> str:
    """The text of one talent record (same code path as :func:`render_talents`)."""
    return render_talents(pd.DataFrame([dict(row)]))[0]


def render_job(row: Mapping[str, Any] | pd.Series) -> str:
    """The text of one job record (same code path as :func:`render_jobs`)."""
    return render_jobs(pd.DataFrame([dict(row)]))[0]


RENDERERS = {"talent": render_talents, "job": render_jobs}
"""The frame renderer of each side ("talent" | "job")."""
