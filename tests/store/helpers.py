"""Builders for import test files: valid talent and job rows, written as CSV or XLSX."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from matcher.normalize.cells import id_check_char

TALENT_HEADER = ["人才编号", "姓名", "性别", "出生年份", "手机号", "身份证号", "籍贯", "现居城市", "最高学历",
                 "工作年限", "证书", "技能", "当前职位", "期望月薪", "意向城市", "是否愿意返乡"]
JOB_HEADER = ["岗位编号", "岗位名称", "用人单位", "工作地点", "区县", "学历要求", "经验要求", "薪资", "需求人数",
              "紧缺程度"]


def id_number(birth_year: int, serial: int, month: int = 3, day: int = 15) -> str:
    first17 = f"411623{birth_year}{month:02d}{day:02d}{serial % 1000:03d}"
    return first17 + id_check_char(first17)


def talent_row(i: int) -> list[str]:
    year = 1970 + i % 30
    return [f"T{i:05d}", f"测试{i}", "男" if i % 2 else "女", str(year), f"138{i:08d}", id_number(year, i),
            ("河南省周口市商水县", "洛阳市", "郑州")[i % 3], ("深圳", "上海", "北京")[i % 3],
            ("本科", "大专", "硕士")[i % 3], str(i % 15), "电工证" if i % 4 == 0 else "", "PLC编程、数控编程",
            ("电气工程师", "数控车工", "会计")[i % 3], "8000-12000元/月", "郑州、周口", "是" if i % 2 else "否"]


def job_row(i: int) -> list[str]:
    return [f"J{i:04d}", ("电气工程师", "数控车工")[i % 2], f"单位{i % 5}", ("周口市", "郑州市")[i % 2],
            ("商水县", "")[i % 2], "本科", "3年以上", "8000-12000元/月", str(1 + i % 4), str(1 + i % 5)]


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    path.write_bytes(csv_bytes(rows, encoding))
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path
