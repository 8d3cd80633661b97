"""The plain-Chinese wording of normalised values, on the normalisers' real output."""
from __future__ import annotations

import pytest

from api.web.readings import UNREAD, reading
from matcher.normalize.values import normalise_values


@pytest.mark.parametrize(("kind", "text", "words"), [
    ("salary", "8000-12000元/月", "每月 8000–12000 元"),
    ("salary", "面议", UNREAD),
    ("certificate", "电工证", "低压电工作业（特种作业）"),
    ("certificate", "高级电工", "电工（职业技能等级，三级/高级工）"),
    ("region", "周口市商水县", "河南省周口市商水县"),
    ("region", "火星", UNREAD),
    ("education", "本科及以上", "本科及以上"),
    ("experience", "3年以上", "3 年以上"),
    ("skills", "PLC编程、电气设计", "plc、电气设计"),
])
def test_reading_words_the_normalised_value(kind: str, text: str, words: str) -> None:
    assert reading(kind, normalise_values(kind, [text])[0]) == words
