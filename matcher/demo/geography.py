"""Henan geography for the demo generator: counties with population weights, host cities, workstations.

Assumptions (demo only, documented so nobody mistakes them for statistics):
- County weights for hometowns come from each prefecture's 2020 census population (万人) times an
  out-migration factor (the big labour-exporting prefectures 周口, 南阳, 商丘, 驻马店, 信阳 send more people
  out; 郑州 mostly receives), split evenly over its counties, with urban districts at 0.6 of a county
  (fewer people leave the city proper). Development zones (codes with a 7 in the fifth digit) are not
  hometowns, but do host jobs.
- Job locations lean towards 郑州 (about 40 % of positions), then 洛阳 and the other large prefectures.
- Workstations: a provincial 河南驻<城市>人才工作站 in each host city except 郑州, prefecture-run
  <地市>驻<城市>人才工作站 where the big exporters keep one, and a 驻郑州 station for every prefecture.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from matcher.catalogs import CATALOG_DIR

HENAN_CODE = "410000"

# 2020 census population in 10k people, and how strongly each prefecture exports talent.
_CITY_POPULATION = {
    "410100": 1260, "410200": 483, "410300": 706, "410400": 499, "410500": 548, "410600": 157,
    "410700": 625, "410800": 352, "410900": 377, "411000": 438, "411100": 237, "411200": 203,
    "411300": 971, "411400": 782, "411500": 623, "411600": 903, "411700": 701, "419000": 73,
}
_OUTFLOW = {"410100": 0.3, "410300": 0.7, "411300": 1.3, "411400": 1.3, "411500": 1.2, "411600": 1.4,
            "411700": 1.3}
_JOB_CITY_SHARE = {
    "410100": 0.40, "410300": 0.09, "410700": 0.05, "411000": 0.05, "411300": 0.05, "410800": 0.03,
    "410200": 0.03, "410400": 0.03, "410500": 0.03, "411400": 0.03, "411600": 0.03, "411700": 0.03,
    "411500": 0.03, "411100": 0.03, "410900": 0.02, "411200": 0.02, "410600": 0.02, "419000": 0.02,
}
# Counties renamed since many talents left home; people still write the old name.
_OLD_COUNTY_NAMES = {"411603": "淮阳县", "410783": "长垣县", "410307": "偃师市", "410308": "孟津县"}


@dataclass(frozen=True)
class HostCity:
    """A city outside (or at the centre of) Henan where talents live and workstations sit."""

    name: str
    code: str
    province_prefix: str
    weight: float
    salary_factor: float


HOST_CITIES: tuple[HostCity, ...] = (
    HostCity("北京", "110000", "", 0.14, 1.35), HostCity("上海", "310000", "", 0.13, 1.35),
    HostCity("深圳", "440300", "广东", 0.12, 1.35), HostCity("广州", "440100", "广东", 0.10, 1.2),
    HostCity("郑州", "410100", "河南", 0.12, 0.9), HostCity("杭州", "330100", "浙江", 0.08, 1.2),
    HostCity("苏州", "320500", "江苏", 0.08, 1.1), HostCity("天津", "120000", "", 0.06, 1.1),
    HostCity("武汉", "420100", "湖北", 0.04, 1.05), HostCity("西安", "610100", "陕西", 0.04, 1.0),
    HostCity("大连", "210200", "辽宁", 0.03, 1.0), HostCity("南宁", "450100", "广西", 0.02, 0.95),
    HostCity("成都", "510100", "四川", 0.03, 1.05),
)
# Prefecture-run stations outside 郑州: (hometown prefecture short name, host city).
_PREFECTURE_STATIONS = (
    ("周口", "北京"), ("周口", "上海"), ("周口", "深圳"), ("南阳", "北京"), ("南阳", "深圳"),
    ("南阳", "广州"), ("商丘", "上海"), ("商丘", "苏州"), ("驻马店", "广州"), ("驻马店", "深圳"),
    ("信阳", "上海"), ("信阳", "广州"), ("洛阳", "北京"), ("洛阳", "杭州"), ("新乡", "天津"),
    ("许昌", "苏州"), ("安阳", "天津"), ("开封", "杭州"), ("平顶山", "大连"), ("漯河", "南宁"),
)


@dataclass(frozen=True)
class Workstation:
    """An outstation talent workstation (驻外人才工作站)."""

    workstation_id: str
    name: str
    city: str
    home_city_code: str | None
    """The Henan prefecture that runs it; None for the provincial stations."""


@lru_cache
def henan_cities() -> pd.DataFrame:
    """Henan's 17 prefectures plus 济源: columns code, name, short_name (济源 stands for 省直辖)."""
    regions = pd.read_csv(CATALOG_DIR / "regions.csv", dtype=str, keep_default_na=False)
    cities = regions[(regions.level == "city") & (regions.province_code == HENAN_CODE)]
    cities = cities[["code", "name", "short_name"]].drop_duplicates("code").reset_index(drop=True)
    cities.loc[cities.code == "419000", ["name", "short_name"]] = ["济源市", "济源"]
    return cities


