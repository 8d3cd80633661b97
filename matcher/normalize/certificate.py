"""Certificate cells → canonical certificates (skill level, qualification, title, special operation, other).

A cell may name several certificates (、，；/ + 及 和 或, spaces); each piece is read on its own. Graded
qualifications (建造师, 教师资格, 会计, 软考, CATTI, 医师, 普通话 …) carry their own ``grade`` and ``speciality``
(matcher.normalize.qualification) and never a skill ``level``: 一级建造师 is not 高级技师.

Naming policy for ``Certificate.name``:
- skill_level: the 职业分类大典 2022 occupation name without its L/S marks (电工, 中式烹调师); a trade the
  大典 splits (钳工) keeps its colloquial name and has no occupation code; None when the text gives only
  a level (高级技师).
- qualification: the item name of the 国家职业资格目录（2021年版） (建造师, 教师资格), with ``grade`` (一级,
  高级中学, 执业医师) and ``speciality`` (机电工程, 数学, 临床) when written; a grade that corresponds to a title
  rank also sets ``title_rank`` (一级建造师 → 中级, 二级 → 初级, 软考高级 → 副高级).
- title: the title itself (工程师, 高级会计师); None for a bare rank (中级职称).
- special_operation: the operation item (低压电工作业, 叉车司机).
- other: a fixed name for known exams and licences (机动车驾驶证C1, 大学英语四级; 普通话水平测试等级证书 with
  its grade 二级甲等), else the cleaned text.

A bare trade certificate (电工证, 焊工证) is the legally required operation permit, so it is a
special_operation; the same trade with a level (高级电工证, 焊工证(中级)) is a skill-level certificate.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache

from matcher.normalize.certificate_index import Certificate, certificate_index, is_skill_occupation
from matcher.normalize.qualification import catalogue_key as _key
from matcher.normalize.qualification import graded_names, read_graded, tidy

NO_CERTIFICATE = frozenset({"无", "暂无", "没有", "不限", "无要求", "不要求", "-", "/"})
_NO_CERTIFICATE_WORDS = re.compile(r"(?:暂无|无|没有|未取得|未考)(?:相关|任何)?(?:证书|证件|证|职称|资格)(?:要求)?")
"""暂无证书, 无相关证书, 没有职称: a cell that says the person holds none."""

_SEPARATORS = frozenset("；;、,，/|\n\t \u3000+＋&")
_WORD_SEPARATORS = frozenset("及和或")
"""Separate two certificates (焊工证和电工证) when what precedes ends like a certificate (_NAME_ENDINGS) and
what follows is not 以上 (中级及以上); 光气及光气化工艺作业 and 中华人民共和国 stay whole."""
_NAME_ENDINGS = frozenset("证书师员工格照级等)）")
_OPEN, _CLOSE = "(（[【", ")）]】"
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
          (re.compile(r"计算机(?:等级考试|等级)?([一二三四1-4])级|NCRE-?([1-4])"), "全国计算机等级考试{}级"))


def normalize_certificates(text: str | None) -> list[Certificate]:
    """Every distinct certificate in a cell, in cell order; a cell may list several (、；, / + 及 和, spaces).

    A piece that only adds to the graded qualification before it (软考中级 软件设计师, 一级建造师 机电) is read
    together with it.
    """
    if not text:
        return []
    read: list[Certificate] = []
    for piece in split_certificates(text):
        cleaned = _clean(piece)
        if cleaned not in NO_CERTIFICATE and not _NO_CERTIFICATE_WORDS.fullmatch(cleaned):
            certificate = _parse_piece(piece)
            joined = _joined(read[-1], certificate) if read else None
            if joined is not None:
                read[-1] = joined
            else:
                read.append(certificate)
    found: dict[tuple, Certificate] = {}
    for certificate in read:
        # 注册会计师/CPA names one certificate twice; keep its first spelling.
        found.setdefault(certificate.identity, certificate)
    return list(found.values())


def _joined(previous: Certificate, current: Certificate) -> Certificate | None:
    """``previous`` completed by ``current`` when the two pieces are one graded qualification, else None."""
    same = current.name == previous.name and not (
        previous.grade and current.grade and previous.grade != current.grade
        or previous.speciality and current.speciality)
    unread = current.kind == "other" and current.name == (_clean(current.raw, upper=False) or current.raw.strip())
    if not (same or unread) or previous.name not in graded_names():
        return None
    raw = f"{previous.raw} {current.raw}"
    found = _graded(_clean(raw))
    return replace(found, raw=raw) if found is not None and found.name == previous.name else None


def split_certificates(text: str) -> list[str]:
    """The cell's pieces, split at separators outside brackets, keeping catalogue names that contain a
    separator (高处安装、维护、拆除作业) whole; a bare level joins its neighbour (焊工 中级, 高级 电工证)."""
    spans = _whole_names(text, list(_spans(text)))
    tokens = certificate_index().level_tokens
    pieces: list[list[int]] = []
    pending: int | None = None
    for i, (start, end) in enumerate(spans):
        if _clean(text[start:end]).strip("()") in tokens:
            next_is_spaced = i + 1 < len(spans) and not text[end:spans[i + 1][0]].strip()
            # A piece that states another level (电工证（高级技师）、技师) keeps it: the bare level is another
            # certificate; the same level again (电工四级/中级工) only restates it.
            previous = _level_of(text[pieces[-1][0]:pieces[-1][1]]) if pieces else None
            if pieces and not next_is_spaced and previous in (None, tokens[_clean(text[start:end]).strip("()")]):
                pieces[-1][1] = end
            elif pending is None:
                pending = start
            continue
        pieces.append([start if pending is None else pending, end])
        pending = None
    if pending is not None:
        pieces.append([pending, spans[-1][1]])
    return [text[start:end].strip() for start, end in pieces]


def _level_of(piece: str) -> int | None:
    """The skill level a piece states first, if any."""
    index = certificate_index()
    match = index.level_pattern.search(_clean(piece))
    return index.level_tokens[match.group()] if match else None


def _whole_names(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Joins runs of up to four spans whose combined text is a catalogue name."""
    joined, i = [], 0
    while i < len(spans):
        last = next((j for j in range(min(i + 3, len(spans) - 1), i, -1)
                     if _exact(_clean(text[spans[i][0]:spans[j][1]]))), i)
        joined.append((spans[i][0], spans[last][1]))
        i = last + 1
    return joined


