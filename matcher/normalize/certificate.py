"""Certificate cells → canonical certificates (skill level, qualification, title, special operation, other).

Naming policy for ``Certificate.name``:
- skill_level: the 职业分类大典 2022 occupation name without its L/S marks (电工, 中式烹调师); a trade the
  大典 splits (钳工) keeps its colloquial name and has no occupation code; None when the text gives only
  a level (高级技师).
- qualification: the item name of the 国家职业资格目录（2021年版） (建造师, 教师资格); a tier such as
  一级建造师 is kept as the title rank the tier corresponds to (一级 → 中级, 二级 → 初级).
- title: the title itself (工程师, 高级会计师); None for a bare rank (中级职称).
- special_operation: the operation item (低压电工作业, 叉车司机).
- other: a fixed name for known exams and licences (机动车驾驶证C1, 大学英语四级), else the cleaned text.

A bare trade certificate (电工证, 焊工证) is the legally required operation permit, so it is a
special_operation; the same trade with a level (高级电工证, 焊工证(中级)) is a skill-level certificate.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from matcher.catalogs import certificates as catalog
from matcher.catalogs.occupations import level4_occupations

SKILL_OCCUPATION_GROUPS = frozenset("3456")
"""大类 of the 职业分类大典 whose occupations are certified by skill level (办事人员 … 生产制造人员)."""
NO_CERTIFICATE = frozenset({"无", "暂无", "没有", "不限", "无要求", "不要求", "-", "/"})

_SEPARATORS = frozenset("；;、,，/|\n\t \u3000")
_OPEN, _CLOSE = "(（[【", ")）]】"
_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")"})
_AT_LEAST = re.compile(r"[及或]?以上")
_PREFIX = re.compile(r"^(?:需|须|要求)?(?:持有|持|具有|具备|取得)(?!证)(?:有效的?)?")
_SUFFIX = re.compile(r"(?:者?优先|(?<=证)者|(?<=证书)者)$")
_SUFFIXES = ("职业资格证书", "职业资格证", "技能等级证书", "技能等级证", "执业资格证书", "执业资格证",
             "执业证书", "资格证书", "等级证书", "执业证", "资格证", "上岗证", "操作证", "合格证", "证书",
             "证件", "职称", "证", "资格")
_RANK_WORDS = {"正高级": "正高级", "副高级": "副高级", "正高": "正高级", "副高": "副高级", "高级": "副高级",
               "中级": "中级", "初级": "初级"}
_RANK_PREFIX = re.compile(r"^(正高级|副高级|正高|副高|高级|中级|初级)(.+)$")
_RANK_IN_BRACKETS = re.compile(r"^(.+)\((正高级|副高级|高级|中级|初级)\)$")
_QUALIFIER_IN_BRACKETS = re.compile(r"^(.+)\(([^()]+)\)$")
_CHINESE_DIGIT = {"1": "一", "2": "二", "3": "三", "4": "四", "6": "六", "8": "八"}
_DRIVING = (re.compile(r"(?:机动车)?(?:驾驶证|驾照|驾驶执照):?(A[1-3]|B[12]|C[1-6]|[DEFMNP])(?:照|本)?"),
            re.compile(r"(A[1-3]|B[12]|C[1-6]|[DEFMNP])(?:驾驶证|驾照|驾驶执照|照|本|证)"),
            re.compile(r"(A[1-3]|B[12]|C[1-6])"))
_EXAMS = ((re.compile(r"(?:大学)?英语([四六])级|CET-?([46])"), "大学英语{}级"),
          (re.compile(r"(?:英语专业|专业英语)([四八])级|TEM-?([48])|^专([四八])$"), "英语专业{}级"),
          (re.compile(r"计算机(?:等级考试|等级)?([一二三四1-4])级|NCRE-?([1-4])"), "全国计算机等级考试{}级"),
          (re.compile(r"普通话(?:水平测试)?([一二三])级?([甲乙])等?"), "普通话水平测试{}级{}等"))


@dataclass(frozen=True)
class Certificate:
    """One certificate named in a cell; ``raw`` is the piece of the cell it was read from."""

    raw: str
    kind: str
    name: str | None
    occupation_code: str | None
    level: int | None
    title_rank: str | None

    @property
    def identity(self) -> tuple[str, str | None, str | None, int | None, str | None]:
        """Everything but ``raw``: two pieces with one identity name the same certificate."""
        return self.kind, self.name, self.occupation_code, self.level, self.title_rank


def normalize_certificates(text: str | None) -> list[Certificate]:
    """Every distinct certificate in a cell, in cell order; a cell may list several (、；, / or spaces)."""
    if not text:
        return []
    found: dict[tuple, Certificate] = {}
    for piece in split_certificates(text):
        if _clean(piece) not in NO_CERTIFICATE:
            certificate = _parse_piece(piece)
            # 注册会计师/CPA names one certificate twice; keep its first spelling.
            found.setdefault(certificate.identity, certificate)
    return list(found.values())


def split_certificates(text: str) -> list[str]:
    """The cell's pieces, split at separators outside brackets, keeping catalogue names that contain a
    separator (高处安装、维护、拆除作业) whole; a bare level joins its neighbour (焊工 中级, 高级 电工证)."""
    spans = _whole_names(text, list(_spans(text)))
    tokens = _index().level_tokens
    pieces: list[list[int]] = []
    pending: int | None = None
    for i, (start, end) in enumerate(spans):
        if _clean(text[start:end]).strip("()") in tokens:
            next_is_spaced = i + 1 < len(spans) and not text[end:spans[i + 1][0]].strip()
            if pieces and not next_is_spaced:
                pieces[-1][1] = end
            elif pending is None:
                pending = start
            continue
        pieces.append([start if pending is None else pending, end])
        pending = None
    if pending is not None:
        pieces.append([pending, spans[-1][1]])
    return [text[start:end].strip() for start, end in pieces]


def _whole_names(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Joins runs of up to four spans whose combined text is a catalogue name."""
    joined, i = [], 0
    while i < len(spans):
        last = next((j for j in range(min(i + 3, len(spans) - 1), i, -1)
                     if _exact(_clean(text[spans[i][0]:spans[j][1]]))), i)
        joined.append((spans[i][0], spans[last][1]))
        i = last + 1
    return joined


