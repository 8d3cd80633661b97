"""Request body limits: a 413 problem before an oversized body is read, or as soon as it passes the limit."""
from __future__ import annotations

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import Problem, problem_response

BODY_LIMIT_BYTES = 256 * 1024
"""Any request body but an upload: a JSON record or filter, whose longest field the text policy caps."""


class BodyLimitMiddleware:
    """Limits request bodies under ``upload_prefix`` to ``upload_bytes`` and every other body to ``body_bytes``.

    A declared Content-Length over the limit is answered at once. A body without one (chunked) is
    counted as it arrives; passing the limit raises an HTTPException, which FastAPI's body parsing
    lets through to the problem handlers.
    """

    def __init__(self, app: ASGIApp, upload_bytes: int, upload_prefix: str,
                 body_bytes: int = BODY_LIMIT_BYTES) -> None:
        self.app, self.upload_bytes, self.upload_prefix = app, upload_bytes, upload_prefix
        self.body_bytes = body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        upload = scope["path"].startswith(self.upload_prefix)
        limit = self.upload_bytes if upload else self.body_bytes
        detail = (f"uploads are limited to {limit / 1024 / 1024:g} MB; split the file and upload the parts"
                  if upload else f"request bodies are limited to {limit // 1024} KB (请求内容过大)")
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            response = problem_response(Request(scope), Problem(413, detail))
            await response(scope, receive, send)
            return
        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise HTTPException(413, detail)
            return message

        await self.app(scope, counted_receive, send)
