"""A child's chronology as CSV and PDF, for a child protection conference or a case review.

Who knew what and when, which agency, what was done. Pure: takes the header and the timeline
entries the API already produced (oldest first, already filtered for what the reader may see) and
returns bytes; it queries nothing and writes no file.

An entry the reader is not cleared for arrives with `withheld` set and its content fields None;
the export then says whom to ask instead, and never prints content for it even if some remains.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import io
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from anyascii import anyascii
from fpdf import FPDF, FontFace
from fpdf.enums import MethodReturnValue, WrapMode

# Read when a PDF is made (not at import), so a test can point them at a missing file.
FONT_PATH = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
BOLD_FONT_PATH = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

MARKING = "OFFICIAL-SENSITIVE"
EMPTY_MESSAGE = "No concerns recorded for the filters given."
CSV_COLUMNS = (
    "When",
    "Reported",
    "Agency",
    "Local authority",
    "Category",
    "Severity",
    "What was seen",
    "Action taken",
    "Reference",
    "Version",
    "Sensitivity",
)
PDF_COLUMNS = ("When (UTC)", "Agency", "Category", "Severity", "What was seen", "Action taken")
_PDF_WIDTHS = (11, 14, 12, 7, 36, 20)  # fractions of the page width, in PDF_COLUMNS order

# Cells a spreadsheet would read as a formula (or that hide one behind whitespace).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_RIGHT_TO_LEFT = ("R", "AL", "AN")  # bidirectional classes of Hebrew, Arabic letters and digits
_FONT_SIZE = 8
_LINE_HEIGHT = 3.6  # mm, for 8 pt text
_PADDING = 1.2  # mm, inside every table cell
_MAX_LINES_PER_ROW = 15  # a longer entry continues in further rows, as a row cannot span pages


# -- shared wording ----------------------------------------------------------------------------


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _humanise(value: Any) -> str:
    return _text(value).replace("_", " ")


def withheld_text(entry: Mapping[str, Any]) -> str:
    """What stands in for the content of an entry the reader is not cleared to see."""
    sensitivity = _humanise(entry.get("sensitivity")) or "restricted"
    return f"Withheld: a {sensitivity} entry; ask {_text(entry.get('ask')) or 'a MASH manager'}"


def _agency(entry: Mapping[str, Any]) -> str:
    return _text(entry.get("agency_name")) or _text(entry.get("agency"))


def _utc(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        moment = value
    else:
        try:
            moment = dt.datetime.fromisoformat(_text(value))
        except ValueError:
            return None
    return moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _when(value: Any) -> str:
    """`2025-03-04T10:15:00+00:00` as `2025-03-04 10:15` (UTC); anything unparseable as given."""
    moment = _utc(value)
    return moment.strftime("%Y-%m-%d %H:%M") if moment else _text(value)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


# -- CSV ---------------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    """A CSV cell a spreadsheet will show as text, never evaluate (OWASP CSV injection)."""
    text = _text(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_row(entry: Mapping[str, Any]) -> list[str]:
    withheld = bool(entry.get("withheld"))
    version = _text(entry.get("revision"))
    if entry.get("withdrawn"):
        version = f"{version} (withdrawn)".strip()

    def content(key: str) -> Any:
        return None if withheld else entry.get(key)

    row = [
        entry.get("occurred_at"),
        entry.get("reported_at"),
        _agency(entry),
        entry.get("local_authority"),
        content("category"),
        content("severity"),
        withheld_text(entry) if withheld else entry.get("summary"),
        content("action_taken"),
        content("concern_ref"),
        version,
        entry.get("sensitivity"),
    ]
    return [_cell(value) for value in row]


def to_csv(header: Mapping[str, Any], entries: Sequence[Mapping[str, Any]]) -> bytes:
    """The chronology as UTF-8 CSV with a BOM (so Excel reads it right), one row per entry.

    Rows only, under one heading row: provenance (who generated it, when, with which filters)
    is in the PDF and the audit log, not mixed into the data. `header` is accepted so both
    exports are called alike.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_csv_row(entry) for entry in entries)
    return buffer.getvalue().encode("utf-8-sig", errors="replace")  # a lone surrogate: "?"


# -- PDF ---------------------------------------------------------------------------------------


def _fitter(has_glyph: Callable[[str], bool]) -> Callable[[Any], str]:
    """Text the chosen font can draw: control characters become spaces, format characters
    (such as a right-to-left override, which could disguise text) are dropped, and characters
    the font lacks are transliterated (anyascii) rather than left as blank boxes."""

    def fit(value: Any) -> str:
        text = _text(value).replace("\r\n", "\n").replace("\r", "\n")
        out = []
        for char in text:
            category = unicodedata.category(char)
            if char == "\n" or (category not in ("Cf", "Cs") and has_glyph(char)):
                out.append(char)
            elif category in ("Cc", "Zl", "Zp"):
                out.append(" ")
            elif category not in ("Cf", "Cs"):  # format controls (bidi overrides), surrogates
                out.append(anyascii(char))
        return "".join(out)

    return fit


