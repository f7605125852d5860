"""Security headers on every response, and an opt-in for running behind a TLS-terminating proxy.

The hub serves children's safeguarding data, so every response (API JSON, web pages, errors,
static files) says: run no script or style but our own files, never be framed, never sniff types,
send no referrer (URLs hold person ids and searches), and never be cached when it may hold
person data. The templates must therefore keep all script and style in `api/static`; a test
guards that.
"""

from __future__ import annotations

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)

HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    # same-origin, not no-referrer: the CSRF check on HTTPS compares the Referer to the host.
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
HSTS = "max-age=31536000; includeSubDomains"
TRUST_PROXY_KEY = "MASH_TRUST_PROXY"


def register(app: Flask) -> None:
    """Add the security headers to every response of `app`; trust proxies if configured.

    Call once from the app factory, after `app.config` holds `MASH_TRUST_PROXY` (if used).
    """
    _trust_proxies(app)
    app.after_request(add_headers)


def add_headers(response: Response) -> Response:
    # Set, not setdefault: one place decides these, and a view cannot weaken them by accident.
    response.headers.update(HEADERS)
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = HSTS
    if not (_is_static(request.endpoint) and response.status_code < 400):
        response.headers["Cache-Control"] = "no-store"
    return response


def _is_static(endpoint: str | None) -> bool:
    """The app's or a blueprint's static view: no person data, so caching is allowed."""
    return endpoint is not None and (endpoint == "static" or endpoint.endswith(".static"))


def _trust_proxies(app: Flask) -> None:
    """Believe X-Forwarded-For/-Proto from `MASH_TRUST_PROXY` proxies in front of the app.

    Off by default: without a proxy that overwrites those headers, any client could claim to
    have come over TLS or from any address.
    """
    proxies = proxy_count(app.config.get(TRUST_PROXY_KEY))
    if proxies and not isinstance(app.wsgi_app, ProxyFix):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]


def proxy_count(value: object) -> int:
    """`MASH_TRUST_PROXY` as a number of proxies: unset, empty or 0 means none."""
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        raise ValueError(f"{TRUST_PROXY_KEY} must be a number of proxies, not {value!r}")
    try:
        count = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise ValueError(f"{TRUST_PROXY_KEY} must be a number of proxies, not {value!r}") from None
    if count < 0:
        raise ValueError(f"{TRUST_PROXY_KEY} must not be negative, got {count}")
    return count
