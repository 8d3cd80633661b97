"""The one text policy at the boundary (API bodies and import cells): size limits and characters allowed.

Every raw text value passes here before any parser sees it, so no parser or regex ever runs on an
unbounded string, and nothing stored carries characters a database, a log line or an HTTP header cannot
hold. Free-text columns (a talent's summary, a job's description) get room for a long self-description;
every other cell is a short value from a form or a spreadsheet.
"""
from __future__ import annotations

import re
import unicodedata

FREE_TEXT_LIMIT = 4000
"""Characters in a summary or description: several pages of a self-description, far below any harm."""
LIST_TEXT_LIMIT = 1000
"""Characters in a cell that lists things (certificates, skills, benefits, intent cities)."""
SHORT_TEXT_LIMIT = 200
"""Characters in any other cell: a name, a place, a title, a salary range."""
FREE_TEXT_COLUMNS = frozenset({"summary", "description"})
LIST_TEXT_COLUMNS = frozenset({"certificates", "skills", "benefits", "intent_cities", "title_ranks"})

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
"""C0 controls but tab and line breaks, DEL, and lone surrogates (never valid in stored text)."""
ID_CHARACTERS = re.compile(r"[0-9A-Za-z_.:\-\u3400-\u4dbf\u4e00-\u9fff]+")
"""Ids: ASCII letters and digits, ``_ . : -`` and CJK ideographs, after NFKC folding (全角 → 半角)."""
_SHOWN = 20


def text_limit(column: str) -> int:
    """The most characters ``column`` may hold."""
    if column in FREE_TEXT_COLUMNS:
        return FREE_TEXT_LIMIT
    return LIST_TEXT_LIMIT if column in LIST_TEXT_COLUMNS else SHORT_TEXT_LIMIT


def text_violation(column: str, text: str) -> str | None:
    """What is wrong with ``text`` as a value of ``column`` (in words a clerk can act on), or None."""
    limit = text_limit(column)
    if len(text) > limit:
        return f"at most {limit} characters (最多{limit}个字符), not {len(text)}"
    found = _FORBIDDEN.search(text)
    if found:
        return (f"text without control characters or broken (surrogate) characters "
                f"(不含控制字符), found U+{ord(found.group()):04X} at character {found.start() + 1}")
    return None


def fold_id(text: str) -> str:
    """An id as stored: NFKC-folded, so a full-width ``ＡＢ１`` and ``AB1`` are the same id."""
    return unicodedata.normalize("NFKC", text).strip()


def id_violation(text: str) -> str | None:
    """What is wrong with a folded id, or None."""
    if ID_CHARACTERS.fullmatch(text):
        return None
    return "an id of letters, digits, Chinese characters and _ . : - only (编号只能含字母、数字、汉字和 _ . : -)"


def shown_value(text: str) -> str:
    """A bad value as a message may quote it: its start only, controls and surrogates escaped."""
    head = text[:_SHOWN]
    head = _FORBIDDEN.sub(lambda m: f"\\u{ord(m.group()):04x}", head)
    return head + ("…" if len(text) > _SHOWN else "")
