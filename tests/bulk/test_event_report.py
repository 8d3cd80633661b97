"""The printable event report on a hand-made run of 6 talents and 4 jobs: known aggregates, HTML, PDF, privacy."""
from __future__ import annotations

import logging
import subprocess
import warnings

import numpy as np
import pandas as pd
import pytest

from matcher.bulk.event_report import (
    county_name,
    matches_by_industry,
    pair_counts_by_job,
    returnees_by_city,
    salary_quantiles,
    salary_samples,
    schedule_rows,
    talents_by_county,
    urgent_coverage,
    write_event_report,
)
from matcher.bulk.schedule import read_pairs

NAME, PHONE, ID_NUMBER = "王建国", "13812345678", "411623199001011234"
MEDIAN = 0.6
GAP = {"job_id": "J1", "title": "焊工", "employer": "商水县恒通机械有限公司", "city": "周口市", "urgency_stars": 5,
       "headcount": 3, "fitting_candidates": 2, "shortfall": 1}
FITTING = {"J1": 2, "J2": 1, "J4": 1}
SUMMARY = {"talents": 6, "jobs": 4, "pairs": 7, "top": 2, "shortlist": 2, "median_score": MEDIAN,
           "urgent_gaps": [GAP], "urgent_fitting": FITTING, "seconds": 1.5}
SCHEDULE = {"solver": "ortools.SimpleMinCostFlow", "interviews": 10, "talents_scheduled": 6, "total_score": 750,
            "urgent_covered": 2, "urgent_positions": 3, "seconds": 0.065, "urgent_bonus_score": 0.2,
            "plan": {"date": "2026-12-20", "start": "09:00", "end": "12:00", "slot_minutes": 15, "slots": 12,
                     "booths": "employer", "interviewers": 1, "booth_capacity": 12, "venue": ""},
            "greedy": {"solver": "greedy", "interviews": 9, "talents_scheduled": 5, "total_score": 700,
                       "urgent_covered": 1, "urgent_positions": 3, "seconds": 65.2}}


@pytest.fixture(scope="module")
def talents() -> pd.DataFrame:
    """Three from 商水县 (one without a city code), one from 济源市, one from 驿城区, one with no hometown;
    a name, phone and ID number that must never reach the report."""
    return pd.DataFrame({
        "talent_id": ["TAL-0001", "TAL-0002", "TAL-0003", "TAL-0004", "TAL-0005", "TAL-0006"],
        "name": [NAME] * 6, "phone": [PHONE] * 6, "id_number": [ID_NUMBER] * 6,
        "hometown_province_code": ["410000"] * 5 + [None],
        "hometown_city_code": ["411600", "411600", None, "419000", "411700", None],
        "hometown_county_code": ["411623", "411623", "411623", "419001", "411702", None],
        "current_city_code": ["310100"] * 6,
        "willing_to_return": [True, False, True, True, None, True],
        "expected_salary_min": [5000.0, np.nan, 6000.0, 8000.0, 0.0, np.nan],
        "expected_salary_max": [7000.0, np.nan, 9000.0, np.nan, np.nan, np.nan],
        "industry_key": ["高端/智能制造"] * 6,
    }).set_index("talent_id")


@pytest.fixture(scope="module")
def jobs() -> pd.DataFrame:
    """J1 ★5 needs 3; J2 ★4 headcount missing (counts as 1); J3 not urgent, no industry; J4 ★4 needs 1."""
    return pd.DataFrame({
        "job_id": ["J1", "J2", "J3", "J4"],
        "title": ["焊工", "护士", "Java开发工程师", "电工"],
        "employer": ["商水县恒通机械有限公司", "周口市中心医院", "郑州云帆科技有限公司", "周口市电力设备厂"],
        "industry_key": ["高端/智能制造", "医疗健康", None, "高端/智能制造"],
        "city_code": ["411600", "411600", "410100", "411600"], "city": ["周口市", "周口市", "郑州市", "周口市"],
        "salary_min": [5000.0, 4000.0, np.nan, 3000.0], "salary_max": [8000.0, 6000.0, 15000.0, 5000.0],
        "urgency_stars": [5.0, 4.0, np.nan, 4.0], "headcount": [3.0, np.nan, 2.0, 1.0],
    }).set_index("job_id")


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory):
    """talent_top.csv: scores above the 0.6 median are J1×2, J2×1, J4×1 (J3's 0.6 is not above)."""
    out = tmp_path_factory.mktemp("event")
    pd.DataFrame({
        "talent_id": ["TAL-0001", "TAL-0001", "TAL-0002", "TAL-0002", "TAL-0003", "TAL-0003", "TAL-0004"],
        "job_id": ["J1", "J2", "J1", "J4", "J3", "J1", "J2"],
        "rank": [1, 2, 1, 2, 1, 2, 1],
        "score": [0.9, 0.5, 0.8, 0.7, 0.6, 0.4, 0.65],
        "reasons": [f"籍贯周口市商水县，联系{PHONE}"] * 7,
    }).to_csv(out / "talent_top.csv", index=False)
    return out


