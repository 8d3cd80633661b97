from __future__ import annotations

import pytest

from matcher.store.columns import JOB_HEADERS, TALENT_HEADERS
from matcher.store.errors import ImportFileError
from matcher.store.reader import read_table
from tests.store.conftest import FIXTURES
from tests.store.helpers import TALENT_HEADER, talent_row, write_csv, write_xlsx

REQUIRED = ("talent_id", "name")


def test_gbk_csv_with_chinese_headers():
    table = read_table(FIXTURES / "talents_gbk.csv", TALENT_HEADERS, REQUIRED)
    assert list(table.frame.index) == [2, 3, 4]
    assert table.frame.loc[2, "hometown"] == "河南省周口市商水县"
    assert table.frame.loc[3, "phone"] == "139-8765-4321"
    assert table.frame.loc[4, "birth_year"] == ""
    assert table.headers["workstation"] == "所属工作站"
    assert {"talent_id", "name", "updated_at", "willing_to_return"} <= set(table.frame.columns)


def test_utf8_bom_csv_and_merged_description_columns():
    table = read_table(FIXTURES / "jobs_utf8_bom.csv", JOB_HEADERS, ("job_id", "title", "employer", "city"))
    assert table.frame.loc[2, "job_id"] == "J001"
    assert table.frame.loc[2, "description"] == "负责产线电气设计\n熟悉西门子PLC"
    assert table.frame.loc[3, "description"] == "门诊与住院诊疗\n有主治医师职称"
    assert table.headers["description"] == "岗位职责 + 任职要求"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_every_supported_encoding_reads_the_same(tmp_path, encoding):
    path = write_csv(tmp_path / "t.csv", [TALENT_HEADER, talent_row(1)], encoding)
    table = read_table(path, TALENT_HEADERS, REQUIRED)
    assert table.frame.loc[2, "name"] == "测试1"
    assert table.frame.loc[2, "hometown"] == "洛阳市"


def test_xlsx_cells_read_as_text_the_clerk_sees(tmp_path):
    from datetime import datetime

    path = write_xlsx(tmp_path / "t.xlsx", [
        ["编号", "姓名", "手机号", "出生年份", "更新时间", "工作年限"],
        ["T1", "张伟", 13812345678, 1988.0, datetime(2024, 3, 1), 3.5],
    ])
    row = read_table(path, TALENT_HEADERS, REQUIRED).frame.loc[2]
    assert (row["talent_id"], row["phone"], row["birth_year"], row["updated_at"], row["experience_years"]) == (
        "T1", "13812345678", "1988", "2024-03-01", "3.5")


def test_title_row_above_headers_and_blank_rows_keep_spreadsheet_row_numbers(tmp_path):
    rows = [["深圳工作站人才信息登记表"], [" *编号 ", "姓名（必填）", "备注"], talent_row(1)[:2] + ["x"], [],
            ["", "", ""], talent_row(2)[:2] + [""]]
    table = read_table(write_csv(tmp_path / "t.csv", rows), TALENT_HEADERS, REQUIRED)
    assert table.header_row == 2
    assert list(table.frame.index) == [3, 6]
    assert list(table.frame["talent_id"]) == ["T00001", "T00002"]


def test_english_field_names_work_as_headers(tmp_path):
    path = write_csv(tmp_path / "t.csv", [["talent_id", "Name", "hometown"], ["T1", "张伟", "洛阳"]])
    assert read_table(path, TALENT_HEADERS, REQUIRED).frame.loc[2, "name"] == "张伟"


def test_missing_required_column_names_file_column_and_headers_found(tmp_path):
    path = write_csv(tmp_path / "no_name.csv", [["编号", "籍贯", "学历"], ["T1", "洛阳", "本科"]])
    with pytest.raises(ImportFileError) as caught:
        read_table(path, TALENT_HEADERS, REQUIRED)
    [error] = caught.value.errors
    assert (error.file, error.row, error.column) == ("no_name.csv", 1, "name")
    assert "编号, 籍贯, 学历" in error.value
    assert "姓名" in error.expected
    assert "no_name.csv" in str(caught.value)


def test_two_columns_for_the_same_field_are_an_error(tmp_path):
    path = write_csv(tmp_path / "t.csv", [["编号", "姓名", "手机", "联系电话"], ["T1", "张伟", "1", "2"]])
    with pytest.raises(ImportFileError, match="手机 / 联系电话"):
        read_table(path, TALENT_HEADERS, REQUIRED)


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("absent.csv", None, "existing"), ("old.xls", b"\xd0\xcf\x11\xe0", ".xlsx"), ("bad.xlsx", b"not a zip", "readable"),
])
def test_unreadable_files(tmp_path, name, content, expected):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ImportFileError, match=expected):
        read_table(path, TALENT_HEADERS, REQUIRED)


def test_header_only_file_gives_an_empty_table(tmp_path):
    table = read_table(write_csv(tmp_path / "t.csv", [TALENT_HEADER]), TALENT_HEADERS, REQUIRED)
    assert table.frame.empty
    assert "talent_id" in table.frame.columns


