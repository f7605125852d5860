"""The chronology swimlane SVG: structure, ordering, scales, escaping, CSP-safety and size."""

from __future__ import annotations

import datetime as dt
import random
import re
import xml.etree.ElementTree as ET

import pytest
from jinja2 import Environment
from markupsafe import Markup

from api.swimlane import swimlane_svg

NS = {"s": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"

AGENCIES = {
    "police": "Westshire Police",
    "health": "Community Health Trust",
    "school": "Millbrook Primary School",
    "housing": "Housing Services",
}


def entry(n: int, when: str, agency: str = "police", **overrides: object) -> dict:
    """A dumped, synthetic timeline entry."""
    data: dict = {
        "event_id": f"ev-{n:04d}",
        "agency": agency,
        "agency_name": AGENCIES.get(agency, agency.title()),
        "occurred_at": when,
        "category": "neglect",
        "severity": "low",
        "sensitivity": "standard",
        "summary": f"Synthetic observation number {n}.",
        "withheld": False,
    }
    data.update(overrides)
    return data


def withheld(n: int, when: str, agency: str = "health") -> dict:
    return entry(
        n,
        when,
        agency,
        category=None,
        severity=None,
        summary=None,
        sensitivity="health_confidential",
        withheld=True,
    )


def mixed(count: int, seed: int = 7, days: int = 400) -> list[dict]:
    rnd = random.Random(seed)
    start = dt.datetime(2024, 1, 10, 8, 0, tzinfo=dt.UTC)
    out = []
    for n in range(count):
        when = (start + dt.timedelta(minutes=rnd.randrange(days * 24 * 60))).isoformat()
        agency = rnd.choice(sorted(AGENCIES))
        if rnd.random() < 0.1:
            out.append(withheld(n, when, agency))
        else:
            severity = rnd.choice(["low", "low", "low", "medium", "high", "critical"])
            out.append(entry(n, when, agency, severity=severity))
    return out


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def markers(root: ET.Element) -> list[ET.Element]:
    return root.findall(".//s:g[@class='sl-lane']/s:a", NS)


def dot(marker: ET.Element) -> ET.Element:
    """The marker's main circle (critical markers also carry an outer ring)."""
    return next(c for c in marker.findall("s:circle", NS) if c.get("class") != "sl-ring")


def event_id(marker: ET.Element) -> str:
    href = marker.get("href")
    assert href is not None and href.startswith("#concern-")
    return href.removeprefix("#concern-")


def marker_title(marker: ET.Element) -> str:
    title = marker.find("s:title", NS)
    assert title is not None and title.text
    return title.text


# --- structure ---------------------------------------------------------------------------------


def test_returns_markup_that_jinja_does_not_escape_again():
    svg = swimlane_svg([entry(1, "2025-03-04T10:15:00+00:00")])
    assert isinstance(svg, Markup)
    page = Environment(autoescape=True).from_string("<div>{{ svg }}</div>").render(svg=svg)
    assert page.startswith("<div><svg ")


def test_well_formed_with_labelled_accessible_root():
    entries = mixed(30)
    root = parse(swimlane_svg(entries))
    title_id, desc_id = root.get("aria-labelledby"), root.get("aria-describedby")
    assert root.get("role") == "group"  # not "img": its children (the marker links) must stay
    title = root.find(f"s:title[@id='{title_id}']", NS)
    desc = root.find(f"s:desc[@id='{desc_id}']", NS)
    assert title is not None and desc is not None
    firsts = sorted(e["occurred_at"] for e in entries)
    assert title.text == (
        f"Timeline: 30 concerns from {len({e['agency'] for e in entries})} agencies, "
        f"{_long(firsts[0])} to {_long(firsts[-1])}"
    )
    assert "running total of concerns, reaching 30" in (desc.text or "")


MONTHS = "January February March April May June July August September October November December"


def _long(iso: str) -> str:
    day = dt.datetime.fromisoformat(iso)
    return f"{day.day} {MONTHS.split()[day.month - 1]} {day.year}"


def test_one_lane_per_agency_ordered_by_first_concern_and_labelled_with_its_name():
    entries = [
        entry(1, "2025-05-01T09:00:00+00:00", "police"),
        entry(2, "2025-02-01T09:00:00+00:00", "school"),
        entry(3, "2025-03-01T09:00:00+00:00", "health"),
        entry(4, "2025-01-15T09:00:00+00:00", "police"),  # police's first is the earliest
        entry(5, "2025-06-01T09:00:00+00:00", "school"),
    ]
    root = parse(swimlane_svg(entries))
    lanes = root.findall(".//s:g[@class='sl-lane']", NS)
    assert [lane.get("data-agency") for lane in lanes] == ["police", "school", "health"]
    labels = ["".join(lane.find("s:text", NS).itertext()) for lane in lanes]
    assert labels == ["Westshire Police", "Millbrook Primary School", "Community Health Trust"]
    assert [lane.get("data-count") for lane in lanes] == ["2", "2", "1"]


def test_one_marker_per_entry_in_its_agencys_lane():
    entries = mixed(60)
    root = parse(swimlane_svg(entries))
    assert len(markers(root)) == len(entries)
    by_id = {e["event_id"]: e for e in entries}
    seen = set()
    for lane in root.findall(".//s:g[@class='sl-lane']", NS):
        for marker in lane.findall("s:a", NS):
            assert by_id[event_id(marker)]["agency"] == lane.get("data-agency")
            seen.add(event_id(marker))
    assert seen == set(by_id)


def test_x_increases_with_date_across_all_lanes():
    entries = mixed(80)
    root = parse(swimlane_svg(entries))
    x = {event_id(m): float(dot(m).get("cx")) for m in markers(root)}
    ordered = sorted(entries, key=lambda e: dt.datetime.fromisoformat(e["occurred_at"]))
    xs = [x[e["event_id"]] for e in ordered]
    assert xs == sorted(xs)
    assert xs[0] < xs[-1]


def test_offsets_are_compared_as_instants():
    early = entry(1, "2025-03-04T10:00:00+05:00")  # 05:00 UTC
    late = entry(2, "2025-03-04T06:00:00+00:00")
    root = parse(swimlane_svg([late, early]))
    x = {event_id(m): float(dot(m).get("cx")) for m in markers(root)}
    assert x["ev-0001"] < x["ev-0002"]


def test_markers_link_to_chronology_rows_in_date_order_within_a_lane():
    entries = [entry(n, f"2025-0{9 - n}-01T09:00:00+00:00") for n in range(1, 6)]
    root = parse(swimlane_svg(entries))
    assert [m.get("href") for m in markers(root)] == [
        f"#concern-ev-{n:04d}" for n in range(5, 0, -1)
    ]


# --- time axis ---------------------------------------------------------------------------------


def tick_labels(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.findall(".//s:g[@class='sl-axis']/s:text", NS)]


def test_months_under_two_years():
    root = parse(swimlane_svg(mixed(20, days=300)))
    labels = tick_labels(root)
    assert labels[0] == "Jan 2024"
    assert all(re.fullmatch(r"[A-Z][a-z]{2}( \d{4})?", label) for label in labels)


def test_years_for_longer_spans():
    entries = [entry(1, "2019-06-01T09:00:00+00:00"), entry(2, "2025-02-01T09:00:00+00:00")]
    labels = tick_labels(parse(swimlane_svg(entries)))
    assert labels[0] == "2019"
    assert labels[-1] == "2026"
    assert all(re.fullmatch(r"\d{4}", label) for label in labels)


def test_ticks_do_not_crowd_a_narrow_chart():
    entries = [entry(1, "2024-01-01T09:00:00+00:00"), entry(2, "2025-11-30T09:00:00+00:00")]
    root = parse(swimlane_svg(entries, width=480))
    xs = [float(t.get("x")) for t in root.findall(".//s:g[@class='sl-axis']/s:text", NS)]
    assert all(b - a >= 60 for a, b in zip(xs, xs[1:], strict=False))


@pytest.mark.parametrize(
    "entries",
    [
        [entry(1, "2025-03-04T10:15:00+00:00")],
        [entry(n, "2025-03-04T10:15:00+00:00", a) for n, a in enumerate(AGENCIES)],
        [entry(1, "2025-03-04T01:00:00+00:00"), entry(2, "2025-03-04T23:00:00+00:00")],
    ],
    ids=["single", "same-instant", "same-day"],
)
def test_degenerate_spans_render_inside_the_plot(entries):
    svg = str(swimlane_svg(entries))
    assert not re.search(r"nan|inf", svg, re.IGNORECASE)
    root = parse(svg)
    assert len(markers(root)) == len(entries)
    axis = root.find(".//s:g[@class='sl-axis']/s:line", NS)
    left, right = float(axis.get("x1")), float(axis.get("x2"))
    for marker in markers(root):
        assert left < float(dot(marker).get("cx")) < right
    assert "on 4 March 2025" in root.find("s:title", NS).text
    assert tick_labels(root)[0] == "4 Mar 2025"


# --- running total -----------------------------------------------------------------------------


def test_cumulative_step_line_ends_at_the_number_of_concerns():
    entries = mixed(37)
    root = parse(swimlane_svg(entries))
    band = root.find(".//s:g[@class='sl-cumulative']", NS)
    line = band.find("s:path[@class='sl-count-line']", NS)
    assert line.get("data-total") == "37"
    assert band.find("s:text[@class='sl-count-end']", NS).text == "37"
    # Read the y-scale from its labelled ticks and map the line's last level back to a count.
    ticks = {
        int(t.text): float(t.get("y")) - 4
        for t in band.findall("s:text[@class='sl-count-tick']", NS)
    }
    assert min(ticks) == 0 and max(ticks) >= 37
    per_concern = (ticks[0] - ticks[max(ticks)]) / max(ticks)
    commands = re.findall(r"([MHV])([-\d.]+)(?: ([-\d.]+))?", line.get("d"))
    assert commands[0][0] == "M" and float(commands[0][2]) == pytest.approx(ticks[0])
    assert commands[-1][0] == "H"
    levels = [float(value) for cmd, value, _ in commands if cmd == "V"]
    counts = [round((ticks[0] - y) / per_concern) for y in levels]
    assert counts == sorted(counts)  # a running total only goes up
    assert counts[-1] == 37


# --- severity as size, shape and colour -------------------------------------------------------


def test_severity_changes_radius_and_critical_and_high_differ_in_shape_or_stroke():
    entries = [
        entry(i, f"2025-0{i + 1}-01T09:00:00+00:00", severity=s)
        for i, s in enumerate(["low", "medium", "high", "critical"])
    ]
    root = parse(swimlane_svg(entries))
    by_id = {event_id(m): m for m in markers(root)}
    radii = [float(dot(by_id[f"ev-{i:04d}"]).get("r")) for i in range(4)]
    assert radii == sorted(radii) and len(set(radii)) == 4
    fills = {dot(by_id[f"ev-{i:04d}"]).get("fill") for i in range(4)}
    assert len(fills) == 4
    assert dot(by_id["ev-0002"]).get("stroke-width") == "2"
    assert by_id["ev-0003"].find("s:circle[@class='sl-ring']", NS) is not None
    assert by_id["ev-0000"].find("s:circle[@class='sl-ring']", NS) is None


def test_withheld_entries_are_hollow_grey_and_leak_nothing():
    secret = "Disclosed at clinic: secret detail"
    leaky = withheld(1, "2025-03-04T10:15:00+00:00")
    leaky.update(summary=secret, category="sexual_health", severity="critical")  # must be ignored
    svg = str(swimlane_svg([leaky, entry(2, "2025-03-05T10:15:00+00:00")]))
    assert secret not in svg and "sexual" not in svg
    root = parse(svg)
    assert "Community Health Trust: 1 concern (1 withheld)" in root.find("s:desc", NS).text
    marker = next(m for m in markers(root) if event_id(m) == "ev-0001")
    assert marker_title(marker) == (
        "4 Mar 2025, Community Health Trust: withheld health confidential entry"
    )
    circle = dot(marker)
    assert circle.get("fill") == "#ffffff" and circle.get("stroke-dasharray")


def test_marker_title_gives_date_agency_severity_category_and_short_summary():
    long_summary = "Child seen at the gate without a coat in the rain. " * 6
    root = parse(
        swimlane_svg(
            [
                entry(
                    1,
                    "2025-03-04T10:15:00+00:00",
                    "school",
                    severity="medium",
                    summary=long_summary,
                )
            ]
        )
    )
    text = marker_title(markers(root)[0])
    assert text.startswith("4 Mar 2025, Millbrook Primary School · medium · neglect: Child seen")
    summary = text.split(": ", 1)[1]
    assert len(summary) <= 120 and summary.endswith("…")


# --- security ----------------------------------------------------------------------------------


def test_entry_text_is_escaped_everywhere():
    evil = entry(
        1,
        "2025-03-04T10:15:00+00:00",
        "x\"><script>alert('agency')</script>",
        agency_name="<script>alert(1)</script> & Co",
        category="<b>cat</b>",
        summary="<script>alert(\"hi\")</script> & 'quoted' \x00\x0b end",
        event_id='e1"><script>alert(2)</script>',
    )
    svg = str(swimlane_svg([evil]))
    assert "<script" not in svg.lower()
    assert "<b>" not in svg
    assert "&lt;script&gt;" in svg
    root = parse(svg)  # control characters dropped, so still well-formed XML
    assert root.find(".//s:script", NS) is None
    marker = markers(root)[0]
    assert event_id(marker) == 'e1"><script>alert(2)</script>'  # attribute escaped, not altered
    assert "<script>alert(\"hi\")</script> & 'quoted'" in marker_title(marker)
    assert root.find(".//s:g[@class='sl-lane']", NS).get("data-agency").startswith('x">')


def test_no_inline_style_script_or_event_handlers():
    svg = str(swimlane_svg(mixed(50)))
    assert "style=" not in svg
    assert "<style" not in svg
    assert "<script" not in svg
    root = parse(svg)
    for element in root.iter():
        assert "style" not in element.attrib
        assert not any(name.lower().startswith("on") for name in element.attrib)
        assert element.tag not in {f"{SVG}style", f"{SVG}script", f"{SVG}foreignObject"}


# --- accessibility -----------------------------------------------------------------------------


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_text_contrast_is_at_least_4_5_to_1_on_every_background():
    root = parse(swimlane_svg(mixed(20)))
    backgrounds = {"#ffffff"} | {r.get("fill") for r in root.iter(f"{SVG}rect")}
    default = root.get("fill")
    fills = {t.get("fill", default) for t in root.iter(f"{SVG}text")}
    for fill in fills:
        for background in backgrounds:
            assert _contrast(fill, background) >= 4.5, (fill, background)


def test_every_marker_is_a_link_with_an_accessible_name():
    root = parse(swimlane_svg(mixed(25)))
    for marker in markers(root):
        assert marker.get("href", "").startswith("#concern-")
        assert marker[0].tag == f"{SVG}title" and marker_title(marker)


# --- edge cases, determinism, size -------------------------------------------------------------


def test_empty_says_so():
    svg = swimlane_svg([])
    root = parse(str(svg))
    assert "No concerns to show." in "".join(root.itertext())
    assert not markers(root)


def test_same_input_in_any_order_gives_the_same_string():
    entries = mixed(120)
    shuffled = entries[:]
    random.Random(3).shuffle(shuffled)
    assert str(swimlane_svg(entries)) == str(swimlane_svg(shuffled))


def test_five_hundred_entries_stay_small():
    entries = mixed(500, days=900)
    for e in entries:
        if e["summary"]:
            e["summary"] = "Attended address after neighbour called; child present, upset. " * 3
        e["event_id"] = f"{e['event_id']}-9f1c2e7a-1b2c-4d5e-8f90-a1b2c3d4e5f6"
    svg = str(swimlane_svg(entries))
    assert len(markers(parse(svg))) == 500
    assert len(svg.encode()) < 200_000


def test_rejects_unusable_arguments():
    with pytest.raises(ValueError, match="width"):
        swimlane_svg([], width=100)
    with pytest.raises(ValueError, match="id_prefix"):
        swimlane_svg([], id_prefix='x" onload="')
    with pytest.raises(ValueError, match="occurred_at"):
        swimlane_svg([entry(1, "not a date")])


def test_two_charts_on_one_page_can_have_distinct_ids():
    root = parse(swimlane_svg(mixed(5), id_prefix="child-2"))
    assert root.get("aria-labelledby") == "child-2-title"
    assert root.find("s:title", NS).get("id") == "child-2-title"
