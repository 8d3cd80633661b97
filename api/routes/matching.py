"""Matching: recommendations for a talent, candidates for a job, and unsaved profiles or postings.

The two saved-record routes run on the event loop: matching is CPU-bound and each worker process has a
core of its own, so a thread-pool hop only adds GIL hand-offs between the loop and the pool thread (CPU a
request costs: measured by scripts/bench_api.py). They read the database (WAL readers never wait
for a writer) and hand the commit of their audit entries to the pool, where waiting for SQLite's write lock
blocks only that request.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from api.auth import AccountDep, allow
from api.deps import MatcherDep, SessionDep
from api.filters import FilterParams, FiltersDep
from api.problems import Problem, invalid, not_found
from api.responses import model_response
from api.schemas.common import PROBLEM_RESPONSES
from api.schemas.jobs import JobDraft, JobSummary
from api.schemas.matching import Candidates, JobMatch, Recommendations, TalentMatch
from api.schemas.talents import TalentDraft, TalentSummary
from api.views import AUDITED_READERS, CANDIDATE_COLUMNS, VIEW_COLUMNS, audit_reads, talent_summaries, visible_talent
from matcher.normalize.records import JOB_REQUIRED, TALENT_REQUIRED, NormalizedRecord, check_job, check_talent
from matcher.pipeline import UNSAVED_ID, Match, Matcher, Matches
from matcher.rank.relevance import NO_JOB, NO_TALENT
from matcher.store.accounts import Account
from matcher.store.records import records_by_id

router = APIRouter(tags=["matching"], responses=PROBLEM_RESPONSES)

TopQuery = Annotated[int, Query(ge=1, le=100, description="how many matches, best first")]
JOB_SUMMARY_COLUMNS = tuple(JobSummary.model_fields)
RecommendationReaderDep = allow("seeker", "staff", "admin")
CandidateReaderDep = allow("employer", "staff", "admin")


@router.get("/talents/{talent_id}/recommendations", response_model=Recommendations)
async def recommendations(talent_id: str, account: RecommendationReaderDep, session: SessionDep,
                          matcher: MatcherDep, filters: FiltersDep, top: TopQuery = 10):
    """Jobs for a saved talent: seekers for themselves, staff for their workstation's talents, admins for any."""
    _job_side_only(filters)
    visible_talent(session, account, records_by_id(session, "talents", [talent_id], VIEW_COLUMNS).get(talent_id),
                   talent_id)
    matches = matcher.recommend([talent_id], top, filters.for_jobs())[talent_id]
    return model_response(Recommendations(talent_id=talent_id, matches=_job_matches(matcher, matches),
                                          **_no_match(matches, NO_JOB)))


@router.get("/jobs/{job_id}/candidates", response_model=Candidates)
async def candidates(job_id: str, account: CandidateReaderDep, session: SessionDep, matcher: MatcherDep,
                     filters: FiltersDep, top: TopQuery = 10):
    """Talents for a saved job; personal data masked unless the caller may see it (consent, own workstation)."""
    _no_certificate(filters)
    job = matcher.job_fields([job_id], ("employer_id",)).get(job_id)  # up to date: MatcherDep caught up
    if job is None:
        raise not_found("job", job_id)
    if account.role == "employer" and job["employer_id"] != account.employer_id:
        raise Problem(403, "employers see candidates for their own jobs only")
    matches = matcher.candidates([job_id], top, filters.for_talents())[job_id]
    summaries = _candidate_summaries(session, account, matches)
    if account.role in AUDITED_READERS:  # their reads are written to the audit log
        await run_in_threadpool(_audit_candidates, session, account, summaries, "GET /jobs/{job_id}/candidates")
    return model_response(Candidates(job_id=job_id, matches=_talent_matches(matches, summaries),
                                     **_no_match(matches, NO_TALENT)))


@router.post("/match/profile", response_model=Recommendations)
def match_profile(body: TalentDraft, account: AccountDep, matcher: MatcherDep, session: SessionDep,
                  filters: FiltersDep, top: TopQuery = 10):
    """Jobs for an unsaved profile (the job-fair desk); nothing is stored."""
    _job_side_only(filters)
    raw = body.model_dump(exclude_none=True)
    _check_draft(raw, check_talent, TALENT_REQUIRED, {"talent_id": UNSAVED_ID, "name": raw.get("name") or "-"})
    matches = matcher.match_profile(raw, top, filters.for_jobs())
    return model_response(Recommendations(matches=_job_matches(matcher, matches), **_no_match(matches, NO_JOB)))


@router.post("/match/job", response_model=Candidates)
def match_job(body: JobDraft, account: CandidateReaderDep, matcher: MatcherDep, session: SessionDep,
              filters: FiltersDep, top: TopQuery = 10):
    """Candidates for an unsaved posting; nothing is stored; personal data masked as for saved jobs.

    Audited as previews: a draft's candidates do not become talents the employer knows (only a saved
    job's candidates and events on its own jobs do), or drafts would unlock any profile."""
    _no_certificate(filters)
    raw = body.model_dump(exclude_none=True)
    placeholders = {"job_id": UNSAVED_ID, "employer": raw.get("employer") or "-", "city": raw.get("city") or "-"}
    _check_draft(raw, check_job, JOB_REQUIRED, placeholders)
    matches = matcher.match_job(raw, top, filters.for_talents())
    summaries = _candidate_summaries(session, account, matches)
    _audit_candidates(session, account, summaries, "POST /match/job", action="preview")
    return model_response(Candidates(matches=_talent_matches(matches, summaries), **_no_match(matches, NO_TALENT)))


def _check_draft(raw: dict, check: Callable[[Mapping[str, object]], NormalizedRecord],
                 required: Sequence[str], placeholders: dict[str, object]) -> None:
    """The import's checks, except that an unsaved draft needs no id and may leave required fields empty."""
    issues = [i for i in check({**placeholders, **raw}).issues if not (i.column in required and not i.value)]
    if issues:
        raise invalid(issues)


def _no_match(matches: Matches, message: str) -> dict:
    """The empty result's message and what the nearest candidates lacked (matcher.rank.relevance)."""
    return {} if matches else {"no_match": message, "missing": list(getattr(matches, "missing", ()))}


def _job_matches(matcher: Matcher, matches: list[Match]) -> list[JobMatch]:
    jobs = matcher.job_fields([m.id for m in matches], JOB_SUMMARY_COLUMNS)
    return [JobMatch(**m.to_dict(), job=JobSummary(**jobs[m.id]) if m.id in jobs else None) for m in matches]


def _candidate_summaries(session: Session, account: Account, matches: list[Match]) -> dict[str, TalentSummary]:
    return talent_summaries(account, records_by_id(session, "talents", [m.id for m in matches], CANDIDATE_COLUMNS))


def _audit_candidates(session: Session, account: Account, summaries: Mapping[str, TalentSummary], via: str,
                      action: str = "search") -> None:
    audit_reads(session, account, {i: s.view for i, s in summaries.items()}, action=action, via=via)
    session.commit()


def _talent_matches(matches: list[Match], summaries: Mapping[str, TalentSummary]) -> list[TalentMatch]:
    return [TalentMatch(**m.to_dict(), talent=summaries.get(m.id)) for m in matches]


def _job_side_only(filters: FilterParams) -> None:
    _no_certificate(filters)
    if filters.workstations or filters.willing_to_return is not None:
        raise Problem(422, "workstation and willing_to_return filter talents, not jobs", slug="validation-error")


def _no_certificate(filters: FilterParams) -> None:
    if filters.certificate:
        raise Problem(422, "the certificate filter applies to lists, not to matching", slug="validation-error")
