"""A child's chronology as a server-rendered SVG "swimlane" timeline.

One lane per agency (in order of each agency's first concern), one marker per concern at its date,
sized and coloured by severity, and a running-total step line in a band at the bottom so that a
build-up of many low-level concerns is as visible as one critical event.

Pure: no Flask, no database, no clock. The same entries always give the same string. The output is
safe to drop into a page under `default-src 'self'; style-src 'self'`: every piece of entry text is
XML-escaped, and there is no `style` attribute, `<style>` element or script. Colour and size are SVG
presentation attributes; focus and hover styling live in `api/static/swimlane.css`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from markupsafe import Markup, escape

__all__ = ["swimlane_svg"]

SVG_NS = "http://www.w3.org/2000/svg"

# Layout (user units = CSS px at width=960).
_GUTTER = 184  # lane labels and the running-total scale
_RIGHT = 44  # room for the running total's end label
_PAD = 12  # keeps markers at the ends of the domain off the gutter
_LEGEND_H = 30
_LANE_H = 44
_AXIS_H = 30
_BAND_H = 96
_BOTTOM = 14
_MIN_WIDTH = 480
_LABEL_CHARS = 24
_SUMMARY_CHARS = 120
_TICK_SPACING = 68  # minimum px between time-axis labels
_SUB_ROWS = (0.0, -11.0, 11.0)  # vertical offsets used to keep near-simultaneous markers apart

# Text colours: all >= 4.5:1 against both the white background and the lane stripe (tested).
_INK = "#1b1b1b"
_INK_SOFT = "#3d4349"
_STRIPE = "#f1f3f6"
_GRID = "#d5dae0"


@dataclass(frozen=True)
class _Style:
    radius: float
    fill: str
    stroke: str
    stroke_width: float
    ring: bool = False  # critical: an outer ring, so the shape differs as well as size and colour
    dash: str | None = None


# low small/pale ... critical large/dark red. Strokes give every marker >= 3:1 against the page.
_SEVERITY: dict[str, _Style] = {
    "low": _Style(4.0, "#fde6a8", "#7a5c00", 1.0),
    "medium": _Style(5.5, "#f5a25d", "#7a3d00", 1.0),
    "high": _Style(7.0, "#d9480f", "#1b1b1b", 2.0),
    "critical": _Style(8.5, "#8b0000", "#1b1b1b", 2.0, ring=True),
}
_WITHHELD = _Style(5.0, "#ffffff", "#5f6368", 1.5, dash="2 1.5")
_UNKNOWN = _Style(4.5, "#c8cbcf", "#4a4f55", 1.0)
_SEVERITY_ORDER = ("critical", "high", "medium", "low")

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Characters XML 1.0 forbids (a stray control character would make the whole SVG unparseable).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ID_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class _Entry:
    event_id: str
    agency: str
    agency_name: str
    instant: dt.datetime  # UTC, for ordering and position
    day: dt.date  # the date as written (what the chronology table shows)
    category: str | None
    severity: str | None
    sensitivity: str | None
    summary: str | None
    withheld: bool


def swimlane_svg(
    entries: Iterable[Mapping], width: int = 960, *, id_prefix: str = "swimlane"
) -> Markup:
    """Render dumped timeline entries (any order) as an inline SVG swimlane timeline.

    `id_prefix` names the SVG's `<title>`/`<desc>` ids; change it only to put two on one page.
    Markers link to `#concern-<event_id>`, the ids the chronology table rows carry.
    """
    if width < _MIN_WIDTH:
        raise ValueError(f"width must be at least {_MIN_WIDTH}, got {width}")
    if not _ID_PREFIX.fullmatch(id_prefix):
        raise ValueError(f"id_prefix must be a plain identifier, got {id_prefix!r}")
    items = sorted(
        (_entry(raw) for raw in entries), key=lambda e: (e.instant, e.agency, e.event_id)
    )
    if not items:
        return _empty(width, id_prefix)
    return Markup(_Chart(items, width, id_prefix).render())


# --- input -------------------------------------------------------------------------------------


def _entry(raw: Mapping) -> _Entry:
    when = raw.get("occurred_at")
    try:
        parsed = when if isinstance(when, dt.datetime) else dt.datetime.fromisoformat(str(when))
    except ValueError as exc:
        raise ValueError(f"entry {raw.get('event_id')!r}: bad occurred_at {when!r}") from exc
    if parsed.tzinfo is None:  # stored times are UTC; say so
        parsed = parsed.replace(tzinfo=dt.UTC)
    agency = str(raw.get("agency") or raw.get("agency_name") or "unknown")
    withheld = bool(raw.get("withheld"))
    return _Entry(
        event_id=str(raw.get("event_id") or ""),
        agency=agency,
        agency_name=str(raw.get("agency_name") or agency),
        instant=parsed.astimezone(dt.UTC),
        day=parsed.date(),
        category=None if withheld else _opt(raw.get("category")),
        severity=None if withheld else _opt(raw.get("severity")),
        sensitivity=_opt(raw.get("sensitivity")),
        summary=None if withheld else _opt(raw.get("summary")),
        withheld=withheld,
    )


def _opt(value: object) -> str | None:
    return None if value is None else str(value)


# --- text helpers ------------------------------------------------------------------------------


def _x(text: object) -> str:
    """XML-escape text for a double-quoted attribute (or element content)."""
    return str(escape(_NOT_XML.sub("", str(text))))


def _t(text: object) -> str:
    """XML-escape text for element content only: quotes need no escaping there, and summaries
    are full of them, so this keeps a 500-concern chart small."""
    clean = _NOT_XML.sub("", str(text))
    return clean.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _n(value: float) -> str:
    """A coordinate: one decimal, no trailing '.0', never '-0'."""
    s = f"{round(value, 1) + 0.0:.1f}"
    return s[:-2] if s.endswith(".0") else s


def _words(value: str | None) -> str:
    return (value or "").replace("_", " ").strip()


def _truncate(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"


def _wrap(text: str, limit: int, max_lines: int = 2) -> list[str]:
    """Greedy word wrap into at most `max_lines` lines; the last one is truncated if need be."""
    lines: list[str] = []
    words = text.split() or [""]
    current = ""
    for index, word in enumerate(words):
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= limit or not current:
            current = candidate
            continue
        lines.append(current)
        if len(lines) == max_lines - 1:
            current = " ".join(words[index:])
            break
        current = word
    lines.append(current)
    return [_truncate(line, limit) for line in lines]


def _long_date(day: dt.date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _short_date(day: dt.date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1][:3]} {day.year}"


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _severity_key(entry: _Entry) -> str:
    if entry.withheld:
        return "withheld"
    return entry.severity if entry.severity in _SEVERITY else "unknown"


def _style(entry: _Entry) -> _Style:
    key = _severity_key(entry)
    if key == "withheld":
        return _WITHHELD
    return _SEVERITY.get(key, _UNKNOWN)


# --- time axis ---------------------------------------------------------------------------------


def _month_start(index: int) -> dt.datetime:
    return dt.datetime(index // 12, index % 12 + 1, 1, tzinfo=dt.UTC)


def _time_domain(
    first: dt.datetime, last: dt.datetime, max_ticks: int
) -> tuple[dt.datetime, dt.datetime, list[tuple[dt.datetime, str]]]:
    """Domain [start, end) aligned to days, months or years, and labelled ticks inside it.

    The domain is always at least one day long, so a single entry or a single day never divides
    by zero.
    """
    span = last - first
    if span < dt.timedelta(days=62):
        start = dt.datetime(first.year, first.month, first.day, tzinfo=dt.UTC)
        days = (last - start).days + 1
        step = next((s for s in (1, 2, 7, 14) if days / s <= max_ticks), 14)
        ticks = []
        for offset in range(0, days + 1, step):
            at = start + dt.timedelta(days=offset)
            label = f"{at.day} {_MONTHS[at.month - 1][:3]}"
            if not ticks or (at.month == 1 and at.day == 1):
                label += f" {at.year}"
            ticks.append((at, label))
        return start, start + dt.timedelta(days=days), ticks
    if span < dt.timedelta(days=730):
        m0 = first.year * 12 + first.month - 1
        m1 = last.year * 12 + last.month  # exclusive: start of the month after the last entry
        step = next((s for s in (1, 2, 3, 6, 12) if (m1 - m0) / s <= max_ticks), 12)
        ticks = []
        for m in range(m0, m1 + 1):
            if m % step:
                continue
            at = _month_start(m)
            label = _MONTHS[at.month - 1][:3]
            if not ticks or at.month == 1:
                label += f" {at.year}"
            ticks.append((at, label))
        return _month_start(m0), _month_start(m1), ticks
    y0, y1 = first.year, last.year + 1
    step = next((s for s in (1, 2, 5, 10, 20, 50, 100) if (y1 - y0) / s <= max_ticks), 100)
    ticks = [
        (dt.datetime(y, 1, 1, tzinfo=dt.UTC), str(y)) for y in range(y0, y1 + 1) if y % step == 0
    ]
    return (
        dt.datetime(y0, 1, 1, tzinfo=dt.UTC),
        dt.datetime(y1, 1, 1, tzinfo=dt.UTC),
        ticks,
    )


def _count_scale(total: int) -> tuple[int, list[int]]:
    """A nice maximum >= total and at most five integer ticks from 0 to it."""
    magnitude = 1
    while True:
        for base in (1, 2, 5):
            step = base * magnitude
            if math.ceil(total / step) <= 4:
                top = max(step, math.ceil(total / step) * step)
                return top, list(range(0, top + 1, step))
        magnitude *= 10


# --- rendering ---------------------------------------------------------------------------------


class _Chart:
    def __init__(self, items: list[_Entry], width: int, prefix: str) -> None:
        self.items = items
        self.width = width
        self.prefix = prefix
        lanes: dict[str, list[_Entry]] = {}
        for item in items:  # items are sorted, so lanes come out in order of first concern
            lanes.setdefault(item.agency, []).append(item)
        self.lanes = lanes
        self.left = _GUTTER + _PAD
        self.right = width - _RIGHT - _PAD
        self.lanes_top = _LEGEND_H
        self.lanes_bottom = self.lanes_top + len(lanes) * _LANE_H
        self.band_top = self.lanes_bottom + _AXIS_H + 8
        self.band_bottom = self.band_top + _BAND_H
        self.height = self.band_bottom + _BOTTOM
        max_ticks = max(2, int((self.right - self.left) // _TICK_SPACING))
        self.start, self.end, self.ticks = _time_domain(
            items[0].instant, items[-1].instant, max_ticks
        )
        self.span = (self.end - self.start).total_seconds()

    def x(self, at: dt.datetime) -> float:
        return self.left + (at - self.start).total_seconds() / self.span * (self.right - self.left)

    def render(self) -> str:
        p = self.prefix
        out = [
            f'<svg xmlns="{SVG_NS}" class="swimlane" role="group" '
            f'aria-labelledby="{p}-title" aria-describedby="{p}-desc" '
            f'viewBox="0 0 {self.width} {self.height}" width="{self.width}" '
            f'height="{self.height}" font-family="system-ui, sans-serif" font-size="12" '
            f'fill="{_INK}">',
            f'<title id="{p}-title">{_x(self._title())}</title>',
            f'<desc id="{p}-desc">{_x(self._desc())}</desc>',
        ]
        out += self._background()
        out += self._legend()
        out += self._axis()
        for index, (agency, lane) in enumerate(self.lanes.items()):
            out += self._lane(index, agency, lane)
        out += self._cumulative()
        out.append("</svg>")
        return "\n".join(out)

    # text alternatives

    def _title(self) -> str:
        first, last = self.items[0].day, self.items[-1].day
        when = (
            f"on {_long_date(first)}"
            if first == last
            else f"{_long_date(first)} to {_long_date(last)}"
        )
        return (
            f"Timeline: {_plural(len(self.items), 'concern', 'concerns')} from "
            f"{_plural(len(self.lanes), 'agency', 'agencies')}, {when}"
        )

    def _desc(self) -> str:
        parts = []
        for lane in self.lanes.values():
            counts: dict[str, int] = {}
            for item in lane:
                key = _severity_key(item)
                counts[key] = counts.get(key, 0) + 1
            order = (*_SEVERITY_ORDER, "unknown", "withheld")
            detail = ", ".join(f"{counts[k]} {k}" for k in order if k in counts)
            parts.append(
                f"{lane[0].agency_name}: {_plural(len(lane), 'concern', 'concerns')} ({detail}), "
                f"first on {_long_date(lane[0].day)}"
            )
        return (
            "One lane per agency, in order of each agency's first concern. "
            + "; ".join(parts)
            + ". Each marker links to its row in the chronology table. Marker size and shape "
            "grow with severity; withheld entries are hollow. The bottom band is the running "
            f"total of concerns, reaching {len(self.items)} on {_long_date(self.items[-1].day)}."
        )

    # decoration

    def _background(self) -> list[str]:
        out = ['<g class="sl-grid" aria-hidden="true">']
        for index in range(len(self.lanes)):
            if index % 2 == 0:
                y = self.lanes_top + index * _LANE_H
                out.append(
                    f'<rect x="0" y="{y}" width="{self.width}" height="{_LANE_H}" '
                    f'fill="{_STRIPE}"/>'
                )
        for at, _label in self.ticks:
            x = _n(self.x(at))
            out.append(
                f'<line x1="{x}" y1="{self.lanes_top}" x2="{x}" y2="{self.band_bottom}" '
                f'stroke="{_GRID}" stroke-width="1"/>'
            )
        out.append("</g>")
        return out

    def _legend(self) -> list[str]:
        y = _LEGEND_H / 2
        out = [
            '<g class="sl-legend" aria-hidden="true">',
            f'<text x="8" y="{_n(y + 4)}" fill="{_INK_SOFT}">Severity</text>',
        ]
        x = float(self.left)
        samples = [(name, _SEVERITY[name]) for name in reversed(_SEVERITY_ORDER)]
        samples.append(("withheld", _WITHHELD))
        for name, style in samples:
            reach = style.radius + (3.5 if style.ring else 0)
            out.append(_shape(style, x + reach, y))
            label_x = x + 2 * reach + 5
            out.append(f'<text x="{_n(label_x)}" y="{_n(y + 4)}" fill="{_INK_SOFT}">{name}</text>')
            x = label_x + 7 * len(name) + 18
        out.append("</g>")
        return out

    def _axis(self) -> list[str]:
        y = self.lanes_bottom
        out = [
            '<g class="sl-axis" aria-hidden="true">',
            f'<line x1="{self.left - _PAD}" y1="{y}" x2="{self.right + _PAD}" y2="{y}" '
            f'stroke="{_INK_SOFT}" stroke-width="1"/>',
        ]
        for at, label in self.ticks:
            x = _n(self.x(at))
            out.append(
                f'<line x1="{x}" y1="{y}" x2="{x}" y2="{y + 5}" stroke="{_INK_SOFT}" '
                'stroke-width="1"/>'
            )
            out.append(
                f'<text x="{x}" y="{y + 18}" text-anchor="middle" fill="{_INK_SOFT}">'
                f"{_x(label)}</text>"
            )
        out.append("</g>")
        return out

    # data

    def _lane(self, index: int, agency: str, lane: list[_Entry]) -> list[str]:
        top = self.lanes_top + index * _LANE_H
        mid = top + _LANE_H / 2
        name = lane[0].agency_name
        lines = _wrap(name, _LABEL_CHARS)
        full = f"<title>{_t(name)}</title>" if " ".join(lines) != " ".join(name.split()) else ""
        first = mid + 4.5 - 7.5 * (len(lines) - 1)
        spans = "".join(
            f'<tspan x="8" y="{_n(first + 15 * i)}">{_t(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        out = [
            f'<g class="sl-lane" data-agency="{_x(agency)}" data-count="{len(lane)}">',
            f'<text class="sl-lane-label" font-size="13" aria-hidden="true">{full}{spans}</text>',
        ]
        last_x = [-math.inf] * len(_SUB_ROWS)
        for item in lane:
            x = self.x(item.instant)
            style = _style(item)
            gap = 2 * style.radius + 1
            row = next((r for r, lx in enumerate(last_x) if x - lx >= gap), None)
            if row is None:  # crowded: reuse the row with the most room
                row = min(range(len(last_x)), key=lambda r: (last_x[r], r))
            last_x[row] = x
            out.append(
                f'<a href="#concern-{_x(item.event_id)}"><title>{_t(self._marker_title(item))}'
                f"</title>{_shape(style, x, mid + _SUB_ROWS[row])}</a>"
            )
        out.append("</g>")
        return out

    @staticmethod
    def _marker_title(item: _Entry) -> str:
        head = f"{_short_date(item.day)}, {item.agency_name}"
        if item.withheld:
            return f"{head}: withheld {_words(item.sensitivity) or 'restricted'} entry"
        parts = [head, _words(item.severity) or "severity not given"]
        if item.category:
            parts.append(_words(item.category))
        text = " · ".join(parts)
        summary = _truncate(item.summary or "", _SUMMARY_CHARS)
        return f"{text}: {summary}" if summary else text

    def _cumulative(self) -> list[str]:
        total = len(self.items)
        top, ticks = _count_scale(total)

        def y(count: int) -> float:
            return self.band_bottom - count / top * _BAND_H

        x0, x1 = self.left - _PAD, self.right + _PAD
        mid = (self.band_top + self.band_bottom) / 2
        out = [
            '<g class="sl-cumulative" aria-hidden="true">',
            f'<text x="8" y="{_n(mid - 2)}" font-size="13">Running total</text>',
            f'<text x="8" y="{_n(mid + 14)}" fill="{_INK_SOFT}">(all agencies)</text>',
        ]
        for value in ticks:
            yy = _n(y(value))
            out.append(
                f'<line class="sl-count-grid" x1="{x0}" y1="{yy}" x2="{x1}" y2="{yy}" '
                f'stroke="{_GRID}" stroke-width="1"/>'
            )
            out.append(
                f'<text class="sl-count-tick" x="{x0 - 6}" y="{_n(y(value) + 4)}" '
                f'text-anchor="end" fill="{_INK_SOFT}">{value}</text>'
            )
        # A step line: flat until a concern, then up by one per concern at that moment.
        steps = [f"M{_n(x0)} {_n(y(0))}"]
        previous: str | None = None
        for count, item in enumerate(self.items, start=1):
            x = str(round(self.x(item.instant)))  # whole pixels: a step line needs no more
            if x == previous:
                steps[-1] = f"V{_n(y(count))}"
            else:
                steps.append(f"H{x}")
                steps.append(f"V{_n(y(count))}")
            previous = x
        steps.append(f"H{_n(x1)}")
        line = "".join(steps)
        out.append(
            f'<path class="sl-count-area" d="{line}V{_n(y(0))}Z" fill="#dce7f3" stroke="none"/>'
        )
        out.append(
            f'<path class="sl-count-line" d="{line}" fill="none" stroke="#1d3557" '
            f'stroke-width="2" data-total="{total}"/>'
        )
        out.append(
            f'<text class="sl-count-end" x="{_n(x1 + 4)}" y="{_n(y(total) + 4)}" '
            f'font-weight="700">{total}</text>'
        )
        out.append("</g>")
        return out


def _shape(style: _Style, x: float, y: float) -> str:
    cx, cy = _n(x), _n(y)
    dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
    width = "" if style.stroke_width == 1 else f' stroke-width="{_n(style.stroke_width)}"'
    dot = (
        f'<circle cx="{cx}" cy="{cy}" r="{_n(style.radius)}" fill="{style.fill}" '
        f'stroke="{style.stroke}"{width}{dash}/>'
    )
    if not style.ring:
        return dot
    ring = (
        f'<circle class="sl-ring" cx="{cx}" cy="{cy}" r="{_n(style.radius + 3.5)}" fill="none" '
        f'stroke="{style.fill}" stroke-width="1.5"/>'
    )
    return ring + dot


def _empty(width: int, prefix: str) -> Markup:
    return Markup(
        f'<svg xmlns="{SVG_NS}" class="swimlane swimlane-empty" role="img" '
        f'aria-labelledby="{prefix}-title" viewBox="0 0 {width} 40" width="{width}" '
        f'height="40" font-family="system-ui, sans-serif" font-size="14">'
        f'<title id="{prefix}-title">Timeline: no concerns to show</title>'
        f'<text x="8" y="25" fill="{_INK}">No concerns to show.</text></svg>'
    )
