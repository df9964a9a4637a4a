"""What stands between the page and anything else on the network or in another browser tab.

- The server listens on 127.0.0.1 only (see `run`); nothing else on the network can reach it.
- A random token made at each start must come with every request: in the URL the first time
  (`?t=…`, what `dxcheck serve` prints and opens), then in a cookie the server sets. Another web
  site cannot guess it, so it cannot read or drive the page.
- `Host` must be 127.0.0.1:PORT or localhost:PORT: a DNS-rebinding site (evil.example resolving to
  127.0.0.1) sends its own name and is refused.
- A POST must say it comes from this page (`Origin`, else `Referer`): no cross-site form posts.
- Every answer forbids loading anything from elsewhere (Content-Security-Policy) and being framed
  by another site.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders, QueryParams
from starlette.responses import PlainTextResponse, RedirectResponse

from ..messages import t

TOKEN_PARAM = "t"
SAFE_METHODS = {"GET", "HEAD"}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def cookie_name(port: int) -> str:
    # cookies are shared by every port of a host: one name per server, so two never clash
    return f"dxcheck_token_{port}"


class Guard:
    """ASGI middleware applying the rules above to every HTTP request."""

    def __init__(self, app, *, token: str, port: int):
        self.app = app
        self.token = token
        self.port = port
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.origins = {f"http://{host}" for host in self.hosts}

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":  # no websockets here
            return
        headers = Headers(scope=scope)
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        query = QueryParams(scope.get("query_string", b""))
        if TOKEN_PARAM in query and scope["method"] in SAFE_METHODS:
            # the token moves from the address bar into a cookie, so that it is not left in the
            # browser's history or shown over someone's shoulder
            rest = [(key, value) for key, value in query.multi_items() if key != TOKEN_PARAM]
            target = scope["path"] + ("?" + str(QueryParams(rest)) if rest else "")
            response = RedirectResponse(target, status_code=303)
            response.set_cookie(cookie_name(self.port), self.token, httponly=True, samesite="strict", path="/")
            await _secured(response)(scope, receive, send)
            return
        await self.app(scope, receive, _with_headers(send))

    def _refusal(self, scope, headers: Headers):
        if headers.get("host", "") not in self.hosts:
            return _secured(PlainTextResponse(t("serve.bad_host"), status_code=400))
        query = QueryParams(scope.get("query_string", b""))
        given = query.get(TOKEN_PARAM) or _cookie(headers, cookie_name(self.port)) or ""
        if not secrets.compare_digest(given.encode(), self.token.encode()):
            return _secured(PlainTextResponse(t("serve.bad_token"), status_code=403))
        if scope["method"] not in SAFE_METHODS and not self._same_origin(headers):
            return _secured(PlainTextResponse(t("serve.cross_site"), status_code=403))
        return None

    def _same_origin(self, headers: Headers) -> bool:
        origin = headers.get("origin")
        if origin is not None:
            return origin in self.origins
        referer = headers.get("referer")
        if referer:
            parts = urlsplit(referer)
            return f"{parts.scheme}://{parts.netloc}" in self.origins
        return False  # browsers send Origin with every POST; a request with neither is no page's


def _cookie(headers: Headers, name: str) -> str | None:
    for part in headers.get("cookie", "").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


def _add_security_headers(headers: MutableHeaders) -> None:
    headers.setdefault("content-security-policy", CSP)
    headers.setdefault("x-frame-options", "SAMEORIGIN")
    headers.setdefault("x-content-type-options", "nosniff")
    headers.setdefault("referrer-policy", "same-origin")
    headers.setdefault("cache-control", "no-store")


def _secured(response):
    _add_security_headers(response.headers)
    return response


def _with_headers(send):
    async def wrapped(message) -> None:
        if message["type"] == "http.response.start":
            _add_security_headers(MutableHeaders(scope=message))
        await send(message)

    return wrapped