@pytest.fixture(scope="module")
def report(out_dir, talents, jobs):
    path = write_event_report(out_dir, talents, jobs, SUMMARY, SCHEDULE)
    return path.read_text(encoding="utf-8")


def test_pairs_and_strong_pairs_per_job(out_dir):
    expected = {"J1": (3, 2), "J2": (2, 1), "J3": (1, 0), "J4": (1, 1)}
    counts = pair_counts_by_job(read_pairs(out_dir / "talent_top.csv"), MEDIAN)
    assert {j: tuple(row) for j, row in counts.sort_index().iterrows()} == expected
    assert pair_counts_by_job(read_pairs(out_dir / "talent_top.csv"), None)["strong"].sum() == 0


def test_categorical_job_ids_count_only_jobs_with_a_pair(out_dir, jobs):
    """WrittenPairs.job_scores' categories are every written job and may hold one no pair names (never a row)."""
    pairs = read_pairs(out_dir / "talent_top.csv")
    coded = pairs.assign(job_id=pd.Categorical(pairs["job_id"], categories=[*sorted(set(pairs["job_id"])), "J-NONE"]))
    counts = pair_counts_by_job(coded, MEDIAN)
    pd.testing.assert_frame_equal(counts.sort_index(), pair_counts_by_job(pairs, MEDIAN).sort_index())
    assert matches_by_industry(counts, jobs).to_dict("index") == matches_by_industry(
        pair_counts_by_job(pairs, MEDIAN), jobs).to_dict("index")


def test_matches_by_industry_sums_jobs_and_names_the_missing_industry(out_dir, jobs):
    by_industry = matches_by_industry(pair_counts_by_job(read_pairs(out_dir / "talent_top.csv"), MEDIAN), jobs)
    assert by_industry.to_dict("index") == {"高端/智能制造": {"pairs": 4, "strong": 3},
                                            "医疗健康": {"pairs": 2, "strong": 1}, "未分类": {"pairs": 1, "strong": 0}}
    assert list(by_industry.index) == ["高端/智能制造", "医疗健康", "未分类"]


def test_urgent_coverage_agrees_with_the_runs_gap_list(out_dir, jobs):
    coverage = urgent_coverage(jobs, FITTING)
    assert list(coverage["job_id"]) == ["J1", "J2", "J4"]  # the gap first, then ★4 by id; J3 is not urgent
    assert coverage[["headcount", "fitting_candidates", "shortfall"]].values.tolist() == \
        [[3, 2, 1], [1, 1, 0], [1, 1, 0]]
    gap = coverage.iloc[0]
    assert (gap["job_id"], gap["shortfall"]) == (GAP["job_id"], GAP["shortfall"])
    assert (gap["title"], gap["employer"]) == ("焊工", "商水县恒通机械有限公司")


def test_talents_by_county_names_city_and_county(talents):
    assert talents_by_county(talents).to_dict() == {"周口市商水县": 3, "济源市": 1, "驻马店市驿城区": 1}
    assert list(talents_by_county(talents, top=1).index) == ["周口市商水县"]
    assert county_name("411623") == "周口市商水县" and county_name("999999") == "999999"


def test_county_codes_read_as_floats_count_the_same(talents):
    as_floats = talents.assign(hometown_county_code=pd.to_numeric(talents["hometown_county_code"]))
    assert talents_by_county(as_floats).to_dict() == talents_by_county(talents).to_dict()