def _spans(text: str) -> Iterator[tuple[int, int]]:
    depth, start = 0, 0
    for i, char in enumerate(text):
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0 and char in _SEPARATORS:
            if i > start:
                yield start, i
            start = i + 1
    if len(text) > start:
        yield start, len(text)


def _key(text: str) -> str:
    """Catalogue names and cell text compared alike: NFKC, no spaces, ASCII brackets, upper case."""
    return _tidy(text).upper()


def _tidy(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).translate(_BRACKETS)


@lru_cache(maxsize=65536)
def _clean(raw: str, upper: bool = True) -> str:
    """The certificate words alone: requirement wording (持…者优先, 及以上) removed."""
    text = _AT_LEAST.sub("", _key(raw) if upper else _tidy(raw))
    return _SUFFIX.sub("", _PREFIX.sub("", text))


@lru_cache(maxsize=65536)
def _parse_piece(raw: str) -> Certificate:
    text = _clean(raw)
    for read in (_exam_or_licence, _exact, _title_with_rank, _with_skill_level, _with_qualifier):
        found = read(text)
        if found is not None:
            return replace(found, raw=raw)
    return Certificate(raw, "other", _clean(raw, upper=False) or raw.strip(), None, None, None)


def _exam_or_licence(text: str) -> Certificate | None:
    for pattern, template in _EXAMS:
        match = pattern.search(text)
        if match:
            parts = [_CHINESE_DIGIT.get(g, g) for g in match.groups() if g]
            return Certificate("", "other", template.format(*parts), None, None, None)
    for pattern in _DRIVING:
        match = pattern.fullmatch(text)
        if match:
            return Certificate("", "other", f"机动车驾驶证{match.group(1)}", None, None, None)
    return None


def _candidates(text: str) -> Iterator[str]:
    """The text, then the text without each certificate-word ending (焊工证书 → 焊工)."""
    yield text
    for suffix in _SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            yield text[: -len(suffix)]


def _exact(text: str) -> Certificate | None:
    exact = _index().exact
    return next((exact[c] for c in _candidates(text) if c in exact), None)