def _is_word_separator(text: str, i: int) -> bool:
    if text[i] not in _WORD_SEPARATORS or text[i + 1:i + 3] == "以上" or i + 1 == len(text):
        return False
    before = text[i - 2:i] if text[i - 1:i] == "以" else text[i - 1:i]
    return before[:1] in _NAME_ENDINGS


def _spans(text: str) -> Iterator[tuple[int, int]]:
    depth, start = 0, 0
    for i, char in enumerate(text):
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0 and (char in _SEPARATORS or _is_word_separator(text, i)):
            end = i - 1 if text[i - 1:i + 1] == "以及" else i
            if end > start:
                yield start, end
            start = i + 1
    if len(text) > start:
        yield start, len(text)


@lru_cache(maxsize=65536)
def _clean(raw: str, upper: bool = True) -> str:
    """The certificate words alone: requirement wording (持…者优先, 及以上) removed."""
    text = _AT_LEAST.sub("", _key(raw) if upper else tidy(raw))
    return _SUFFIX.sub("", _PREFIX.sub("", text))


@lru_cache(maxsize=65536)
def _parse_piece(raw: str) -> Certificate:
    text = _clean(raw)
    for read in (_exam_or_licence, _graded, _exact, _title_with_rank, _with_skill_level, _with_qualifier,
                 _loosely_graded):
        found = read(text)
        if found is not None:
            if found.kind == "qualification" and found.grade is None and found.speciality is None:
                # 试验检测师（公路） read as the bare item by a reader that drops the brackets: keep the grade.
                found = next((q for q in (_loosely_graded(text),) if q and q.name == found.name), found)
            return replace(found, raw=raw)
    return Certificate(raw, "other", _clean(raw, upper=False) or raw.strip(), None, None, None)


def _graded(text: str, strict: bool = True) -> Certificate | None:
    found = read_graded(text, strict)
    if found is None:
        return None
    return Certificate("", found.kind, found.name, found.occupation_code, None, found.title_rank, found.grade,
                       found.speciality)


def _loosely_graded(text: str) -> Certificate | None:
    """A graded qualification beside words not understood (中职教师资格证（机械）): the words are dropped."""
    return _graded(text, strict=False)


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
    exact = certificate_index().exact
    return next((exact[c] for c in _candidates(text) if c in exact), None)


def _title_with_rank(text: str) -> Certificate | None:
    """中级工程师 / 经济师(中级) → the title at the stated rank; 工程类中级职称 → a bare rank; a speciality in
    brackets is dropped (高级工程师(土建)), a title named there completes a bare rank (中级职称（机械工程师）)."""
    bracketed = _QUALIFIER_IN_BRACKETS.match(text)
    if bracketed and bracketed.group(2) not in _RANK_WORDS:
        outer, inner = bracketed.groups()
        found = _exact(outer) or _title_with_rank(outer)
        if found is not None and found.kind == "title":
            named = _title_ending(inner) if found.name is None else None
            return replace(found, name=named) if named else found
    titles = certificate_index().titles
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


def _title_ending(text: str) -> str | None:
    """The longest title ``text`` ends with (机械工程师 → 工程师)."""
    titles = certificate_index().titles
    return next((text[i:] for i in range(len(text)) if text[i:] in titles), None)


def _with_skill_level(text: str) -> Certificate | None:
    """A level word anywhere (高级电工证, 焊工证(中级), 三级焊工, 高级技师(钳工)) plus what it qualifies."""
    index = certificate_index()
    match = index.level_pattern.search(text)
    if match is None:
        return None
    level = index.level_tokens[match.group()]
    rest = re.sub(r"[()/\-—:]", "", index.level_pattern.sub("", text))
    base = _exact(rest) if rest else None
    if base is None or (base.kind == "skill_level" and base.name is None):
        return Certificate("", "skill_level", rest or None, None, level, None)
    if base.kind == "skill_level" or is_skill_occupation(base.occupation_code):
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
