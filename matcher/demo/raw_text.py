"""Vectorised renderers for the messy free-text fields (education, experience, salary, lists) of demo data.

All functions take numpy arrays plus a Generator and return object arrays of Python str, choosing
among several real-world spellings so the importer's normalisers have work to do.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """0..99 in Chinese numerals, the way people write years: 八, 十, 十二, 二十五."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + ("" if ones == 0 else _DIGITS[ones])


CHINESE_NUMBERS = np.array([chinese_number(i) for i in range(100)], dtype=object)


def as_text(values: np.ndarray) -> np.ndarray:
    """Integers to an object array of str."""
    return np.asarray(values).astype(np.int64).astype(str).astype(object)


def by_form(choice: np.ndarray, builders: Sequence[Callable[[np.ndarray], np.ndarray]]) -> np.ndarray:
    """Build each row with ``builders[choice[row]]``, each builder given the boolean mask of its rows."""
    out = np.empty(len(choice), dtype=object)
    for k, build in enumerate(builders):
        mask = choice == k
        if mask.any():
            out[mask] = build(mask)
    return out


def pick(forms: Sequence[str], n: int, rng: np.random.Generator,
         p: Sequence[float] | None = None) -> np.ndarray:
    """n draws from a list of literal strings."""
    return np.asarray(forms, dtype=object)[rng.choice(len(forms), size=n, p=p)]


_TALENT_EDUCATION = (("初中", "初中及以下"), ("高中", "中专", "技校", "职高"), ("大专", "专科", "高职"),
                     ("本科", "学士", "全日制本科"), ("硕士", "研究生", "硕士研究生"), ("博士", "博士研究生"))
_JOB_EDUCATION = (("不限", "初中及以上"), ("中专及以上", "高中/中专", "技校"),
                  ("大专及以上", "专科", "大专"), ("本科及以上", "全日制本科", "统招本科"),
                  ("硕士及以上", "硕士研究生"), ("博士", "博士研究生"))


def _education(table: tuple[tuple[str, ...], ...], rank: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    width = max(len(forms) for forms in table)
    padded = np.array([list(forms) + [forms[0]] * (width - len(forms)) for forms in table], dtype=object)
    counts = np.array([len(forms) for forms in table])
    choice = (rng.random(len(rank)) * counts[rank - 1]).astype(np.int64)
    return padded[rank - 1, choice]


def talent_education(rank: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """学历 as a talent writes it, from rank 1 (初中) .. 6 (博士)."""
    return _education(_TALENT_EDUCATION, rank, rng)


def job_education(rank: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """学历要求 as a job ad writes it, from rank 1 .. 6."""
    return _education(_JOB_EDUCATION, rank, rng)


def job_experience(minimum: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """经验要求: 应届毕业生 / 不限 for 0 years, else 3-5年, 3年以上, 三年以上 …"""
    lo, hi = as_text(minimum), as_text(minimum + np.where(minimum < 3, 2, 3))
    builders = (lambda m: lo[m] + "-" + hi[m] + "年", lambda m: lo[m] + "年以上",
                lambda m: lo[m] + "年及以上", lambda m: CHINESE_NUMBERS[minimum[m]] + "年以上")
    text = by_form(rng.choice(4, size=len(minimum), p=[0.35, 0.3, 0.2, 0.15]), builders)
    fresh = pick(("应届毕业生", "不限", "经验不限", "无经验可培养"), len(minimum), rng)
    return np.where(minimum == 0, fresh, text)


def talent_experience(years: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """工作年限: 8, 8年, 八年, 10年以上, 应届."""
    digits = as_text(years)
    builders = (lambda m: digits[m], lambda m: digits[m] + "年", lambda m: CHINESE_NUMBERS[years[m]] + "年",
                lambda m: as_text(years[m] // 5 * 5) + "年以上")
    text = by_form(rng.choice(4, size=len(years), p=[0.35, 0.4, 0.1, 0.15]), builders)
    return np.where(years == 0, pick(("应届", "0", "无"), len(years), rng), text)


def job_salary(low: np.ndarray, high: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """薪资 of a job from monthly yuan bounds: 8-12万/年, 6k-8k, 6000-8000元/月, 年薪20万, 面议 …"""
    lo_k, hi_k = as_text(np.round(low / 1000)), as_text(np.round(high / 1000))
    lo_y, hi_y = as_text(np.round(low * 12 / 10000)), as_text(np.round(high * 12 / 10000))
    lo, hi = as_text(low), as_text(high)
    builders = (lambda m: lo_y[m] + "-" + hi_y[m] + "万/年", lambda m: lo_k[m] + "k-" + hi_k[m] + "k",
                lambda m: lo[m] + "-" + hi[m] + "元/月", lambda m: "年薪" + hi_y[m] + "万",
                lambda m: np.full(m.sum(), "面议", dtype=object), lambda m: lo[m] + "-" + hi[m],
                lambda m: lo_k[m] + "K-" + hi_k[m] + "K")
    choice = rng.choice(7, size=len(low), p=[0.2, 0.2, 0.25, 0.08, 0.07, 0.12, 0.08])
    return by_form(choice, builders)


def talent_salary(expected: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """期望薪资 from monthly yuan: 8000, 8-10k, 1万左右, 面议, 年薪15万."""
    k = np.maximum(expected // 1000, 1)
    tens = np.round(expected / 10000, 1)
    wan = np.where(tens == np.round(tens), tens.astype(np.int64).astype(str), tens.astype(str)).astype(object)
    builders = (lambda m: as_text(expected[m]), lambda m: as_text(k[m]) + "-" + as_text(k[m] + 2) + "k",
                lambda m: np.where(expected[m] >= 10000, wan[m] + "万左右", as_text(expected[m]) + "元左右"),
                lambda m: np.full(m.sum(), "面议", dtype=object),
                lambda m: as_text(expected[m]) + "-" + as_text(expected[m] + 2000),
                lambda m: "年薪" + as_text(np.round(expected[m] * 12 / 10000)) + "万")
    return by_form(rng.choice(6, size=len(expected), p=[0.3, 0.2, 0.15, 0.1, 0.15, 0.1]), builders)


def join_sampled(options: np.ndarray, counts: np.ndarray, k: np.ndarray, separators: Sequence[str],
                 rng: np.random.Generator) -> np.ndarray:
    """Join k[i] distinct entries of row options[i, :counts[i]] with one separator per row.

    options is (n, width) object; counts (n,) how many entries are real; k (n,) how many to take.
    """
    n, width = options.shape
    keys = rng.random((n, width)) + (np.arange(width) >= counts[:, None])  # padding sorts last
    order = np.argsort(keys, axis=1)
    chosen = np.take_along_axis(options, order, axis=1)
    k = np.minimum(k, counts)
    sep = pick(separators, n, rng)
    text = chosen[:, 0].copy()
    for j in range(1, width):
        more = k > j
        text[more] = text[more] + sep[more] + chosen[more, j]
    return text


def pad_lists(lists: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Ragged list of str lists -> ((len, width) object table padded with "", (len,) lengths)."""
    width = max(len(items) for items in lists)
    table = np.array([list(items) + [""] * (width - len(items)) for items in lists], dtype=object)
    return table, np.array([len(items) for items in lists], dtype=np.int64)
