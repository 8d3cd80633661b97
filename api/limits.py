"""The upload size limit: a 413 problem before an oversized file is read, or as soon as it passes the limit."""
from __future__ import annotations

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import Problem, problem_response


class UploadLimitMiddleware:
    """Limits request bodies under ``path_prefix`` to ``max_bytes``.

    A declared Content-Length over the limit is answered at once. A body without one (chunked) is
    counted as it arrives; passing the limit raises an HTTPException, which FastAPI's body parsing
    lets through to the problem handlers.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, path_prefix: str) -> None:
        self.app, self.max_bytes, self.path_prefix = app, max_bytes, path_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.path_prefix):
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            response = problem_response(Request(scope), Problem(413, self._detail()))
            await response(scope, receive, send)
            return
        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise HTTPException(413, self._detail())
            return message

        await self.app(scope, counted_receive, send)

    def _detail(self) -> str:
        return f"uploads are limited to {self.max_bytes / 1024 / 1024:g} MB; split the file and upload the parts"
