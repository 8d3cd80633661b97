"""Bureau sheets as they are kept import unedited; people and positions are recognised across sheets."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from matcher.store.imports import ImportOptions, import_file
from matcher.store.models import ImportLog, Job, Talent, TalentWorkstation
from tests.store.conftest import FIXTURES
from tests.store.helpers import id_number, write_xlsx

SECRET = b"test-identity-key"
SHENZHEN, SHANGHAI = FIXTURES / "register_shenzhen.xlsx", FIXTURES / "register_shanghai.xlsx"
CATALOGUE = FIXTURES / "job_catalogue.xlsx"
REGISTER_HEADER = ["序号", "姓名", "联系电话", "身份证号", "籍贯", "期望薪资"]


def run(engine, kind, path, **options):
    return import_file(engine, kind, path, ImportOptions(secret=SECRET, **options))


def talents(engine) -> dict[str, Talent]:
    with Session(engine) as session:
        return {t.name: t for t in session.scalars(select(Talent))}


def rows_of(engine, table):
    with engine.connect() as connection:
        return connection.execute(text(f"SELECT * FROM {table} ORDER BY 1")).all()


def test_register_as_kept_imports_unedited(engine):
    result = run(engine, "talents", SHENZHEN)

    assert result.ok, result.messages()
    assert (result.rows, result.inserted, result.generated_ids) == (5, 5, 5)
    notes = "\n".join(result.notes)
    for expected in ("表头在第3行", "“序号”列是行号", "跳过空行1行（第7行）", "第10行是表尾（合计）",
                     "第11行是表尾（填表人）", "按填报单位“深圳市周口人才工作站”记为所属工作站"):
        assert expected in notes
    people = talents(engine)
    zhang, li, wang = people["张伟"], people["李娜"], people["王强"]
    assert (zhang.birth_year, li.birth_year, wang.birth_year) == (1988, 1992, 1979)
    assert (zhang.phone, zhang.phones) == ("13812345678", ["13812345678", "13987654321"])
    assert li.phone == "0755-86013388转123"
    assert zhang.certificates == "高级电工证、工程师"  # 职业资格/技能等级证书 and 职称 read together
    assert {c["kind"] for c in zhang.certificates_norm} == {"skill_level", "title"}
    assert (zhang.current_employer, zhang.current_title) == ("深圳比亚迪股份有限公司", "电气工程师")
    assert zhang.occupation_code is not None
    assert (zhang.school, zhang.remarks) == ("河南理工大学", "已加入返乡人才群")
    assert zhang.workstation == "深圳市周口人才工作站"
    assert (zhang.willing_to_return, li.willing_to_return, wang.willing_to_return) == (True, False, True)
    assert people["赵敏"].id_hash is None and people["赵敏"].contact_hash is not None
    # The ID number is stored as the privacy rules keep it; identity matching uses its keyed hash.
    assert zhang.id_number.startswith("41162319880301001") and len(zhang.id_hash) == 64


def test_second_workstation_adds_its_people_and_updates_nobody_else(engine):
    run(engine, "talents", SHENZHEN)
    before = talents(engine)

    result = run(engine, "talents", SHANGHAI)

    assert result.ok, result.messages()
    assert (result.inserted, result.changed) == (3, 1)
    after = talents(engine)
    assert len(after) == 8
    for name in ("张伟", "李娜", "王强", "赵敏"):
        assert (after[name].talent_id, after[name].updated_at, after[name].current_city) == (
            before[name].talent_id, before[name].updated_at, before[name].current_city)
    shared = after["刘洋"]
    [duplicate] = result.duplicates
    assert (duplicate.row, duplicate.talent_id, duplicate.matched_by) == (6, shared.talent_id, "身份证号")
    # Latest non-empty value wins; the empty 职称 cell keeps the stored one; the first workstation stays the owner.
    assert shared.current_city == "上海市闵行区" and shared.certificates == "工程师"
    assert shared.workstation == "深圳市周口人才工作站"
    with Session(engine) as session:
        links = {tuple(r) for r in session.execute(select(TalentWorkstation.talent_id, TalentWorkstation.workstation))}
    assert links == {(shared.talent_id, "深圳市周口人才工作站"), (shared.talent_id, "上海市周口人才工作站")}


def test_reimporting_a_register_recognises_everyone(engine):
    first = run(engine, "talents", SHENZHEN)
    again = run(engine, "talents", SHENZHEN)
    assert (again.inserted, again.changed, again.unchanged) == (0, 0, 5)
    assert again.ids == first.ids


def test_dry_run_counts_what_the_import_would_do_and_writes_nothing(engine, tmp_path):
    run(engine, "talents", SHENZHEN)
    before = rows_of(engine, "talents")
    logs_before = rows_of(engine, "import_log")

    preview = run(engine, "talents", SHANGHAI, dry_run=True)

    assert preview.dry_run and (preview.inserted, preview.changed, len(preview.duplicates)) == (3, 1, 1)
    assert rows_of(engine, "talents") == before and rows_of(engine, "import_log") == logs_before
    assert rows_of(engine, "talent_workstations") == []
    real = run(engine, "talents", SHANGHAI)
    assert (real.inserted, real.changed, real.unchanged) == (preview.inserted, preview.changed, preview.unchanged)


def test_a_sheet_id_belonging_to_another_person_is_refused(engine, tmp_path):
    """序号 renamed to 编号: the second workstation's row 1 must not overwrite the first one's person 1."""
    first = write_xlsx(tmp_path / "a.xlsx", [["编号", "姓名", "联系电话", "身份证号"],
                                             ["1", "张三", "13800000001", id_number(1980, 1)]])
    second = write_xlsx(tmp_path / "b.xlsx", [["编号", "姓名", "联系电话", "身份证号"],
                                              ["1", "李四", "13800000002", id_number(1981, 2)]])
    assert run(engine, "talents", first).inserted == 1
    before = rows_of(engine, "talents")

    result = run(engine, "talents", second)

    assert not result.ok
    [error] = result.errors
    assert (error.row, error.column, error.value) == (2, "talent_id", "1") and "另一人" in error.expected
    assert rows_of(engine, "talents") == before


def test_the_same_person_twice_in_one_sheet_is_an_error_naming_both_rows(engine, tmp_path):
    person = id_number(1990, 7)
    path = write_xlsx(tmp_path / "t.xlsx", [REGISTER_HEADER, [1, "王五", "13800000005", person, "周口", ""],
                                            [2, "王五", "13800000006", person, "周口", ""]])
    result = run(engine, "talents", path)
    assert [(e.row, e.column) for e in result.errors] == [(3, "talent_id")]
    assert "与第2行重复" in result.errors[0].expected


def test_name_and_phone_identify_a_person_without_an_id_number(engine, tmp_path):
    header = ["姓名", "联系电话", "籍贯"]
    run(engine, "talents", write_xlsx(tmp_path / "a.xlsx", [header, ["赵六", "13800000009", "周口"]]))
    result = run(engine, "talents", write_xlsx(tmp_path / "b.xlsx", [header, ["赵六", "13800000009", "洛阳"],
                                                                     ["赵六", "13800000010", "洛阳"]]))
    assert (result.inserted, result.changed) == (1, 1)
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Talent)) == 2


def test_unresolved_values_are_warnings_with_row_column_and_value(engine, tmp_path):
    path = write_xlsx(tmp_path / "t.xlsx", [REGISTER_HEADER, [1, "钱七", "13800000011", "", "火星基地", "看情况"],
                                            [2, "孙八", "13800000012", "", "周口", "8000-10000"]])
    result = run(engine, "talents", path)
    assert result.ok
    assert [(w.row, w.column, w.value) for w in result.warnings] == [
        (2, "hometown", "火星基地"), (2, "expected_salary", "看情况")]
    assert "未能识别" in result.warning_messages()[0] and "籍贯（hometown）" in result.warning_messages()[0]


def test_report_highlights_and_comments_every_problem_cell(engine, tmp_path):
    path = write_xlsx(tmp_path / "t.xlsx", [["登记表"], REGISTER_HEADER,
                                            [1, "钱七", "13800000011", "", "火星基地", ""],
                                            [2, "孙八", "99887", "", "周口", ""]])
    report = tmp_path / "report.xlsx"
    result = run(engine, "talents", path, report=report)
    assert not result.ok and result.report == str(report)
    sheet = load_workbook(report)["导入检查"]
    phone, hometown = sheet["C4"], sheet["E3"]
    assert phone.fill.fgColor.rgb.endswith("FFC7CE") and "错误" in phone.comment.text
    assert "99887" not in phone.comment.text  # personal values stay masked
    assert hometown.fill.fgColor.rgb.endswith("FFEB9C") and "火星基地" in hometown.comment.text
    assert sheet["B3"].comment is None and sheet["B3"].value == "钱七"
    problems = list(load_workbook(report)["问题清单"].iter_rows(min_row=2, values_only=True))
    assert [(p[0], p[1]) for p in problems] == [("错误", 4), ("提示", 3)]


def test_catalogue_as_kept_imports_and_positions_are_recognised_again(engine, tmp_path):
    result = run(engine, "jobs", CATALOGUE)
    assert result.ok, result.messages()
    assert (result.inserted, result.generated_ids) == (5, 5)
    assert "第9行是表尾（备注说明），未导入" in result.notes
    with Session(engine) as session:
        nurse = session.scalars(select(Job).where(Job.title == "护士")).one()
    assert (nurse.employer, nurse.city, nurse.salary_min, nurse.headcount, nurse.urgency_stars) == (
        "鹿邑县人民医院", "鹿邑县", 5000, 8, 4)
    edited = write_xlsx(tmp_path / "c.xlsx", [["序号", "岗位名称", "单位", "所在地", "薪酬"],
                                              [1, "护士", "鹿邑县人民医院", "鹿邑县", "6000-8000元/月"],
                                              [2, "护士", "郸城县人民医院", "郸城县", "6000-8000元/月"]])
    again = run(engine, "jobs", edited)
    assert (again.inserted, again.changed) == (1, 1)
    with Session(engine) as session:
        assert session.get(Job, nurse.job_id).salary_min == 6000


def test_identity_secret_is_generated_once_into_the_data_dir(settings):
    from matcher.store.identity import identity_secret

    key = identity_secret(settings)
    path = settings.data_dir / "identity.key"
    assert path.stat().st_mode & 0o777 == 0o600 and len(key) == 64
    assert identity_secret(settings) == key
    assert identity_secret(settings.model_copy(update={"identity_secret": "given"})) == b"given"


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_file_level_error_in_dry_run_is_not_logged(engine, tmp_path, dry_run):
    path = write_xlsx(tmp_path / "t.xlsx", [["序号", "籍贯"], [1, "周口"]])
    result = run(engine, "talents", path, dry_run=dry_run)
    assert not result.ok and result.errors[0].column == "name"
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(ImportLog)) == (0 if dry_run else 1)


def test_a_person_under_another_sheet_id_is_kept_under_it_and_reported(engine, tmp_path):
    header = ["编号", "姓名", "联系电话", "身份证号"]
    person = id_number(1983, 4)
    run(engine, "talents", write_xlsx(tmp_path / "a.xlsx", [header, ["SZ-001", "吴九", "13800000013", person]]))
    second = write_xlsx(tmp_path / "b.xlsx", [header, ["SH-017", "吴九", "13800000014", person]])
    result = run(engine, "talents", second)
    assert (result.inserted, result.changed, result.ids) == (1, 0, ("SH-017",))
    [duplicate] = result.duplicates
    assert (duplicate.talent_id, duplicate.sheet_id, duplicate.merged) == ("SZ-001", "SH-017", False)
    without_ids = write_xlsx(tmp_path / "c.xlsx", [header[1:], ["吴九", "13800000015", person]])
    merged = run(engine, "talents", without_ids)
    assert (merged.inserted, merged.changed, merged.ids) == (0, 1, ("SH-017",))  # the smallest id holding the number


def test_people_stored_before_identities_existed_are_recognised(engine, tmp_path):
    """Imported with their own ids and no identity key (as before this change): hashed on the next import."""
    legacy = write_xlsx(tmp_path / "old.xlsx", [["编号", "姓名", "联系电话", "身份证号"],
                                                ["OLD-1", "郑十", "13800000016", id_number(1984, 5)],
                                                ["OLD-2", "冯十一", "13800000017", ""]])
    assert import_file(engine, "talents", legacy).inserted == 2
    register = write_xlsx(tmp_path / "new.xlsx", [REGISTER_HEADER,
                                                  [1, "郑十", "13800000018", id_number(1984, 5), "周口", ""],
                                                  [2, "冯十一", "13800000017", "", "洛阳", ""]])
    result = run(engine, "talents", register)
    assert (result.inserted, result.changed, result.ids) == (0, 2, ("OLD-1", "OLD-2"))
