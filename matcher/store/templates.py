"""Blank import sheets for staff: the headers the importer reads, drop-down lists, an example row and a 说明 sheet.

Every header is one the import recognises (tests check it against the import kinds' header tables), and
every drop-down choice is a value the row checks accept, so a filled template always imports.
The example row is marked 示例 in the 序号 column; the reader skips such rows.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from matcher.store.columns import EXAMPLE_ROW_MARK

EDUCATION_LEVELS = ("初中", "高中", "中专", "大专", "本科", "硕士", "博士")
YES_NO = ("是", "否")
URGENCY_STARS = ("1", "2", "3", "4", "5")
EVENT_KINDS = ("浏览", "投递", "面试", "录用", "不合适")
GENDERS = ("男", "女")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
EXAMPLE_FONT = Font(italic=True, color="808080")
VALIDATED_ROWS = 5000
"""Rows under the header that get the drop-down lists (a register rarely exceeds a few thousand people)."""


@dataclass(frozen=True)
class TemplateColumn:
    header: str
    note: str
    example: str
    required: bool = False
    choices: tuple[str, ...] = ()
    width: int = 12


@dataclass(frozen=True)
class Template:
    kind: str
    title: str
    """The sheet's and the file's name, as staff call the form."""
    columns: tuple[TemplateColumn, ...]


C = TemplateColumn
ROW_NUMBER = C("序号", "行号，可不填；写“示例”的行不会导入", EXAMPLE_ROW_MARK, width=6)
TEMPLATES: dict[str, Template] = {t.kind: t for t in (
    Template("talents", "人才信息登记表", (
        ROW_NUMBER,
        C("姓名", "必填", "张伟", required=True, width=10),
        C("性别", "男或女", "男", choices=GENDERS, width=6),
        C("出生年月", "如 1988.03、1988年3月 或日期", "1988.03"),
        C("身份证号", "18位；填了就按身份证号识别同一人。请把此列设为文本，免得 Excel 改成科学计数", "", width=20),
        C("联系电话", "手机或带区号的座机（0394-8234567，分机写 转123）；两个号码用 / 隔开，第一个为主", "13812345678",
          width=16),
        C("籍贯", "省市县，如 河南省周口市商水县", "河南省周口市商水县", width=18),
        C("现居地", "城市，如 深圳", "深圳"),
        C("毕业院校", "", "河南理工大学", width=16),
        C("学历", "从下拉列表选择", "本科", choices=EDUCATION_LEVELS, width=8),
        C("专业", "", "电气工程及其自动化", width=16),
        C("职业资格/技能等级证书", "多个用、隔开", "高级电工证", width=18),
        C("职称", "与证书一起读入", "工程师"),
        C("工作年限", "数字，如 8", "8", width=8),
        C("现工作单位及职务", "单位和职务之间空一格", "深圳比亚迪股份有限公司 电气工程师", width=28),
        C("期望薪资", "如 15000-20000元/月、2万、面议", "15000-20000元/月", width=16),
        C("意向城市", "多个用、隔开", "郑州、周口"),
        C("是否愿意返乡", "是或否", "是", choices=YES_NO, width=12),
        C("工作站", "可不填：不填时按表头上方“填报单位”", "深圳市周口人才工作站", width=18),
        C("备注", "", "", width=16),
    )),
    Template("jobs", "岗位需求表", (
        ROW_NUMBER,
        C("岗位名称", "必填", "电气工程师", required=True, width=14),
        C("单位", "必填，用人单位全称", "周口市某智能装备有限公司", required=True, width=24),
        C("所在地", "必填，市或县，如 周口市商水县", "周口市商水县", required=True, width=14),
        C("行业", "", "高端装备"),
        C("学历要求", "从下拉列表选择", "本科", choices=("不限", *EDUCATION_LEVELS), width=10),
        C("经验要求", "如 3年以上、1-3年、不限", "3年以上", width=10),
        C("证书要求", "多个用、隔开", "电工证", width=16),
        C("技能要求", "", "PLC编程", width=16),
        C("岗位职责", "", "负责产线电气设计", width=24),
        C("薪酬", "如 8000-12000元/月、年薪20万、面议", "8000-12000元/月", width=16),
        C("需求人数", "数字；不定写 若干", "3", width=8),
        C("紧缺程度", "1–5，5为最紧缺", "4", choices=URGENCY_STARS, width=8),
        C("岗位编号", "可不填：不填时按 单位+岗位名称+所在地 识别同一岗位", "", width=12),
    )),
    Template("events", "招聘活动记录表", (
        C("人才编号", "必填，系统中的人才编号", "T00001", required=True),
        C("岗位编号", "必填，系统中的岗位编号", "J0001", required=True),
        C("类型", "从下拉列表选择", "投递", required=True, choices=EVENT_KINDS, width=8),
        C("时间", "如 2024-03-01 或 2024-03-01 14:30", "2024-03-01 10:00", required=True, width=18),
        C("来源", "如 招聘会、线上", "招聘会"),
    )),
)}


def template_workbook(kind: str) -> Workbook:
    """The template for ``kind`` (talents, jobs, events); KeyError for another kind."""
    template = TEMPLATES[kind]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = template.title
    for position, column in enumerate(template.columns, start=1):
        letter = get_column_letter(position)
        header = sheet.cell(1, position, ("*" if column.required else "") + column.header)
        header.font, header.fill = Font(bold=True), HEADER_FILL
        header.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if column.note:
            header.comment = Comment(column.note, "matcher")
        example = sheet.cell(2, position, column.example or None)
        example.font = EXAMPLE_FONT
        sheet.column_dimensions[letter].width = column.width
        if column.choices:
            _add_choices(sheet, letter, column)
    sheet.freeze_panes = "A2"
    _notes_sheet(workbook, template)
    return workbook


def template_bytes(kind: str) -> bytes:
    buffer = io.BytesIO()
    template_workbook(kind).save(buffer)
    return buffer.getvalue()


def template_file_name(kind: str) -> str:
    return f"{TEMPLATES[kind].title}模板.xlsx"


def _add_choices(sheet: Worksheet, letter: str, column: TemplateColumn) -> None:
    validation = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True,
                                showErrorMessage=True, errorTitle=column.header,
                                error=f"请从下拉列表选择：{'、'.join(column.choices)}")
    sheet.add_data_validation(validation)
    validation.add(f"{letter}2:{letter}{VALIDATED_ROWS + 1}")


def _notes_sheet(workbook: Workbook, template: Template) -> None:
    notes = workbook.create_sheet("说明")
    notes.append(["列名", "是否必填", "填写说明", "示例"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for column in template.columns:
        notes.append([column.header, "必填" if column.required else "", column.note, column.example])
    notes.append([])
    for line in _general_notes(template.kind):
        notes.append([line])
    for letter, width in zip("ABCD", (22, 10, 60, 30), strict=True):
        notes.column_dimensions[letter].width = width


def _general_notes(kind: str) -> list[str]:
    lines = ["表头上方可以有标题行和“填报单位：… 填报日期：…”行；表尾的合计、填表人、审核人行不会导入。",
             "标 * 的列必须有；其他列可删可加，不认识的列会在导入结果中列出，不会悄悄丢掉。",
             "导入前可先预览（matcher import … --dry-run，或网页上的“预览”）：只报告将新增、更新多少，什么也不写入。"]
    if kind == "talents":
        lines.append("同一人以身份证号识别；没有身份证号时以姓名+联系电话识别；“序号”只是行号，不作编号。")
    elif kind == "jobs":
        lines.append("没有岗位编号时，单位+岗位名称+所在地相同即为同一岗位，再次导入会更新而不是新增。")
    return lines
