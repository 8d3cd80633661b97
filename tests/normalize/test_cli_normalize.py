"""``matcher normalize``: arguments or stdin in, one result per input out, as JSON or tab-separated lines."""
from __future__ import annotations

import io
import json

import pytest

from matcher.cli import main
from matcher.config import Settings


@pytest.fixture
def run(capsys, tmp_path):
    def run_cli(*argv: str) -> tuple[int, str]:
        code = main(["normalize", *argv], settings=Settings(data_dir=tmp_path))
        return code, capsys.readouterr().out
    return run_cli


def test_region_json_keeps_input_order_and_contract_fields(run):
    code, out = run("region", "周口商水", "朝阳区", "--json")
    assert code == 0
    first, second = json.loads(out)
    assert first == {"raw": "周口商水", "province": "河南省", "city": "周口市", "county": "商水县",
                     "province_code": "410000", "city_code": "411600", "county_code": "411623",
                     "reason": None, "status": "resolved"}
    assert second["raw"] == "朝阳区" and second["county_code"] is None and "ambiguous" in second["reason"]


def test_region_text_output_is_one_tab_separated_line_per_input(run):
    code, out = run("region", "周口商水", "火星")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2
    assert lines[0].split("\t") == ["周口商水", "河南省", "周口市", "商水县",
                                    "410000", "411600", "411623", "", "resolved"]
    assert lines[1].startswith("火星\t") and "unresolvable" in lines[1] and lines[1].endswith("\tunresolved")


def test_values_come_from_stdin_when_none_are_given(run, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("郑州\n淮阳县\n"))
    code, out = run("region", "--json")
    assert code == 0
    assert [r["city_code"] for r in json.loads(out)] == ["410100", "411600"]


def test_occupation_json_wraps_matches(run):
    code, out = run("occupation", "焊工", "Java开发工程师", "--json", "--top", "2")
    assert code == 0
    welder, developer = json.loads(out)
    assert welder["raw"] == "焊工" and len(welder["matches"]) == 2
    assert welder["matches"][0]["code"] == "6-18-02-04"
    assert set(welder["matches"][0]) == {"code", "name", "score"}
    assert developer["matches"][0]["code"] == "2-02-10-03"


def test_skills_json(run):
    code, out = run("skills", "熟练使用PLC编程和CAD制图", "--json")
    assert code == 0 and json.loads(out) == [{"raw": "熟练使用PLC编程和CAD制图", "skills": ["plc", "cad"]}]


def test_unknown_kind_is_a_usage_error(run):
    with pytest.raises(SystemExit):
        run("horoscope", "x")


# The kinds below use the other normalisers of matcher.normalize (certificate, education, salary, ...).

def test_certificate_json(run):
    code, out = run("certificate", "高级焊工证", "--json")
    assert code == 0
    [result] = json.loads(out)
    assert result["raw"] == "高级焊工证"
    [certificate] = result["certificates"]
    assert set(certificate) == {"raw", "kind", "name", "occupation_code", "level", "title_rank", "grade", "speciality"}
    assert (certificate["name"], certificate["kind"], certificate["level"]) == ("焊工", "skill_level", 3)


def test_certificate_json_shows_a_graded_qualification_with_grade_and_speciality(run):
    code, out = run("certificate", "二级建造师(机电)/安全员C证", "--json")
    assert code == 0
    [result] = json.loads(out)
    builder, safety = result["certificates"]
    assert (builder["kind"], builder["name"], builder["grade"], builder["speciality"], builder["level"]) == (
        "qualification", "建造师", "二级", "机电工程", None)
    assert (safety["name"], safety["speciality"]) == ("建筑施工企业安全生产考核合格证书", "C")


def test_education_json(run):
    code, out = run("education", "本科", "--json")
    [result] = json.loads(out)
    assert code == 0 and set(result) == {"raw", "name", "rank"}
    assert result["name"] == "本科" and isinstance(result["rank"], int)


def test_salary_json(run):
    code, out = run("salary", "8000-12000元/月", "--json")
    assert code == 0 and json.loads(out) == [{"raw": "8000-12000元/月", "min": 8000, "max": 12000}]


def test_experience_json(run):
    code, out = run("experience", "3-5年", "--json")
    assert code == 0 and json.loads(out) == [{"raw": "3-5年", "min": 3, "max": 5}]


def test_industry_json(run):
    code, out = run("industry", "汽车零部件制造", "--json")
    [result] = json.loads(out)
    assert code == 0 and set(result) == {"raw", "key_industry", "section", "division"}
    assert result["key_industry"] == "汽车及零配件" and result["section"] == "C"