@lru_cache
def henan_counties() -> pd.DataFrame:
    """Henan's county-level units: code, name, short_name, city_code, is_zone, hometown_weight, job_weight."""
    regions = pd.read_csv(CATALOG_DIR / "regions.csv", dtype=str, keep_default_na=False)
    counties = regions[(regions.level == "county") & (regions.province_code == HENAN_CODE)]
    counties = counties[["code", "name", "short_name", "city_code"]].drop_duplicates("code")
    counties = counties.reset_index(drop=True)
    is_zone = counties.code.str[4] == "7"
    is_district = counties.name.str.endswith("区") & ~is_zone
    people = counties.city_code.map(_CITY_POPULATION) * counties.city_code.map(_OUTFLOW).fillna(1.0)
    per_city = (~is_zone).groupby(counties.city_code).transform("sum")
    home = np.where(is_zone, 0.0, people / per_city * np.where(is_district, 0.6, 1.0))
    job = counties.city_code.map(_JOB_CITY_SHARE) * np.where(is_zone, 2.0, np.where(is_district, 1.5, 1.0))
    return counties.assign(is_zone=is_zone, hometown_weight=home / home.sum(),
                           job_weight=job / job.groupby(counties.city_code).transform("sum"))


def job_site_weights() -> np.ndarray:
    """Probability of each row of henan_counties() hosting an employer (sums to 1)."""
    counties = henan_counties()
    weights = (counties.city_code.map(_JOB_CITY_SHARE) * counties.job_weight).to_numpy()
    return weights / weights.sum()


@lru_cache
def workstations() -> tuple[Workstation, ...]:
    """Every workstation, provincial first, with ids WS001…"""
    cities = henan_cities()
    short_to_code = dict(zip(cities.short_name, cities.code, strict=True))
    rows = [(f"河南驻{host.name}人才工作站", host.name, None) for host in HOST_CITIES if host.name != "郑州"]
    rows += [(f"{home}驻{host}人才工作站", host, short_to_code[home]) for home, host in _PREFECTURE_STATIONS]
    rows += [(f"{short}驻郑州人才工作站", "郑州", code)
             for code, short in zip(cities.code, cities.short_name, strict=True) if code != "410100"]
    return tuple(Workstation(f"WS{i:03d}", name, city, home) for i, (name, city, home) in enumerate(rows, 1))


@lru_cache
def station_lookup() -> np.ndarray:
    """(n_henan_cities, n_host_cities) int array: the station a talent from that prefecture joins there.

    A prefecture's own station wins; otherwise the provincial one; 郑州 natives hosted in 郑州 (no
    station for them there) fall back to the provincial 北京 station.
    """
    cities, stations = henan_cities(), workstations()
    index = {(s.home_city_code, s.city): i for i, s in enumerate(stations)}
    table = np.empty((len(cities), len(HOST_CITIES)), dtype=np.int64)
    for ci, code in enumerate(cities.code):
        for hi, host in enumerate(HOST_CITIES):
            table[ci, hi] = index.get((code, host.name), index.get((None, host.name), index[(None, "北京")]))
    return table


def hometown_forms() -> np.ndarray:
    """(n_counties, 7) object array of the ways people write each county as their 籍贯."""
    counties, cities = henan_counties(), henan_cities().set_index("code")
    forms = []
    columns = counties[["code", "name", "short_name", "city_code"]]
    for code, name, short, city_code in columns.itertuples(index=False):
        city, city_short = cities.at[city_code, "name"], cities.at[city_code, "short_name"]
        if city_code == "419000":
            forms.append(["河南省济源市", "济源", "河南济源", "济源市", "济源市人", "河南济源市", "济源"])
            continue
        old = _OLD_COUNTY_NAMES.get(code, name)
        short = name if short == city_short else short  # 安阳县 is never written 安阳安阳
        forms.append([f"河南省{city}{old}", f"{city_short}{short}", f"河南{short}", old, f"{city}{name}人",
                      f"河南{city_short}{name}", short])
    return np.array(forms, dtype=object)


HOMETOWN_FORM_WEIGHTS = np.array([0.25, 0.2, 0.12, 0.15, 0.1, 0.1, 0.08])
