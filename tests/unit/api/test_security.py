"""Security headers on every kind of response, HSTS only over TLS, and CSP-safe templates."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import Blueprint, Flask, abort, jsonify, render_template_string, request
from werkzeug.test import TestResponse

from api import security

TEMPLATES = Path(security.__file__).parent / "templates"

EXPECTED = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def make_app(tmp_path: Path, **config: object) -> Flask:
    static = tmp_path / "static"
    static.mkdir()
    (static / "hub.css").write_text("body { margin: 0; }\n")
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "more.css").write_text("main { padding: 0; }\n")

    app = Flask(__name__, static_folder=str(static))
    app.config.update(config)
    bp = Blueprint("extra", __name__, static_folder=str(extra), static_url_path="/extra-static")

    @app.get("/json")
    def json_view():
        return jsonify(given_name="Amelia")

    @app.get("/html")
    def html_view():
        return render_template_string("<!doctype html><p>{{ name }}</p>", name="Amelia")

    @app.get("/cacheable")
    def cacheable_view():
        response = jsonify(ok=True)
        response.headers["Cache-Control"] = "public, max-age=3600"
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        return response

    @app.get("/forbidden")
    def forbidden_view():
        abort(403)

    @app.get("/boom")
    def boom_view():
        raise RuntimeError("unhandled")

    app.register_blueprint(bp)
    security.register(app)
    return app


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    app = make_app(tmp_path)
    app.logger.disabled = True  # /boom logs its traceback; not what these tests are about
    return app


def get(app: Flask, path: str, **kwargs: object) -> TestResponse:
    """GET and close: a static file's response holds the file open until closed."""
    response = app.test_client().get(path, **kwargs)
    response.get_data()
    response.close()
    return response


PERSON_DATA = ["/json", "/html", "/cacheable", "/forbidden", "/no-such-page", "/boom"]
STATIC = ["/static/hub.css", "/extra-static/more.css"]


@pytest.mark.parametrize("path", PERSON_DATA + STATIC)
@pytest.mark.parametrize("base_url", ["http://localhost", "https://localhost"])
def test_every_response_carries_the_security_headers(app: Flask, path: str, base_url: str) -> None:
    response = get(app, path, base_url=base_url)
    for name, value in EXPECTED.items():
        assert response.headers.getlist(name) == [value], name


def test_the_kinds_of_response_are_what_they_claim(app: Flask) -> None:
    assert get(app, "/json").is_json
    assert get(app, "/html").mimetype == "text/html"
    assert get(app, "/static/hub.css").mimetype == "text/css"
    assert get(app, "/extra-static/more.css").status_code == 200
    assert get(app, "/forbidden").status_code == 403
    assert get(app, "/no-such-page").status_code == 404
    assert get(app, "/boom").status_code == 500


@pytest.mark.parametrize("path", PERSON_DATA)
def test_responses_that_may_hold_person_data_are_never_stored(app: Flask, path: str) -> None:
    response = get(app, path)
    assert response.headers.getlist("Cache-Control") == ["no-store"]


@pytest.mark.parametrize("path", STATIC)
def test_static_files_may_be_cached(app: Flask, path: str) -> None:
    response = get(app, path)
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_a_missing_static_file_is_not_stored(app: Flask) -> None:
    response = get(app, "/static/missing.css")
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/json", "/html", "/no-such-page", "/static/hub.css"])
def test_hsts_only_over_tls(app: Flask, path: str) -> None:
    secure = get(app, path, base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    plain = get(app, path, base_url="http://localhost")
    assert "Strict-Transport-Security" not in plain.headers


def test_forwarded_proto_is_ignored_unless_the_proxy_is_trusted(app: Flask) -> None:
    response = get(app, "/json", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers


@pytest.mark.parametrize(
    ("trust", "https", "http"),
    [
        (1, "https", "http"),
        ("1", "https", "http"),
        # Two proxies: the outer one saw the client's scheme, the inner one appended its own.
        (2, "https, http", "http, https"),
    ],
)
def test_a_trusted_proxy_forwarding_https_gets_hsts(
    tmp_path: Path, trust: object, https: str, http: str
) -> None:
    app = make_app(tmp_path, MASH_TRUST_PROXY=trust)
    forwarded = get(app, "/json", headers={"X-Forwarded-Proto": https})
    assert forwarded.headers["Strict-Transport-Security"] == security.HSTS
    plain = get(app, "/json", headers={"X-Forwarded-Proto": http})
    assert "Strict-Transport-Security" not in plain.headers


def test_the_client_address_comes_from_the_trusted_proxy(tmp_path: Path) -> None:
    app = make_app(tmp_path, MASH_TRUST_PROXY=1)

    @app.get("/whoami")
    def whoami():
        return jsonify(addr=request.remote_addr)

    response = get(app, "/whoami", headers={"X-Forwarded-For": "203.0.113.7"})
    assert response.get_json() == {"addr": "203.0.113.7"}


def test_registering_twice_wraps_the_app_once(tmp_path: Path) -> None:
    app = make_app(tmp_path, MASH_TRUST_PROXY=1)
    wrapped = app.wsgi_app
    security.register(app)
    assert app.wsgi_app is wrapped


@pytest.mark.parametrize(
    ("value", "count"), [(None, 0), ("", 0), (0, 0), ("0", 0), (1, 1), ("2", 2)]
)
def test_proxy_count(value: object, count: int) -> None:
    assert security.proxy_count(value) == count


@pytest.mark.parametrize("value", ["yes", -1, "-1", True, 1.5j])
def test_proxy_count_rejects_nonsense(value: object) -> None:
    with pytest.raises(ValueError, match="MASH_TRUST_PROXY"):
        security.proxy_count(value)


class _InlineFinder(HTMLParser):
    """Collects what a `script-src 'self'; style-src 'self'` policy would block."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name.lower(): value or "" for name, value in attrs}
        if tag == "script" and "src" not in names:
            self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("<style> block")
        if "style" in names:
            self.problems.append(f"style= on <{tag}>")
        self.problems += [f"{name}= on <{tag}>" for name in names if name.startswith("on")]
        for name in ("href", "src", "action", "formaction"):
            if names.get(name, "").strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL in {name}= on <{tag}>")

    handle_startendtag = handle_starttag


def _templates() -> list[Path]:
    found = sorted(TEMPLATES.glob("*.html"))
    assert found, f"no templates found in {TEMPLATES}"
    return found


@pytest.mark.parametrize("template", _templates(), ids=lambda p: p.name)
def test_templates_need_no_inline_script_or_style(template: Path) -> None:
    source = template.read_text(encoding="utf-8")
    finder = _InlineFinder()
    finder.feed(source)
    finder.close()
    assert finder.problems == []
    # A second, cruder look in case Jinja syntax confused the parser.
    assert not re.search(r"<script\b(?![^>]*\bsrc\s*=)", source, re.IGNORECASE)
    assert not re.search(r"<style\b", source, re.IGNORECASE)
    assert not re.search(r"<[^>]*\sstyle\s*=", source, re.IGNORECASE)
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", source, re.IGNORECASE)


def test_the_guard_catches_what_it_should() -> None:
    finder = _InlineFinder()
    finder.feed(
        '<script>alert(1)</script><script src="/static/x.js"></script><style>p{}</style>'
        '<p style="color:red" onclick="x()"><a href="javascript:x()">x</a><img onerror=x>'
    )
    assert finder.problems == [
        "inline <script>",
        "<style> block",
        "style= on <p>",
        "onclick= on <p>",
        "javascript: URL in href= on <a>",
        "onerror= on <img>",
    ]
