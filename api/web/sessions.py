"""The web session: a signed, HttpOnly, SameSite cookie holding the signed-in user's id and a CSRF token.

Nothing else is kept on the server: the cookie is signed with a key in the data dir (made once, readable
by the owner only), so every worker process accepts the same cookies. Anonymous visitors (the job-fair
form) get a session too, for its CSRF token and, once they apply, the id of the profile they created.
"""
from __future__ import annotations

import hmac
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "matcher_session"
MAX_AGE_SECONDS = 12 * 3600
"""A working day at a fair or a desk; after it, sign in again."""
KEY_FILE = "web-session.key"
CSRF_FIELD = "csrf"


@dataclass
class WebSession:
    """What the cookie carries; ``dirty`` when it must be sent again."""

    csrf: str
    user_id: int | None = None
    talent_id: str | None = None
    """The profile a fair visitor created by applying: later applications add to its consent."""
    dirty: bool = field(default=False, compare=False)

    def sign_in(self, user_id: int) -> None:
        """A new CSRF token at every sign-in, so a token seen before it is worthless after."""
        self.user_id, self.csrf, self.dirty = user_id, secrets.token_urlsafe(24), True

    def sign_out(self) -> None:
        self.user_id, self.talent_id, self.csrf, self.dirty = None, None, secrets.token_urlsafe(24), True

    def remember_talent(self, talent_id: str) -> None:
        self.talent_id, self.dirty = talent_id, True

    def csrf_matches(self, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf, str(token))


def web_session(request: Request) -> WebSession:
    """This request's session, read from its cookie once (a missing or forged cookie: a fresh session)."""
    found = getattr(request.state, "web_session", None)
    if found is not None:
        return found
    data = None
    raw = request.cookies.get(COOKIE)
    if raw:
        try:
            data = _serializer(request).loads(raw, max_age=MAX_AGE_SECONDS)
        except BadSignature:
            data = None
    if isinstance(data, dict) and isinstance(data.get("c"), str):
        found = WebSession(csrf=data["c"], user_id=data.get("u"), talent_id=data.get("t"))
    else:
        found = WebSession(csrf=secrets.token_urlsafe(24), dirty=True)
    request.state.web_session = found
    return found


def store_session(request: Request, response: Response) -> None:
    """Send the cookie again when the session changed (new visitor, sign-in, sign-out, a fair application)."""
    session = getattr(request.state, "web_session", None)
    if session is None or not session.dirty:
        return
    value = _serializer(request).dumps({"c": session.csrf, "u": session.user_id, "t": session.talent_id})
    response.set_cookie(COOKIE, value, max_age=MAX_AGE_SECONDS, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https", path="/")


def _serializer(request: Request) -> URLSafeTimedSerializer:
    state = request.app.state
    if getattr(state, "web_session_key", None) is None:
        state.web_session_key = _session_key(state.settings.data_dir / KEY_FILE)
    return URLSafeTimedSerializer(state.web_session_key, salt="matcher-web-session")


def _session_key(path: Path) -> bytes:
    """Read the key, or make it: O_EXCL, so two workers starting at once end up with the same key."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):  # the creator may not have written it yet
            key = path.read_bytes()
            if key:
                return key
            os.sched_yield()
        raise RuntimeError(f"{path} is empty; delete it and restart") from None
    key = secrets.token_hex(32).encode()
    with os.fdopen(descriptor, "wb") as target:
        target.write(key)
    return key
