"""Fixtures for the web UI's browser tests: the hub behind a real HTTP server, seeded through
its own ingest path, and a real headless Chromium (Debian's, driven by Playwright).

`deploy/chromium/chromium.sh ensure` installs Chromium. Without it (or without the playwright
package) these tests fail under CI and skip elsewhere, saying what to install. Playwright never
downloads a browser here: it launches /usr/bin/chromium by path.

One hub serves the whole session (embedded SQLite stack in a tmp dir; the tests only read
case data). Each test gets a fresh browser context, so no cookie or storage carries over, and
leaves a screenshot in test-artifacts/screenshots/<test name>.png, passed or failed.
"""

from __future__ import annotations

import json
import os
import re
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, NoReturn

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from api import create_app
from hub import accounts, credentials
from hub.bus import make_bus
from hub.db import make_engine, make_session_factory
from hub.migrate import upgrade
from hub.models import Concern
from hub.schemas import AGENCIES
from hub.settings import Settings
from matching.model import Model, default_model_path
from tests.factories import submission
from tests.integration.conftest import AREA, PASSWORD
from tests.integration.stacks import Stack, run_pipeline

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

CHROMIUM = Path("/usr/bin/chromium")
# As root Chromium needs --no-sandbox; the rest stop it reaching out (sign-in, updates, sync,
# QUIC probes), which on a machine without a network makes it hang on connection attempts.
# The hub is at an IP literal, so no name needs resolving: the resolver rule stops the DNS
# look-ups Chromium still makes (accounts.google.com) even with the flags before it.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
VIEWPORT = {"width": 1366, "height": 768}
TIMEOUT_MS = 10_000  # per action; a page of this app renders in well under a second
SCREENSHOTS = Path("test-artifacts") / "screenshots"  # under the rootdir (gitignored)
PAGE_KEY = pytest.StashKey["Page"]()

PRACTITIONER = "web_practitioner"
CHILD_NAME = "Amelia Nowak"  # tests/factories.py's child
CHILD_NHS = "9434765919"
CHILD_UPN = "H801200001001"
XSS = "<script>window.pwned=1</script>"


@dataclass(frozen=True)
class WebHub:
    """The running hub as a browser test sees it."""

    base_url: str
    username: str
    password: str
    child_name: str
    child_id: int
    child_agencies: frozenset[str]  # agency names on the child's chronology
    xss_summary: str


def _unavailable(message: str) -> NoReturn:
    """Fail under CI (a missing browser must never pass as skipped); skip on a dev machine."""
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def playwright_api() -> ModuleType:
    """`playwright.sync_api`; without the package, fail under CI and skip elsewhere. Only
    fixtures call it (tests import playwright for type hints only), so a missing package fails
    or skips the browser tests and nothing else."""
    try:
        from playwright import sync_api
    except ImportError:
        _unavailable("the playwright package is not installed: pip install -e '.[dev]'")
    return sync_api


# --- the hub -----------------------------------------------------------------------------


def _child(agency: str, n: int, **overrides: object) -> dict:
    """A concern about the factories' child from `agency`, in that agency's own references."""
    ref = f"WEB-{agency.upper()}-{n}"
    return submission(agency=agency, person__source_ref=ref, concern__ref=ref, **overrides)


def _concerns() -> list[dict]:
    """The child is known to five agencies; a sibling, to the police only."""
    health = {"person__nhs_number": CHILD_NHS}
    return [
        _child("police", 1, concern__occurred_at="2026-03-01T21:15:00+00:00"),
        _child(
            "health_ae",
            1,
            **health,
            concern__occurred_at="2026-03-03T10:40:00+00:00",
            concern__category="injury",
            concern__sensitivity="health_confidential",
            concern__summary="Bruising to the upper arm; account given by carer was inconsistent.",
            concern__action_taken="Referred to the safeguarding nurse.",
        ),
        _child(
            "school",
            1,
            person__upn=CHILD_UPN,
            concern__occurred_at="2026-03-05T09:00:00+00:00",
            concern__category="disclosure",
            concern__severity="medium",
            concern__sensitivity="standard",
            concern__summary=f"Note found in the pupil's book: {XSS}",
            concern__action_taken="DSL informed.",
        ),
        _child(
            "health_visitor",
            1,
            **health,
            concern__occurred_at="2026-03-08T14:30:00+00:00",
            concern__category="neglect",
            concern__severity="medium",
            concern__sensitivity="standard",
            concern__summary="Home visit: little food in the house; children's clothes unwashed.",
            concern__action_taken=None,
        ),
        _child(
            "gp",
            1,
            **health,
            concern__occurred_at="2026-03-10T11:20:00+00:00",
            concern__category="missed_appointments",
            concern__severity="low",
            concern__sensitivity="standard",
            concern__summary="Third missed immunisation appointment.",
            concern__action_taken="Letter sent to parent.",
        ),
        _child(
            "police",
            2,
            person__given_name="Oliver",
            person__date_of_birth="2015-09-30",
            concern__occurred_at="2026-03-01T21:15:00+00:00",
            concern__summary="Older sibling present at the same incident.",
        ),
    ]


