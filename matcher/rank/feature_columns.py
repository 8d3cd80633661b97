"""The feature matrix's columns (FEATURE_COLUMNS, the single ordered list) and what each side's encoded profile
holds for them (TALENT_LAYOUT, JOB_LAYOUT): shared by the compiled pair kernel and its numpy reference."""
from __future__ import annotations

from matcher.rank.encoded import Layout

RETRIEVAL_COLUMNS = ("dense_score", "dense_rank", "sparse_score", "sparse_rank", "fused_score")

FEATURE_COLUMNS: tuple[str, ...] = (
    *RETRIEVAL_COLUMNS,
    "cert_required", "cert_held", "cert_level_gap", "cert_meets_level", "title_rank_gap",
    "skill_overlap", "skill_jaccard", "title_similarity", "occupation_match", "major_fit", "qualification_fit",
    "hometown_level", "willing_to_return", "job_city_in_intent", "current_city_same",
    "industry_same_key", "industry_same_section",
    "education_gap", "experience_gap", "salary_gap_ratio", "salary_within",
    "urgency_stars", "urgency_index", "headcount", "talent_category", "age",
)
CATEGORICAL_FEATURES = ("talent_category",)
COLUMN: dict[str, int] = {name: i for i, name in enumerate(FEATURE_COLUMNS)}
"""Feature name -> its column in a feature matrix."""

TALENT_LAYOUT = Layout(
    numbers=("title_rank", "education_rank", "experience_years", "expected_salary_min", "willing_to_return", "age",
             "talent_category"),
    codes=("hometown_province_code", "hometown_city_code", "hometown_county_code", "current_city_code",
           "industry_key", "industry_section"),
    sets=("held_certs", "skills", "title_bigrams", "intent_city_codes", "occupation_code", "major_prefixes",
          "major_middles", "qualification_keys", "qualification_specialities"),
)
"""What the pair features read of a talent profile (matcher.rank.profiles, matcher.rank.fit_columns)."""
JOB_LAYOUT = Layout(
    numbers=("req_cert_level", "req_title_rank", "education_rank", "experience_min", "salary_max", "urgency_stars",
             "urgency_index", "headcount", "req_qual_rank"),
    codes=("req_cert_key", "province_code", "city_code", "county_code", "industry_key", "industry_section",
           "req_qual_key", "occupation_middle"),
    sets=("skills", "title_bigrams", "occupation_code", "req_qual_specialities"),
)
"""What the pair features read of a job profile (matcher.rank.profiles, matcher.rank.fit_columns)."""