def _latin1_printable(char: str) -> bool:
    return ord(char) < 256 and unicodedata.category(char) not in ("Cc", "Cf")


def _can_shape() -> bool:
    """Whether fpdf2's text shaping engine (the optional uharfbuzz package) is installed."""
    try:
        importlib.import_module("uharfbuzz")
    except ImportError:
        return False
    return True


def _right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(char) in _RIGHT_TO_LEFT for char in text)


class _ChronologyPDF(FPDF):
    """A4 landscape, marked at the top and foot of every page, numbered `Page X of Y`."""

    def __init__(self) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.family = self._choose_font()
        self.set_margins(10, 16, 10)
        self.set_auto_page_break(True, margin=14)

    def _choose_font(self) -> str:
        try:
            self.add_font("DejaVu", "", str(FONT_PATH))
            bold = BOLD_FONT_PATH if BOLD_FONT_PATH.is_file() else FONT_PATH
            self.add_font("DejaVu", "B", str(bold))
        except Exception:  # missing or unreadable (fpdf2/fontTools raise many kinds): fall back
            pass
        else:
            cmap = self.fonts["dejavu"].cmap
            self.shapes = _can_shape()
            # Unshaped, right-to-left text would print backwards and unjoined, which misleads
            # worse than a transliteration does.
            self.fit = _fitter(
                lambda char: ord(char) in cmap and (self.shapes or not _right_to_left(char))
            )
            return "DejaVu"
        self.fit = _fitter(_latin1_printable)
        self.shapes = False
        return "Helvetica"

    def multi_cell(self, *args: Any, **kwargs: Any) -> Any:
        """Text in a right-to-left script (Arabic, Hebrew) is shaped: its letters joined and its
        runs ordered right to left. Only that text: shaping every cell is several times slower.
        """
        if not (self.shapes and _right_to_left(_text(kwargs.get("text")))):
            return super().multi_cell(*args, **kwargs)
        self.set_text_shaping(True)
        try:
            return super().multi_cell(*args, **kwargs)
        finally:
            self.set_text_shaping(False)

    def header(self) -> None:
        self.set_font(self.family, "B", 10)
        self.set_text_color(0)
        self.set_y(6)
        self.cell(0, 5, MARKING, align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_y(self.t_margin)
        self.set_font(self.family, "", _FONT_SIZE)

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(self.family, "B", 8)
        self.set_text_color(0)
        self.cell(0, 5, MARKING, align="C")
        self.set_x(self.l_margin)
        self.set_font(self.family, "", 8)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")

    def para(self, text: str, size: float = 10, bold: bool = False, height: float = 5) -> None:
        self.set_font(self.family, "B" if bold else "", size)
        self.multi_cell(0, height, text=self.fit(text), align="L", new_x="LMARGIN", new_y="NEXT")


def _provenance(pdf: _ChronologyPDF, header: Mapping[str, Any], entries: Sequence[Any]) -> None:
    names = [_text(name) for name in header.get("names") or [] if _text(name)]
    filters = header.get("filters") or {}
    generated = _utc(header.get("generated_at"))
    agencies = {_agency(entry) for entry in entries}
    pdf.para(f"Multi-agency chronology — person #{header.get('person_id')}", 16, True, 8)
    pdf.para("Known as: " + ("; ".join(names) if names else "no names recorded"))
    pdf.para(
        f"Generated by {_text(header.get('generated_by'))} ({_humanise(header.get('role'))})"
        f" at {generated.strftime('%Y-%m-%d %H:%M UTC') if generated else '(unknown time)'}"
    )
    applied = "; ".join(f"{_humanise(key)}: {_text(value)}" for key, value in filters.items())
    pdf.para("Filters applied: " + (applied or "none"))
    pdf.para(
        f"{_plural(len(entries), 'entry', 'entries')} from "
        f"{_plural(len(agencies), 'agency', 'agencies')}; oldest first; times in UTC."
    )
    pdf.ln(3)


def _what_was_seen(entry: Mapping[str, Any]) -> str:
    text = _text(entry.get("summary"))
    revision = entry.get("revision")
    if isinstance(revision, int) and revision > 1:
        text += f"\n(Amended by the agency: version {revision}.)"
    if entry.get("withdrawn"):
        text = "WITHDRAWN by the agency (sent in error). " + text
    return text


def _surely_fits(pdf: FPDF, text: str, width: float) -> bool:
    """True when `text` cannot wrap to more than _MAX_LINES_PER_ROW lines, found cheaply.

    Word wrapping leaves a line less than half full only before a word longer than half a line,
    which then fills most of the next, so two lines hold at least one line's width of text; each
    explicit newline adds at most one line more.
    """
    inner = width - 2 * _PADDING - 2 * pdf.c_margin
    bound = 2 * pdf.get_string_width(text) / inner + text.count("\n") + 2
    return bound <= _MAX_LINES_PER_ROW


def _split(pdf: FPDF, cells: Sequence[tuple[str, float]]) -> list[list[str]]:
    """One entry's cells as one or more table rows of at most _MAX_LINES_PER_ROW lines each.

    fpdf2 cannot break a table row across pages, so a very long summary is wrapped here, at the
    width the table will give it, and carried on in continuation rows.
    """
    if all(_surely_fits(pdf, text, width) for text, width in cells):
        return [[text for text, _ in cells]]
    wrapped = [
        pdf.multi_cell(
            w=width,
            text=text,
            dry_run=True,
            output=MethodReturnValue.LINES,
            padding=_PADDING,
            wrapmode=WrapMode.WORD,
        )
        for text, width in cells
    ]
    height = max(len(lines) for lines in wrapped)
    if height <= _MAX_LINES_PER_ROW:
        return [[text for text, _ in cells]]
    return [
        ["\n".join(lines[start : start + _MAX_LINES_PER_ROW]) for lines in wrapped]
        for start in range(0, height, _MAX_LINES_PER_ROW)
    ]


def _table(pdf: _ChronologyPDF, entries: Iterable[Mapping[str, Any]]) -> None:
    fit = pdf.fit
    total = sum(_PDF_WIDTHS)
    widths = [pdf.epw * share / total for share in _PDF_WIDTHS]
    rest = sum(widths[2:])  # a withheld entry's message spans Category to Action taken
    bold = FontFace(emphasis="BOLD")
    grey = FontFace(color=(80, 80, 80))
    pdf.set_font(pdf.family, "", _FONT_SIZE)
    with pdf.table(
        width=pdf.epw,
        col_widths=_PDF_WIDTHS,
        line_height=_LINE_HEIGHT,
        padding=_PADDING,
        text_align="LEFT",
        v_align="TOP",
        headings_style=FontFace(emphasis="BOLD", fill_color=(225, 225, 225)),
        repeat_headings=1,
    ) as table:
        table.row(PDF_COLUMNS)
        for entry in entries:
            when, agency = fit(_when(entry.get("occurred_at"))), fit(_agency(entry))
            if entry.get("withheld"):
                cells = [(when, widths[0]), (agency, widths[1]), (fit(withheld_text(entry)), rest)]
                for number, texts in enumerate(_split(pdf, cells)):
                    row = table.row(style=grey)
                    row.cell(texts[0] if number == 0 else "(continued)")
                    row.cell(texts[1])
                    row.cell(texts[2], colspan=4)
                continue
            severity = _text(entry.get("severity"))
            texts = [
                when,
                agency,
                fit(_humanise(entry.get("category"))),
                fit(severity),
                fit(_what_was_seen(entry)),
                fit(entry.get("action_taken")),
            ]
            for number, chunk in enumerate(_split(pdf, list(zip(texts, widths, strict=True)))):
                row = table.row(style=grey if entry.get("withdrawn") else None)
                row.cell(chunk[0] if number == 0 else "(continued)")
                row.cell(chunk[1])
                row.cell(chunk[2])
                row.cell(chunk[3], style=bold if severity in ("high", "critical") else None)
                row.cell(chunk[4])
                row.cell(chunk[5])


def to_pdf(header: Mapping[str, Any], entries: Sequence[Mapping[str, Any]]) -> bytes:
    """The chronology as an A4 landscape PDF: provenance, then a table, oldest entry first.

    Uses DejaVu Sans where installed (any script it covers), else core Helvetica with the text
    transliterated; either way it never fails on the text it is given.
    """
    pdf = _ChronologyPDF()
    generated = _utc(header.get("generated_at")) or dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    pdf.set_creation_date(generated)  # the same input gives the same bytes
    pdf.set_title(pdf.fit(f"Multi-agency chronology — person #{header.get('person_id')}"))
    pdf.set_author(pdf.fit(header.get("generated_by")))
    pdf.set_creator("MASH Hub")
    pdf.set_lang("en-GB")
    pdf.alias_nb_pages()
    pdf.add_page()
    _provenance(pdf, header, entries)
    if entries:
        _table(pdf, entries)
    else:
        pdf.para(EMPTY_MESSAGE, 11, True)
    return bytes(pdf.output())