def _push(base_url: str, key: str, body: dict) -> None:
    """POST a concern the way an agency's system does: JSON with the agency's key."""
    request = urllib.request.Request(
        f"{base_url}/api/v1/concerns",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"},
        method="POST",
    )
    # No proxy: the server is on loopback, and an http_proxy in the environment must not apply.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=10) as response:
        assert response.status == 202, response.read()


@pytest.fixture(scope="session")
def web_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebHub]:
    data_dir = tmp_path_factory.mktemp("web-hub")
    settings = Settings.from_env(
        {},
        database_url=f"sqlite:///{data_dir / 'hub.db'}",
        data_dir=data_dir,
        topic_prefix="web.",
        consumer_group="web.pipeline",
        # Every browser test signs in from 127.0.0.1: the per-address limit must not bite.
        login_rate_limit="1000 per minute",
    )
    engine = make_engine(settings)
    upgrade(engine)
    bus = make_bus(settings, engine)
    bus.ensure_topics([settings.concerns_topic, settings.linked_topic, settings.deadletter_topic])
    stack = Stack(
        "sqlite+embedded",
        settings,
        engine,
        make_session_factory(engine),
        bus,
        Model.load(default_model_path()),
    )
    app = create_app(settings, bus=bus)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="web-hub-server", daemon=True)
    thread.start()
    try:
        base_url = f"http://127.0.0.1:{server.server_port}"
        with stack.sessions() as session, session.begin():
            keys = {
                agency: credentials.issue(session, agency, "browser tests") for agency in AGENCIES
            }
            accounts.create_user(session, PRACTITIONER, PASSWORD, "mash_practitioner", AREA)
        concerns = _concerns()
        for body in concerns:
            _push(base_url, keys[body["agency"]], body)
        run_pipeline(stack, len(concerns))

        with stack.sessions() as session:
            rows = session.execute(select(Concern.concern_ref, Concern.person_id)).all()
        person_of = dict(rows)
        child_id = person_of["WEB-POLICE-1"]
        on_child = [c for c in concerns if person_of[c["concern"]["ref"]] == child_id]
        agencies = frozenset(AGENCIES[c["agency"]][0] for c in on_child)
        assert len(on_child) == 5 and person_of["WEB-POLICE-2"] != child_id, (
            f"the seed data no longer links as expected: {person_of}"
        )
        yield WebHub(
            base_url=base_url,
            username=PRACTITIONER,
            password=PASSWORD,
            child_name=CHILD_NAME,
            child_id=child_id,
            child_agencies=agencies,
            xss_summary=XSS,
        )
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        app.extensions["mash"].engine.dispose()
        bus.close()
        engine.dispose()


# --- the browser -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    api = playwright_api()
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing: run deploy/chromium/chromium.sh ensure")
    driver = api.sync_playwright().start()
    yield driver
    driver.stop()


@pytest.fixture(scope="session")
def expect(playwright: Playwright):
    """Playwright's `expect` (assertions that wait for the page), once the package is there."""
    return playwright_api().expect


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser, web_hub: WebHub, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page in a fresh context (its own cookies) at the hub's address, 1366x768."""
    context = browser.new_context(viewport=VIEWPORT, base_url=web_hub.base_url)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    request.node.stash[PAGE_KEY] = page
    yield page
    context.close()


def sign_in(page: Page, hub: WebHub) -> None:
    """Sign in on the login page (going there unless already on it) and wait until the hub
    has sent the browser on; a refused sign-in fails with the page's message."""
    if "/login" not in page.url:
        page.goto("/login")
    page.get_by_label("Username").fill(hub.username)
    page.get_by_label("Password").fill(hub.password)
    posted = "/login"
    with page.expect_response(lambda r: r.request.method == "POST" and posted in r.url) as sent:
        page.get_by_role("button", name="Sign in").click()
    if sent.value.status != 302:
        page.wait_for_load_state()
        alerts = page.get_by_role("alert").all_inner_texts()
        pytest.fail(f"sign-in as {hub.username} refused ({sent.value.status}): {alerts}")
    page.wait_for_url(re.compile(r"^(?!.*/login)"))


@pytest.fixture
def signed_in(page: Page, web_hub: WebHub) -> Page:
    page.goto("/")
    sign_in(page, web_hub)
    return page


# --- screenshots -------------------------------------------------------------------------


def _screenshot_path(item: pytest.Item) -> Path:
    name = re.sub(r"[^\w.-]+", "_", item.name).strip("_")
    return item.config.rootpath / SCREENSHOTS / f"{name}.png"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """A screenshot of the page as the test left it, whether it passed or failed (taken here,
    before the page's context closes); a failed report names the file."""
    report = yield
    page = item.stash.get(PAGE_KEY, None)
    if page is None or not (report.when == "call" or report.failed):
        return report
    path = _screenshot_path(item)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=str(path), full_page=True, timeout=TIMEOUT_MS)
    except Exception as exc:  # a failed screenshot must not hide the test's own result
        note = f"no screenshot: {type(exc).__name__}: {exc}"
    else:
        note = f"screenshot: {path}"
    if report.failed:
        report.sections.append(("browser", f"{note}\npage: {page.url}"))
    return report