def test_certificate_and_title_columns_are_both_read(tmp_path):
    rows = [["编号", "姓名", "证书", "职称"], ["T1", "张伟", "二级建造师(机电)", "工程师"],
            ["T2", "李娜", "", "中级职称"]]
    path = write_csv(tmp_path / "t.csv", rows)
    table = read_table(path, TALENT_HEADERS, REQUIRED)
    assert table.frame.loc[2, "certificates"] == "二级建造师(机电)、工程师"
    assert table.frame.loc[3, "certificates"] == "中级职称"
    assert table.headers["certificates"] == "证书 + 职称"


def test_bureau_layout_title_preamble_footer_and_unknown_columns(tmp_path):
    path = write_xlsx(tmp_path / "t.xlsx", [
        ["周口市在外人才信息登记表（2024年第二批）"],
        ["填报单位：深圳市周口人才工作站", None, None, "填报日期：2024年3月15日"],
        ["序号", "姓名", "职业资格/技能等级证书", "职称", "爱好", None, "联系电话"],
        [1, "张伟", "高级电工证", "工程师", "钓鱼", "x", "13812345678"],
        [],
        [2, "李娜", "", "中级会计师", "", None, "13987654321"],
        ["合计", None, "共2人"],
        ["填表人：王芳", None, "审核人：李强"],
    ])
    table = read_table(path, TALENT_HEADERS, ("name",))
    assert table.header_row == 3 and list(table.frame.index) == [4, 6]
    assert list(table.frame["certificates"]) == ["高级电工证、工程师", "中级会计师"]
    assert table.headers["certificates"] == "职业资格/技能等级证书 + 职称"
    assert table.preamble == {"填报单位": "深圳市周口人才工作站", "填报日期": "2024年3月15日"}
    assert table.unknown_columns == ("爱好", "第6列（无表头）")
    assert "talent_id" not in table.frame.columns  # 序号 is a row number, never an id
    notes = "\n".join(table.notes)
    assert "跳过空行1行（第5行）" in notes and "第7行是表尾（合计）" in notes and "第8行是表尾（填表人）" in notes
    assert "爱好" in notes and "王芳" not in notes  # the footer's names are personal data


def test_job_catalogue_headers_as_bureaus_write_them(tmp_path):
    header = ["序号", "岗位名称", "单位", "行业", "所在地", "学历要求", "经验要求", "证书要求", "薪酬", "需求人数",
              "紧缺程度"]
    row = ["1", "焊工", "某公司", "装备", "周口", "高中", "2年", "焊工证", "6000", "3", "4"]
    path = write_csv(tmp_path / "j.csv", [header, row])
    table = read_table(path, JOB_HEADERS, ("title", "employer", "city"))
    assert set(table.frame.columns) == {"title", "employer", "industry", "city", "education", "experience",
                                        "certificates", "salary", "headcount", "urgency_stars"}
    assert table.unknown_columns == ()


@pytest.mark.parametrize(("cell", "marker"), [
    ("合计", "合计"), ("合计：20人", "合计"), ("填表人：王芳", "填表人"), ("审核人: 李强", "审核人"),
    ("审核：李强", "审核"),
    ("注：1.本表由工作站填报", "注"), ("备注说明：紧缺程度1-5", "备注说明"),
    ("审核员", None), ("注意事项", None), ("说明书编写", None), ("负责人助理", None), ("张三", None), ("1", None),
])
def test_footer_words_but_not_job_titles_that_start_like_them(cell, marker):
    from matcher.store.sheet_layout import footer_marker

    assert footer_marker(cell) == marker


def test_a_job_titled_like_a_footer_word_is_still_imported(tmp_path):
    path = write_csv(tmp_path / "j.csv", [["岗位名称", "单位", "所在地"], ["审核员", "某公司", "周口"],
                                          ["合计", "", ""]])
    table = read_table(path, JOB_HEADERS, ("title", "employer", "city"))
    assert list(table.frame["title"]) == ["审核员"]


def test_a_workbook_that_unpacks_to_gigabytes_is_refused_before_parsing(tmp_path):
    """A huge cell compresses to almost nothing (the probe: 200 MB in 204 KB; openpyxl then took 4 GB). 50 MB of one
    letter is refused by its compression ratio, as a 200 MB cell would be."""
    import zipfile

    from matcher.store.errors import ImportFileError

    normal = write_xlsx(tmp_path / "ok.xlsx", [["编号", "姓名"], ["T1", "张伟"]])
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(normal) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(b"</sheetData>", b"<row r='9'><c r='A9' t='inlineStr'><is><t>"
                                    + b"a" * (50 * 1024 * 1024) + b"</t></is></c></row></sheetData>")
            target.writestr(item, data)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(ImportFileError) as refused:
        read_table(bomb, TALENT_HEADERS, REQUIRED)
    assert "unpack" in refused.value.errors[0].expected
    assert read_table(normal, TALENT_HEADERS, REQUIRED).frame.shape[0] == 1
