"""Logging in and out of the page.

These views take the place of datasette-auth-passwords' ``/-/login`` and
Datasette's ``/-/logout`` (our plugin's routes come first), and reuse their
templates and the plugin's PBKDF2 format. On top of them:

- the form's CSRF token is required (Datasette's CSRF check skips a POST
  that carries no cookie at all, so a bare POST used to log in);
- failed log-ins back off per user name and per address (``throttle``);
- the password is checked off the event loop, at the same cost for an
  unknown user (``auth.Passwords``);
- a log-in starts a server-side session (``sessions``) in an HttpOnly,
  SameSite=Lax cookie, Secure behind TLS; logout ends it on the server.
"""

from __future__ import annotations

import logging
import math
import secrets
from dataclasses import dataclass
from typing import Any

from datasette.utils.asgi import Response

from listener.web.auth import Passwords
from listener.web.sessions import COOKIE, Sessions
from listener.web.throttle import LoginThrottle

log = logging.getLogger(__name__)

MAX_FIELD = 1024


@dataclass(frozen=True)
class LoginContext:
    passwords: Passwords
    sessions: Sessions
    throttle: LoginThrottle
    secure_cookies: str  # auto, always, never


def client_address(scope: dict[str, Any]) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def _csrf_ok(request: Any, form: dict[str, str]) -> bool:
    """The form's token is the one in the request's CSRF cookie, and that
    cookie is one the server signed: Datasette's CSRF layer (asgi-csrf) gives
    the cookie's token when it is validly signed, and a fresh one otherwise."""
    sent = form.get("csrftoken", "")
    expected = request.scope["csrftoken"]() if "csrftoken" in request.scope else ""
    return bool(sent and expected) and secrets.compare_digest(sent, expected) \
        and expected in request.cookies.values()


def _in_words(seconds: float) -> str:
    if seconds < 90:
        return f"{math.ceil(seconds)} seconds"
    return f"{math.ceil(seconds / 60)} minutes"


async def _form(datasette: Any, request: Any, error: str | None, status: int = 200,
                headers: dict[str, str] | None = None) -> Response:
    html = await datasette.render_template("password_login.html", {"error": error},
                                           request=request)
    return Response.html(html, status=status, headers=headers)


def _secure(login: LoginContext, request: Any) -> bool:
    if login.secure_cookies == "auto":
        return bool(request.scheme == "https")
    return login.secure_cookies == "always"


async def login_view(login: LoginContext, request: Any, datasette: Any) -> Response:
    if request.method != "POST":
        return await _form(datasette, request, None)
    form = {k: str(v)[:MAX_FIELD] for k, v in (await request.post_vars()).items()}
    if not _csrf_ok(request, form):
        return await _form(datasette, request,
                           "This form has expired: reload the page and log in again.", 403)
    user, password = form.get("username", ""), form.get("password", "")
    address = client_address(request.scope)
    wait = login.throttle.retry_after(user, address)
    if wait > 0:
        log.warning("log-in refused while backing off (address %s)", address)
        return await _form(datasette, request,
                           f"Too many failed log-ins. Try again in {_in_words(wait)}.", 429,
                           {"retry-after": str(math.ceil(wait))})
    actor = await login.passwords.check(user, password)
    if actor is None:
        login.throttle.failed(user, address)
        who = f"user {user!r}" if login.passwords.knows(user) else "an unknown user name"
        log.warning("failed log-in for %s from %s", who, address)
        return await _form(datasette, request, "Invalid username or password")
    login.throttle.succeeded(user, address)
    previous = request.cookies.get(COOKIE)
    if previous:
        login.sessions.end(previous)
    response = Response.redirect(datasette.urls.path("/"))
    response.set_cookie(COOKIE, login.sessions.start(actor), max_age=int(
        login.sessions.lifetime), httponly=True, samesite="lax", secure=_secure(login, request))
    log.info("log-in of user %r from %s", user, address)
    return response


async def logout_view(login: LoginContext, request: Any, datasette: Any) -> Response:
    """GET: the logout form; POST (its CSRF token checked by Datasette, since
    the request carries cookies): the session ends on the server."""
    if request.method != "POST":
        if not request.actor:
            return Response.redirect(datasette.urls.path("/-/login"))
        html = await datasette.render_template("logout.html", {"actor": request.actor},
                                               request=request)
        return Response.html(html)
    token = request.cookies.get(COOKIE)
    if token:
        login.sessions.end(token)
    response = Response.redirect(datasette.urls.path("/-/login"))
    response.set_cookie(COOKIE, "", max_age=0, expires=0, httponly=True, samesite="lax",
                        secure=_secure(login, request))
    return response


def actor_for(login: LoginContext, request: Any) -> dict[str, Any] | None:
    token = request.cookies.get(COOKIE)
    return login.sessions.actor(token) if token else None
