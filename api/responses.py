"""Responses the hot routes serialise themselves.

A route that returns a model leaves FastAPI to validate it again against ``response_model`` (through a
thread-pool hop for a sync route) and then serialise it. The matching routes build their response models
from validated parts already, so they hand back the JSON straight from pydantic's serialiser; the route's
``response_model`` still documents the shape in OpenAPI.
"""
from __future__ import annotations

from urllib.parse import quote

from fastapi import Request, Response
from pydantic import BaseModel

JSON_MEDIA_TYPE = "application/json"


def model_response(model: BaseModel, status_code: int = 200) -> Response:
    """``model`` as its JSON body, exactly as FastAPI would have written it (by alias, nothing excluded)."""
    return Response(model.model_dump_json(by_alias=True), status_code=status_code, media_type=JSON_MEDIA_TYPE)


def set_location(request: Request, response: Response, record_id: str) -> None:
    """``Location`` of a record created by POSTing to ``request``'s collection path.

    The id is percent-encoded as UTF-8 (headers are Latin-1; 周口-人才-001 is a valid id). Routes set it
    before committing, so a header that could not be written never leaves a record a retry collides with.
    """
    response.headers["Location"] = f"{request.url.path.rstrip('/')}/{quote(record_id, safe='')}"