def test_returnees_by_city_counts_only_true_and_fills_the_city_from_the_county(talents):
    returnees = returnees_by_city(talents)
    assert list(returnees.index) == ["周口市", "济源市"]  # 驻马店市 has no one willing; TAL-0006 has no hometown
    assert returnees[["willing", "talents"]].values.tolist() == [[2, 3], [1, 1]]
    assert returnees.loc["周口市", "share"] == pytest.approx(2 / 3)


def test_salary_samples_drop_missing_and_zero(talents, jobs):
    samples = salary_samples(talents, jobs)
    assert samples["人才期望月薪下限"].tolist() == [5000.0, 6000.0, 8000.0]
    assert samples["岗位提供月薪上限"].tolist() == [8000.0, 6000.0, 15000.0, 5000.0]
    quantiles = salary_quantiles(samples)
    assert quantiles.loc["人才期望月薪下限", "median"] == 6000.0
    assert quantiles.loc["岗位提供月薪下限", "count"] == 3 and quantiles.loc["岗位提供月薪下限", "median"] == 4000.0


def test_schedule_rows_compare_with_greedy():
    rows = {row[0]: row[1:] for row in schedule_rows(SCHEDULE)}
    assert rows["排程方法"] == ["最优排程（最小费用流）", "按匹配度依次选取（贪心）", ""]
    assert rows["安排面试场次"] == ["10", "9", "1"]
    assert rows["匹配度合计（0–100计）"] == ["750", "700", "50"]
    assert rows["排程用时"] == ["不到1秒", "1分05秒", ""]
    assert len(rows) == 7  # the bonus and the plan are the solver's internals, not shown
    assert schedule_rows({"interviews": 4}) == [["安排面试场次", "4"]]


def test_the_report_shows_no_internal_names(report):
    for internal in ("solver", "talents_scheduled", "score_scale", "urgent_bonus", "ortools", "用时（秒）"):
        assert internal not in report
    assert "<td>匹配用时</td><td>2秒</td>" in report


def test_html_has_five_embedded_charts_and_the_tables(report):
    assert report.count('<img alt="图') == 5 and report.count('src="data:image/png;base64,') == 5
    assert "周口市商水县" in report and "济源市" in report
    assert "焊工" in report and "商水县恒通机械有限公司" in report
    assert "贪心排程（对照）" in report and "@media print" in report and 'lang="zh-CN"' in report


def test_report_carries_no_personal_data(report):
    for secret in (NAME, PHONE, ID_NUMBER, "TAL-000"):
        assert secret not in report


def test_pdf_is_written(report, out_dir):
    assert (out_dir / "report.pdf").read_bytes()[:5] == b"%PDF-"


def test_missing_talent_top_is_an_actionable_error(tmp_path, talents, jobs):
    with pytest.raises(FileNotFoundError, match="talent_top.csv"):
        write_event_report(tmp_path, talents, jobs, SUMMARY)


def _has_cjk_font() -> bool:
    try:
        return bool(subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout.strip())
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not _has_cjk_font(), reason="no CJK font on this machine (scripts/setup.sh installs one)")
def test_charts_draw_chinese_with_an_installed_cjk_font(report):
    from matcher.bulk import charts

    assert charts.cjk_font_family() is not None
    with warnings.catch_warnings(record=True) as caught, charts.chart_style():
        warnings.simplefilter("always")
        charts.png_base64(charts.count_chart(pd.Series({"周口市商水县": 3}), "人才籍贯", "县"))
    assert not [w for w in caught if "missing from font" in str(w.message)]


def test_without_a_cjk_font_the_report_logs_a_warning(monkeypatch, caplog):
    from matcher.bulk import charts

    monkeypatch.setattr(charts, "CJK_FAMILIES", ("No Such Font CJK",))
    charts.cjk_font_family.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="matcher.bulk.charts"):
            assert charts.cjk_font_family() is None
    finally:
        charts.cjk_font_family.cache_clear()
    assert "no CJK font found" in caplog.text


def test_an_empty_run_aggregates_to_empty_frames(tmp_path, talents, jobs):
    (tmp_path / "talent_top.csv").write_text("talent_id,job_id,rank,score,reasons\n", encoding="utf-8")
    counts = pair_counts_by_job(read_pairs(tmp_path / "talent_top.csv"), MEDIAN)
    assert counts.empty and list(counts.columns) == ["pairs", "strong"]
    assert matches_by_industry(counts, jobs).empty
    assert urgent_coverage(jobs, {})["shortfall"].tolist() == [3, 1, 1]
