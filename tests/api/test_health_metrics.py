"""Health, metrics, OpenAPI docs, and an access log without personal data."""
from __future__ import annotations

import logging

V1 = "/api/v1"


def test_metrics_count_requests_per_route_template(api, admin):
    for talent_id in ("T1", "T2"):
        admin.get(f"{V1}/talents/{talent_id}/recommendations")
    metrics = admin.get(f"{V1}/metrics").json()
    routes = {(r["method"], r["route"]): r for r in metrics["routes"]}
    recommend = routes[("GET", "/api/v1/talents/{talent_id}/recommendations")]
    assert recommend["count"] >= 2 and recommend["p50_ms"] > 0 and recommend["p99_ms"] >= recommend["p50_ms"]
    assert not any("T1" in route for _, route in routes)
    assert metrics["matcher"]["talents"] >= 6 and metrics["matcher"]["jobs"] >= 4
    assert set(metrics["matcher"]["rankers"]) == {"recommend", "candidates"}


def test_access_log_has_method_template_status_and_time_only(api, admin, caplog):
    with caplog.at_level(logging.INFO, logger="matcher.api.access"):
        admin.get(f"{V1}/talents", params={"workstation": "河南驻深圳人才工作站", "certificate": "电工证"})
        admin.get(f"{V1}/talents/T1")
        admin.post(f"{V1}/talents", json={"talent_id": "T1", "name": "张伟", "phone": "13812345678"})
    lines = [r.getMessage() for r in caplog.records if r.name == "matcher.api.access"]
    assert lines[0].startswith("GET /api/v1/talents 200 ") and lines[0].endswith("ms")
    assert lines[1].startswith("GET /api/v1/talents/{talent_id} 200 ")
    everything = "\n".join(r.getMessage() for r in caplog.records)
    for personal in ("张伟", "13812345678", "深圳人才工作站", "电工证", "T1"):
        assert personal not in everything


def test_openapi_docs_list_every_resource(api):
    assert api.client.get("/docs").status_code == 200
    paths = api.client.get("/openapi.json").json()["paths"]
    for path in ("/api/v1/talents", "/api/v1/jobs/{job_id}/candidates", "/api/v1/match/profile",
                 "/api/v1/imports/{kind}", "/api/v1/events", "/api/v1/catalogs/regions", "/api/v1/metrics"):
        assert path in paths


def test_unknown_route_is_a_problem(api):
    response = api.client.get(f"{V1}/nothing-here")
    assert response.status_code == 404 and response.headers["content-type"] == "application/problem+json"


def test_the_apps_own_settings_are_used_without_dependency_overrides(api):
    """Given settings live on app.state: any dependency override makes FastAPI rebuild every route's
    dependency tree per request (measured at a third of a recommendation's time)."""
    app = api.client.app
    assert app.dependency_overrides == {}
    assert app.state.settings is api.settings
