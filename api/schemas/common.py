"""Shapes shared by every resource: pages of records and problem-details errors."""
from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from fastapi import Query
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from matcher.normalize.number_policy import INTEGER_MAX
from matcher.normalize.text_policy import text_violation

Item = TypeVar("Item")


def _within_text_policy(text: str) -> str:
    problem = text_violation("summary", text)  # the longest a record allows: a skills text may be normalised
    if problem is not None:
        raise ValueError(problem)
    return text


PolicyText = Annotated[str, AfterValidator(_within_text_policy)]
"""Free text outside a record (a value to normalise): the records' text policy, without a column of its own."""

OffsetQuery = Annotated[int, Query(ge=0, le=INTEGER_MAX, description="records to skip")]
LimitQuery = Annotated[int, Query(ge=1, le=200, description="records per page")]


class FieldError(BaseModel):
    loc: list[str | int] = Field(description="where the error is: ['body', 'phone'], ['query', 'region'], …")
    field: str | None = None
    message: str
    row: int | None = Field(None, description="uploads: the spreadsheet row as Excel shows it")
    column: str | None = Field(None, description="uploads: the canonical column name")


class ProblemDetails(BaseModel):
    """RFC 9457 problem details, plus ``errors`` listing each unusable field."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[FieldError] = []


class Page(BaseModel, Generic[Item]):
    items: list[Item]
    total: int = Field(description="records matching the filters, over all pages")
    offset: int
    limit: int


class WriteModel(BaseModel):
    """Request bodies refuse unknown fields, so a misspelt field is an error rather than silently lost."""

    model_config = ConfigDict(extra="forbid")


def problem_responses(*statuses: int) -> dict[int | str, dict[str, object]]:
    """OpenAPI ``responses`` entries for problem-details answers with these statuses."""
    return {status: {"model": ProblemDetails, "content": {"application/problem+json": {}},
                     "description": PROBLEM_MEANINGS[status]} for status in statuses}


PROBLEM_MEANINGS = {
    400: "the body is not valid JSON (or not the declared form)",
    401: "no API key, or not a valid one",
    403: "the caller's role may not use this endpoint, or not on this record",
    404: "no such record, or one the caller may not see",
    409: "the write contradicts stored data: the id is taken, records still point here, the last admin",
    413: "the request body is over the limit",
    422: "a field, parameter or filter cannot be used; ``errors`` lists each",
    503: "the database is busy or unavailable; retry after the Retry-After seconds",
}
PROBLEM_RESPONSES = problem_responses(400, 401, 403, 404, 413, 422, 503)
"""What any route may answer besides its success: declared once, on every router."""
CONFLICT_RESPONSES = problem_responses(409)
"""Added to the routes that refuse a write contradicting stored data."""