def _title_with_rank(text: str) -> Certificate | None:
    """中级工程师 / 经济师(中级) → the title at the stated rank; 工程类中级职称 → a bare rank."""
    titles = _index().titles
    match = _RANK_PREFIX.match(text)
    if match:
        rank_word, rest = match.groups()
    else:
        match = _RANK_IN_BRACKETS.match(text)
        rest, rank_word = match.groups() if match else (text, None)
    title = next((c for c in _candidates(rest) if c in titles), None)
    if rank_word and title:
        return Certificate("", "title", title, None, None, _RANK_WORDS[rank_word])
    if "职称" in text:
        rank = next((r for word, r in _RANK_WORDS.items() if word in text), None)
        return Certificate("", "title", None, None, None, rank) if rank else None
    return None


def _with_skill_level(text: str) -> Certificate | None:
    """A level word anywhere (高级电工证, 焊工证(中级), 三级焊工, 高级技师(钳工)) plus what it qualifies."""
    index = _index()
    match = index.level_pattern.search(text)
    if match is None:
        return None
    level = index.level_tokens[match.group()]
    rest = re.sub(r"[()/\-—:]", "", index.level_pattern.sub("", text))
    base = _exact(rest) if rest else None
    if base is None or (base.kind == "skill_level" and base.name is None):
        return Certificate("", "skill_level", rest or None, None, level, None)
    if base.kind == "skill_level" or _is_skill_occupation(base.occupation_code):
        name = index.occupation_names.get(base.occupation_code or "", base.name)
        return Certificate("", "skill_level", name, base.occupation_code, level, None)
    return replace(base, level=level) if base.kind == "other" else base


def _with_qualifier(text: str) -> Certificate | None:
    """电工证(低压) → 低压电工证; 叉车证(N1) → 叉车证; else the bracketed part alone."""
    match = _QUALIFIER_IN_BRACKETS.match(text)
    if match is None:
        return None
    outer, inner = match.groups()
    return _exact(inner + outer) or _exact(outer) or _exact(inner)


def _is_skill_occupation(code: str | None) -> bool:
    return bool(code) and code[0] in SKILL_OCCUPATION_GROUPS


@dataclass(frozen=True)
class _Index:
    exact: dict[str, Certificate]
    titles: dict[str, str]
    level_tokens: dict[str, int]
    level_pattern: re.Pattern[str]
    occupation_names: dict[str, str]


@lru_cache(maxsize=1)
def _index() -> _Index:
    """Every catalogue name and alias → its certificate; later sources override earlier ones."""
    occupation_names = {o.code: o.plain_name for o in level4_occupations()}
    level_tokens = {_key(a): s.level for s in catalog.load_skill_levels() for a in s.aliases}
    titles = {_key(t.title): t.rank for t in catalog.load_titles() if _key(t.title) not in level_tokens}
    exact: dict[str, Certificate] = {}
    for code, name in occupation_names.items():
        if _is_skill_occupation(code):
            exact[_key(name)] = Certificate("", "skill_level", name, code, None, None)
    for key, rank in titles.items():
        exact[key] = Certificate("", "title", key, None, None, rank)
    for rank in catalog.load_title_ranks():
        exact.update((_key(a), Certificate("", "title", None, None, None, rank.name)) for a in rank.aliases)
    exact.update((token, Certificate("", "skill_level", None, None, level, None))
                 for token, level in level_tokens.items())
    for q in catalog.load_qualifications():
        found = Certificate("", "qualification", q.name, q.occupation_code, None, None)
        exact.update((_key(name), found) for name in (q.name, *q.aliases))
    for op in catalog.load_special_operations():
        found = Certificate("", "special_operation", op.operation, op.occupation_code, None, None)
        exact.update((_key(name), found) for name in (op.operation, *op.aliases))
    for a in catalog.load_certificate_aliases():
        exact[_key(a.alias)] = Certificate("", a.kind, a.name, a.occupation_code, a.level, a.title_rank)
    tokens = sorted(level_tokens, key=len, reverse=True)
    return _Index(exact, titles, level_tokens, re.compile("|".join(map(re.escape, tokens))), occupation_names)
