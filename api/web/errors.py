"""Errors on pages are pages: the same Problem the JSON routes raise, shown in Chinese; /api/ keeps JSON."""
from __future__ import annotations

from http import HTTPStatus
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.auth import SignInRequired
from api.problems import Problem, install_problem_handlers, problem_response
from api.web.pages import page

API_PATH = "/api/"
STATUS_TEXT = {400: "请求有误", 403: "没有权限", 404: "没有找到", 405: "不支持的操作", 413: "文件太大",
               422: "填写的内容有误", 429: "操作太频繁", 500: "服务出错"}


def install_page_errors(app: FastAPI) -> None:
    """After :func:`install_problem_handlers`: the same handlers for /api/, error pages everywhere else."""
    install_problem_handlers(app)
    json_handlers = dict(app.exception_handlers)

    async def on_problem(request: Request, problem: Problem) -> Response:
        if request.url.path.startswith(API_PATH):
            return problem_response(request, problem)
        return _error_page(request, problem.status, problem.detail)

    async def on_http(request: Request, error: StarletteHTTPException) -> Response:
        if request.url.path.startswith(API_PATH) or request.url.path.startswith("/openapi"):
            return await json_handlers[StarletteHTTPException](request, error)
        return _error_page(request, error.status_code, "")

    async def on_invalid(request: Request, error: RequestValidationError) -> Response:
        if request.url.path.startswith(API_PATH):
            return await json_handlers[RequestValidationError](request, error)
        fields = "、".join(sorted({str(e["loc"][-1]) for e in error.errors()}))
        return _error_page(request, 422, f"请检查这些栏目：{fields}")

    async def on_sign_in(request: Request, error: SignInRequired) -> Response:
        return RedirectResponse(f"/login?next={quote(error.path)}", status_code=303)

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_invalid)
    app.add_exception_handler(SignInRequired, on_sign_in)


def _error_page(request: Request, status: int, detail: str) -> Response:
    title = STATUS_TEXT.get(status, HTTPStatus(status).phrase)
    return page(request, "error.html", {"title": title, "status": status, "detail": detail}, status_code=status)
