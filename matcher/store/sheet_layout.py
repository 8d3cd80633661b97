"""The parts of a bureau sheet around its table: 填报单位/填报日期 lines above it, 合计/填表人 rows below it."""
from __future__ import annotations

import re
import unicodedata

from matcher.store.columns import ROW_NUMBER_HEADERS, header_key

TOTAL_WORDS = ("合计", "总计", "小计", "共计")
SIGNATURE_WORDS = ("单位负责人", "填表人", "填报人", "制表人", "审核人", "审核", "负责人", "统计人", "经办人", "联系人")
NOTE_WORDS = ("备注说明", "填表说明", "说明", "备注", "注")
_FOOTER = re.compile(rf"(?:({'|'.join(TOTAL_WORDS)})|({'|'.join(SIGNATURE_WORDS)})(?=\s*:|\s|$)"
                     rf"|(备注说明|填表说明)|({'|'.join(NOTE_WORDS)})\s*:)")
"""A row whose first filled cell starts with one of these is a sheet footer, not a record. A signature word
must be followed by a colon, a space or nothing (审核员 is a job title, 审核人：李强 a footer); a note word by a
colon (NFKC has turned '：' into ':')."""
PREAMBLE_LABELS = {"填报单位": ("填报单位", "报送单位", "填报部门", "填表单位", "单位名称"),
                   "填报日期": ("填报日期", "填报时间", "填表日期", "报送日期")}
_LABEL_VALUE = "|".join(sorted({label for labels in PREAMBLE_LABELS.values() for label in labels}, key=len,
                               reverse=True))
_PREAMBLE = re.compile(rf"({_LABEL_VALUE})\s*[:：]?\s*(.*?)\s*(?=(?:{_LABEL_VALUE})|$)")


_FIRST_CHARS = frozenset(word[0] for word in (*TOTAL_WORDS, *SIGNATURE_WORDS, *NOTE_WORDS))


def footer_marker(cell: str) -> str | None:
    """The footer word ``cell`` starts with (合计, 填表人 …), or None."""
    if cell.lstrip()[:1] not in _FIRST_CHARS:  # most cells: a number, a name, an id
        return None
    match = _FOOTER.match(unicodedata.normalize("NFKC", cell).strip())
    return next((group for group in match.groups() if group), None) if match else None


def row_number_column(header: str) -> bool:
    """序号 and its kin: a running number, read as neither id nor data."""
    return header_key(header) in ROW_NUMBER_HEADERS


def preamble_fields(rows: list[list[str]]) -> dict[str, str]:
    """{'填报单位': …, '填报日期': …} from the lines above the header: 'label：value' in one cell or in two."""
    found: dict[str, str] = {}
    for row in rows:
        cells = [cell.strip() for cell in row if cell and cell.strip()]
        for match in _PREAMBLE.finditer("  ".join(cells)):
            label, value = match.group(1), match.group(2).strip(" :：")
            canonical = next(key for key, labels in PREAMBLE_LABELS.items() if label in labels)
            if value and canonical not in found:
                found[canonical] = value
    return found
