"""Fictional employers of the demo world: names built from word parts, sited across Henan by job share."""
from __future__ import annotations

import numpy as np
import pandas as pd

from matcher.demo.geography import henan_cities, henan_counties, job_site_weights
from matcher.demo.raw_text import CHINESE_NUMBERS, pick

EMPLOYER_COLUMNS = ("employer_id", "name", "city", "county", "city_code", "county_code", "industry_index")

# Two syllables that read like a company brand but name no real firm we know of.
_BRAND_FIRST = tuple("宇鼎恒瑞泽嘉德华启博卓汇鸿信晟睿锦盛凯融弘景昱瀚拓科")
_BRAND_SECOND = tuple("辰盛达隆源泰新远创联睿安航晟川宸锐衡芯澜禾峰茂")
_INDUSTRY_WORDS = (
    ("信息科技", "软件", "数据科技", "网络科技"), ("电子科技", "光电", "微电子", "智能电子"),
    ("智能装备", "精密机械", "重工", "智能制造"), ("汽车零部件", "汽车工业", "新能源汽车", "车桥"),
    ("新材料", "超硬材料", "铝业", "材料科技"), ("食品", "食品工业", "冷链食品", "粮油"),
    ("生物医药", "制药", "生物科技", "医疗器械"), ("环保科技", "节能科技", "环境工程", "水务"),
    ("家居", "服饰", "家具", "纺织"), ("融资担保", "金融服务", "小额贷款", "投资管理"),
    ("物流", "供应链管理", "国际物流", "仓储服务"), ("农业科技", "农牧", "种业", "生态农业"),
    ("文化传媒", "文化创意", "动漫", "广告"), ("人力资源服务", "养老服务", "健康管理", "商业管理"),
)
_SUFFIXES = ("有限公司", "股份有限公司", "集团有限公司", "有限责任公司")


def generate_employers(per_industry: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """Employers for each key industry (per_industry[i] of them), sited where jobs cluster.

    Returns a DataFrame with EMPLOYER_COLUMNS; ids E00001…, names unique.
    """
    industry = np.repeat(np.arange(len(per_industry)), per_industry)
    n = len(industry)
    counties = henan_counties()
    site = rng.choice(len(counties), size=n, p=job_site_weights())
    city_short = henan_cities().set_index("code").short_name
    site_city = counties.city_code.to_numpy()[site]
    words = np.array(_INDUSTRY_WORDS, dtype=object)[industry, rng.integers(0, 4, n)]
    brand = pick(_BRAND_FIRST, n, rng) + pick(_BRAND_SECOND, n, rng)
    suffix = pick(_SUFFIXES, n, rng, [0.6, 0.2, 0.1, 0.1])
    names = city_short.reindex(site_city).to_numpy().astype(object) + brand + words + suffix
    repeat = pd.Series(names).groupby(names).cumcount().to_numpy()
    names = np.where(repeat > 0, names + "第" + CHINESE_NUMBERS[repeat + 1] + "分公司", names)
    city_names = henan_cities().set_index("code").name
    return pd.DataFrame({
        "employer_id": [f"E{i:05d}" for i in range(1, n + 1)],
        "name": names,
        "city": city_names.reindex(site_city).to_numpy(),
        "county": counties.name.to_numpy()[site],
        "city_code": site_city,
        "county_code": counties.code.to_numpy()[site],
        "industry_index": industry,
    }, columns=list(EMPLOYER_COLUMNS))
