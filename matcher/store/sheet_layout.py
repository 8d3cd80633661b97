"""The parts of a bureau sheet around its table: 填报单位/填报日期 lines above it, 合计/填表人 rows below it."""
from __future__ import annotations

import re
import unicodedata

from matcher.store.columns import ROW_NUMBER_HEADERS, header_key

FOOTER_MARKERS = ("合计", "总计", "小计", "共计", "填表人", "填报人", "制表人", "审核人", "审核", "负责人",
                  "单位负责人", "统计人", "经办人", "联系人", "备注说明", "填表说明", "说明：", "说明:", "注：", "注:",
                  "备注：", "备注:")
"""A row whose first filled cell starts with one of these is a sheet footer, not a record."""
PREAMBLE_LABELS = {"填报单位": ("填报单位", "报送单位", "填报部门", "填表单位", "单位名称"),
                   "填报日期": ("填报日期", "填报时间", "填表日期", "报送日期")}
_LABEL_VALUE = "|".join(sorted({label for labels in PREAMBLE_LABELS.values() for label in labels}, key=len,
                               reverse=True))
_PREAMBLE = re.compile(rf"({_LABEL_VALUE})\s*[:：]?\s*(.*?)\s*(?=(?:{_LABEL_VALUE})|$)")


_FIRST_CHARS = frozenset(marker[0] for marker in FOOTER_MARKERS)


def footer_marker(cell: str) -> str | None:
    """The footer word ``cell`` starts with (spaces and width ignored), or None."""
    if cell.lstrip()[:1] not in _FIRST_CHARS:  # most cells: a number, a name, an id
        return None
    text = "".join(unicodedata.normalize("NFKC", cell).split())
    # NFKC turns '：' into ':'; the markers are compared in the same form.
    return next((marker for marker in FOOTER_MARKERS if text.startswith(unicodedata.normalize("NFKC", marker))),
                None)


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
