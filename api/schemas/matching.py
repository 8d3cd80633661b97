"""Match results: the pipeline's Match plus a short summary of the matched job or talent."""
from __future__ import annotations

from pydantic import BaseModel, Field

from api.schemas.jobs import JobSummary
from api.schemas.talents import TalentSummary


class Contribution(BaseModel):
    feature: str = Field(description="the feature's stable machine name")
    label: str = Field(description="its name in Chinese, for display")
    contribution: float


class MatchFields(BaseModel):
    id: str = Field(description="job_id for recommendations, talent_id for candidates")
    rank: int
    score: float
    reasons: list[str] = Field(description="plain Chinese reasons, most decisive first")
    contributions: list[Contribution]
    retrieval: dict[str, float | int | None]
    scorer: str = Field(description="'ranker:<version>' or 'rule'")


class JobMatch(MatchFields):
    job: JobSummary | None = None


class TalentMatch(MatchFields):
    talent: TalentSummary | None = None


class NoMatch(BaseModel):
    no_match: str | None = Field(None, description="暂无合适岗位 / 暂无合适人选 when nothing passed the relevance "
                                                    "floor (matches is then empty); None otherwise")
    missing: list[str] = Field([], description="when nothing fits: what the nearest candidates lacked, nearest first")


class Recommendations(NoMatch):
    talent_id: str | None = Field(None, description="None for an unsaved profile")
    matches: list[JobMatch]


class Candidates(NoMatch):
    job_id: str | None = Field(None, description="None for an unsaved posting")
    matches: list[TalentMatch]
