"""The web UI in a real browser: a practitioner's journey from sign-in to a child's joined
chronology and out again, an agency's text that must stay text, and the search by keyboard."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tests.browser.conftest import SCREENSHOTS, WebHub, sign_in

if TYPE_CHECKING:  # at run time playwright comes through the fixtures (`expect` too)
    from playwright.sync_api import Page

MAX_TABS = 10  # the search box sits after the header's link and sign-out button


def chronology_agencies(page: Page) -> list[str]:
    """The Agency column, one name a row (a cell may add who recorded it on a second line)."""
    cells = page.locator("table.chronology tbody tr td:nth-child(2)").all_inner_texts()
    return [text.strip().splitlines()[0] for text in cells]


def test_a_practitioner_signs_in_finds_a_child_and_reads_every_agency(
    page: Page, web_hub: WebHub, expect
):
    hub = web_hub
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?next="))  # the search page needs a sign-in
    sign_in(page, hub)
    expect(page.get_by_role("heading", name="Find a person")).to_be_visible()
    expect(page.get_by_text(f"{hub.username} · mash practitioner")).to_be_visible()

    page.get_by_label(re.compile("^Name, date of birth")).fill(hub.child_name)
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"\?q=Amelia\+Nowak$"))
    expect(page.get_by_role("heading", name="1 result")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=hub.child_name.split()[0])
    row.get_by_role("link", name=f"#{hub.child_id}").click()

    expect(page).to_have_url(re.compile(rf"/persons/{hub.child_id}$"))
    expect(page.get_by_role("heading", name=f"Person #{hub.child_id}")).to_be_visible()
    expect(page.locator("table.chronology tbody tr")).to_have_count(5)
    shown = chronology_agencies(page)
    assert set(shown) == hub.child_agencies and len(set(shown)) >= 4, shown
    assert "withheld" not in page.locator("table.chronology").inner_html()

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    page.goto(f"/persons/{hub.child_id}")  # the session is gone, not just the page
    expect(page).to_have_url(re.compile(r"/login\?next="))
    expect(page.locator("table.chronology")).to_have_count(0)


def test_a_summary_holding_a_script_tag_is_shown_as_text_and_never_runs(
    signed_in: Page, web_hub: WebHub, expect
):
    page, hub = signed_in, web_hub
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(f"/persons/{hub.child_id}")

    cell = page.locator("table.chronology td").filter(has_text=hub.xss_summary)
    expect(cell).to_have_count(1)
    assert hub.xss_summary in cell.inner_text()
    assert cell.locator("script").count() == 0  # escaped, not parsed into an element
    assert page.locator("script:not([src])").count() == 0  # no inline script anywhere
    assert page.evaluate("typeof window.pwned") == "undefined"
    # The CSP would block an injected inline script too; a blocked one would show up here.
    assert not [text for text in console if "Content Security Policy" in text], console


def test_the_search_box_is_reached_by_tab_and_enter_searches(
    signed_in: Page, web_hub: WebHub, expect
):
    page, hub = signed_in, web_hub
    search_box = page.get_by_label(re.compile("^Name, date of birth"))
    expect(search_box).to_be_focused()  # autofocus: a keyboard user can type at once

    # From the top of the page, as a keyboard user arriving from elsewhere would.
    page.evaluate("document.activeElement.blur()")
    page.mouse.click(0, 0)
    assert page.evaluate("document.activeElement === document.body")
    visited = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        visited.append(page.evaluate("document.activeElement.id || document.activeElement.tagName"))
        if visited[-1] == "q":
            break
    assert visited[-1] == "q", f"Tab never reached the search box: {visited}"

    page.keyboard.type(hub.child_name)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"\?q=Amelia\+Nowak$"))
    expect(page.get_by_role("heading", name="1 result")).to_be_visible()
    expect(page.get_by_role("link", name=f"#{hub.child_id}")).to_be_visible()


def test_the_timeline_shows_every_agency_the_household_and_the_pdf_export(
    signed_in: Page, web_hub: WebHub, expect, request
):
    page, hub = signed_in, web_hub
    page.goto(f"/persons/{hub.child_id}")
    chart = page.locator("svg.swimlane")
    expect(chart).to_be_visible()
    lanes = chart.locator(".sl-lane-label").all_inner_texts()
    assert len(lanes) == len(hub.child_agencies) >= 4, lanes
    markers = chart.locator("a")
    expect(markers).to_have_count(5)
    markers.first.focus()  # a marker is a keyboard stop that jumps to its row
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#concern-"))
    expect(page.locator("table.chronology tr:target")).to_have_count(1)

    household = page.get_by_role("complementary", name="Household")
    sibling = household.get_by_role("link", name=re.compile("Oliver"))
    expect(sibling).to_be_visible()
    expect(household).to_contain_text("1 concern: Police 1")

    records = page.locator("details.record")
    records.first.locator("summary").click()
    expect(records.first.locator("table.why")).to_be_visible()

    with page.expect_download() as downloading:
        page.get_by_role("link", name="PDF").click()
    pdf = downloading.value
    saved = request.config.rootpath / SCREENSHOTS / "chronology.pdf"
    pdf.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    assert pdf.suggested_filename == f"chronology-person-{hub.child_id}.pdf"

    sibling.click()  # open the household member
    expect(page.get_by_role("heading", name=re.compile("Oliver"))).to_be_visible()


PAGES = ["/", "/?q=Nowak", "/persons/{child}", "/review", "/break-glass", "/api/docs"]


def test_every_page_passes_the_axe_accessibility_rules(signed_in: Page, web_hub: WebHub):
    """axe-core (WCAG 2.1 A and AA: labels, names, headings, contrast, landmarks, keyboard)."""
    from axe_playwright_python.sync_playwright import Axe

    axe, page, found = Axe(), signed_in, {}
    for path in PAGES:
        page.goto(path.format(child=web_hub.child_id))
        results = axe.run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21aa"]})
        found[path] = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"]
        ]
    assert found == dict.fromkeys(PAGES, []), found
