"""Catalogue look-ups and normalisation, through the same code as `matcher normalize`."""
from __future__ import annotations

from matcher.normalize.values import normalise_values

V1 = "/api/v1/catalogs"


def test_regions_by_parent_and_level(admin):
    counties = admin.get(f"{V1}/regions", params={"parent": "411600", "limit": 500}).json()
    assert "商水县" in {r["name"] for r in counties["items"]} and counties["total"] == len(counties["items"])
    provinces = admin.get(f"{V1}/regions", params={"level": "province", "q": "河南"}).json()["items"]
    assert [p["code"] for p in provinces] == ["410000"]


def test_industries_include_key_industries_and_sections(admin):
    keys = admin.get(f"{V1}/industries", params={"level": "key"}).json()
    assert keys["total"] == 14 and all(item["divisions"] for item in keys["items"])
    sections = admin.get(f"{V1}/industries", params={"level": "section"}).json()["items"]
    assert {"A", "C"} <= {s["code"] for s in sections}


def test_certificates_and_occupations_search(admin):
    certificates = admin.get(f"{V1}/certificates", params={"q": "电工"}).json()["items"]
    assert any(c["kind"] == "special_operation" and c["name"] == "低压电工作业" for c in certificates)
    occupations = admin.get(f"{V1}/occupations", params={"q": "焊工", "level": 4}).json()["items"]
    assert occupations and all(o["level"] == 4 for o in occupations)


def test_education_levels(admin):
    levels = admin.get(f"{V1}/education").json()
    assert [level["rank"] for level in levels] == sorted(level["rank"] for level in levels)


def test_normalisation_matches_the_cli(admin):
    for kind, text in (("region", "周口商水"), ("certificate", "电工证、高级技师"), ("salary", "8-12K"),
                       ("occupation", "电焊工")):
        response = admin.get(f"{V1}/normalize/{kind}", params={"text": text})
        assert response.status_code == 200
        assert response.json() == normalise_values(kind, [text])[0]
    many = admin.post(f"{V1}/normalize/education", json={"texts": ["本科", "大专"]}).json()
    assert many == normalise_values("education", ["本科", "大专"])


def test_unknown_normaliser_is_a_422(admin):
    assert admin.get(f"{V1}/normalize/horoscope", params={"text": "x"}).status_code == 422
