"""Spreadsheet headers (Chinese or English) → canonical field names, per import kind. Data only."""
from __future__ import annotations

import re
import unicodedata

IMPORT_KIND_NAMES = ("talents", "jobs", "employers", "workstations", "events")

TALENT_HEADERS: dict[str, tuple[str, ...]] = {
    "talent_id": ("编号", "人才编号", "ID"),
    "name": ("姓名",),
    "gender": ("性别",),
    "birth_year": ("出生年份", "出生年", "出生年月", "出生日期", "出生年月日"),
    "phone": ("手机", "手机号", "手机号码", "联系电话", "联系方式", "电话", "电话号码"),
    "id_number": ("身份证号", "身份证号码", "身份证", "公民身份号码", "身份证件号码"),
    "hometown": ("籍贯", "户籍地", "家乡", "户籍所在地", "原籍", "户口所在地"),
    "current_city": ("现居地", "现居城市", "所在城市", "现工作地", "现居住地", "现住址", "常住地", "现工作地点"),
    "workstation": ("工作站", "所属工作站"),
    "school": ("毕业院校", "毕业学校", "院校"),
    "education": ("学历", "最高学历", "文化程度"),
    "major": ("专业", "所学专业"),
    "experience_years": ("工作年限", "工作经验", "从业年限"),
    "certificates": ("证书", "职业资格", "技能证书", "职称", "职业资格/技能等级证书", "职业资格证书", "技能等级证书",
                     "技能等级", "职业技能等级", "资格证书", "专业技术职称", "职称证书", "专业技术资格"),
    "skills": ("技能", "专长", "技能特长"),
    "industry": ("行业", "所属行业"),
    "current_employer": ("现工作单位", "工作单位", "现单位", "现任职单位"),
    "current_title": ("现职位", "当前职位", "职务", "现任职务", "职位"),
    "employer_and_title": ("现工作单位及职务", "工作单位及职务", "现单位及职务", "单位及职务", "现工作单位及职位"),
    "summary": ("自我评价", "个人简介"),
    "expected_salary": ("期望薪资", "期望月薪", "期望薪酬", "期望待遇"),
    "intent_cities": ("意向城市", "意向工作地", "意向工作城市", "意向地"),
    "willing_to_return": ("是否愿意返乡", "返乡意愿", "是否愿意回乡", "愿意返乡"),
    "category": ("人才类别", "人才类型"),
    "remarks": ("备注",),
    "updated_at": ("更新时间",),
}

JOB_HEADERS: dict[str, tuple[str, ...]] = {
    "job_id": ("岗位编号", "职位编号"),
    "title": ("岗位名称", "职位名称", "招聘岗位", "岗位", "职位"),
    "employer": ("单位", "用人单位", "招聘单位", "单位名称", "企业名称", "公司名称", "招聘企业", "用人单位名称"),
    "industry": ("行业", "产业", "所属行业"),
    "city": ("所在地", "工作地点", "城市", "工作地", "工作城市", "所在城市"),
    "county": ("区县", "所在区县"),
    "education": ("学历要求", "学历"),
    "experience": ("经验要求", "工作经验", "工作年限要求", "工作年限"),
    "certificates": ("证书要求", "资格要求", "职称要求", "职业资格要求"),
    "skills": ("技能要求",),
    "description": ("岗位描述", "岗位职责", "任职要求"),
    "salary": ("薪资", "薪酬", "年薪", "薪资待遇", "月薪", "薪酬待遇", "工资待遇", "工资"),
    "headcount": ("需求人数", "招聘人数", "人数", "需求数量"),
    "urgency_stars": ("紧缺程度", "急需程度(星)", "急需程度"),
    "urgency_index": ("紧缺指数",),
    "benefits": ("人才政策", "待遇"),
}

EMPLOYER_HEADERS: dict[str, tuple[str, ...]] = {
    "employer_id": ("单位编号", "企业编号", "用人单位编号"),
    "name": ("单位名称", "企业名称", "用人单位", "名称"),
    "industry": ("行业", "所属行业"),
    "city": ("所在城市", "城市", "所在地"),
    "county": ("区县",),
    "nature": ("单位性质", "企业性质"),
    "size": ("企业规模", "规模"),
    "description": ("单位简介", "企业简介", "简介"),
}

WORKSTATION_HEADERS: dict[str, tuple[str, ...]] = {
    "workstation_id": ("工作站编号", "编号"),
    "name": ("工作站名称", "工作站", "名称"),
    "city": ("所在城市", "城市", "所在地"),
    "host_organisation": ("依托单位", "承办单位"),
}

EVENT_HEADERS: dict[str, tuple[str, ...]] = {
    "talent_id": ("人才编号",),
    "job_id": ("岗位编号", "职位编号"),
    "kind": ("类型", "事件", "事件类型", "行为"),
    "occurred_at": ("时间", "发生时间", "日期"),
    "source": ("来源", "渠道"),
}

MERGEABLE_COLUMNS: dict[str, str] = {"description": "\n", "summary": "\n", "benefits": "\n", "remarks": "\n",
                                     "certificates": "、"}
"""Fields several columns may feed, with the text joining their cells: free text (岗位职责 and 任职要求) by
newlines; certificates (职业资格/技能等级证书 beside 职称) by 、, the list separator the normaliser splits on."""

DERIVED_FROM = {"current_employer": "employer_and_title", "current_title": "employer_and_title"}
"""Fields a sheet may fill from another column: their problems are shown on that column."""

ROW_NUMBER_HEADERS = frozenset({"序号", "行号", "no", "no.", "序"})
"""A running row number, never an identity: two workstations' sheets both start at 1."""
EXAMPLE_ROW_MARK = "示例"
"""A row whose 序号 cell says this is a template's example row: not imported."""


def header_key(header: object) -> str:
    """Compare headers ignoring width, case, spaces and the '*' marking required columns."""
    text = unicodedata.normalize("NFKC", str(header or ""))
    return re.sub(r"[\s*＊:：]+", "", text).lower()


def _without_note(key: str) -> str:
    """'薪资(元/月)' → '薪资': a bracketed unit or hint after a header does not change its meaning."""
    return re.sub(r"\([^)]*\)$", "", key)


def header_lookup(headers: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """header_key → field, including each field's own English name."""
    lookup = {header_key(field): field for field in headers}
    for field, names in headers.items():
        lookup.update({header_key(name): field for name in names})
    return lookup


def field_for_header(header: object, lookup: dict[str, str]) -> str | None:
    key = header_key(header)
    return lookup.get(key) or lookup.get(_without_note(key))
