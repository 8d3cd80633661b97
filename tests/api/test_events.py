"""Outcome events posted to the API are what training reads (frames.load_events → rank.labels)."""
from __future__ import annotations

from matcher.rank.labels import pair_labels
from matcher.store.frames import load_events

V1 = "/api/v1"


def test_posted_event_reaches_the_training_input(api, admin):
    body = {"talent_id": "T5", "job_id": "J3", "kind": "hired", "occurred_at": "2024-05-06T09:30:00+08:00"}
    response = admin.post(f"{V1}/events", json=body)
    assert response.status_code == 201, response.text
    event = response.json()
    assert event["occurred_at"] == "2024-05-06T01:30:00Z" and event["source"] == "api"
    events = load_events(api.engine)
    stored = events[events["event_id"] == event["event_id"]].iloc[0]
    assert (stored["talent_id"], stored["job_id"], stored["kind"], stored["source"]) == ("T5", "J3", "hired", "api")
    labels = pair_labels(events[["talent_id", "job_id", "kind", "occurred_at"]])
    assert labels.set_index(["talent_id", "job_id"]).loc[("T5", "J3"), "label"] == 3


def test_the_same_event_twice_is_stored_once(api, admin):
    body = {"talent_id": "T2", "job_id": "J2", "kind": "interviewed", "occurred_at": "2024-04-01T10:00:00"}
    first, second = admin.post(f"{V1}/events", json=body), admin.post(f"{V1}/events", json=body)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["event_id"] == second.json()["event_id"]


def test_event_defaults_to_now(admin):
    response = admin.post(f"{V1}/events", json={"talent_id": "T6", "job_id": "J4", "kind": "viewed"})
    assert response.status_code == 201 and response.json()["occurred_at"].startswith("20")


def test_unknown_kind_talent_or_job_is_a_422(admin):
    bad_kind = admin.post(f"{V1}/events", json={"talent_id": "T6", "job_id": "J4", "kind": "liked"})
    assert bad_kind.status_code == 422 and bad_kind.json()["errors"][0]["field"] == "kind"
    unknown = admin.post(f"{V1}/events", json={"talent_id": "T404", "job_id": "J404", "kind": "viewed"})
    assert unknown.status_code == 422
    assert {e["field"] for e in unknown.json()["errors"]} == {"talent_id", "job_id"}


def test_seekers_record_only_their_own_views_and_applications(api):
    seeker = api.as_("seeker1")
    assert seeker.post(f"{V1}/events", json={"talent_id": "T1", "job_id": "J2", "kind": "applied"}).status_code == 201
    assert seeker.post(f"{V1}/events", json={"talent_id": "T1", "job_id": "J2", "kind": "hired"}).status_code == 403
    assert seeker.post(f"{V1}/events", json={"talent_id": "T2", "job_id": "J2", "kind": "applied"}).status_code == 404
