"""HL7 v2 ADT from a hospital (A&E attendances and admissions) to canonical concern events.

Input: a file or payload holding one or more HL7 v2.3–2.5.1 messages. Segments end with CR (LF
and CRLF are accepted too); a new message starts at each MSH segment. MLLP-framed content
(0x0b … 0x1c 0x0d, as captured from a TCP feed) is accepted as well, and the batch envelope
segments FHS/BHS/BTS/FTS are skipped. Each message is one item: `Rejected.line` is the item's
number in the payload, counting from 1 (stray text before the first MSH and a cut-off MLLP
frame count as items of their own, so every reject points at something).

Messages handled (MSH-9; EVN-1 if MSH-9 has no trigger event):

- A04 register a patient: an A&E attendance. The concern's first version, `revision` 1.
- A01 admit: a hospital admission.
- A08 update patient information: an amendment of the same visit (same concern ref).
- A11 cancel admit / visit notification: the visit was recorded in error, `withdrawn`.

Everything else (A03 discharge, A13 cancel discharge — which restores a visit rather than
withdrawing it —, ORU results, …) is rejected as "unsupported_message_type".

Revisions. The hub keeps the highest revision of a concern and treats a repeated (ref,
revision) as a resend, so amendments need increasing revisions without any memory of earlier
messages: they must come out the same whether a message arrives alone over MLLP or in a file.
They are derived from time. A04 is revision 1. A01, A08 and A11 get
``2 + step(recorded − visit start)``, where the visit start is PV1-44 (admit date/time), the
recorded time is EVN-2 (else MSH-7), and ``step`` counts whole minutes for the first 5,000
minutes (about 3.5 days) and whole hours after that (revision 10,000, the schema's limit, is
reached after about 7 months). So later updates supersede earlier ones, an admission supersedes
the attendance it came from when it shares its visit number, and a resend (same message again)
keeps its revision and is recognised as a resend. Two updates of one visit recorded within the
same minute (or hour, late on) would share a revision; within one payload the later one is
moved up to the next free revision, across separate payloads the second one would be taken
for a resend — the one known limit of a stateless rule. A08 and A11 must therefore carry PV1-44.

Mapping (HL7 field → canonical field):

- PID-3 identifier with assigning authority "NHS" (or its OID) or type code NH → nhs_number
  (spaces and dashes removed, modulus 11 checked: an invalid one rejects the message).
- PID-3 local identifier (type MR, else PI, else the first non-NHS one) → person.source_ref, as
  ``"<assigning authority>:<MRN>"`` (authority from CX-4, else MSH-4), so MRNs from two trusts
  sending as the same agency do not collide.
- PID-5 family^given^middle (the legal name, type L, if several) → family_name, given_name,
  middle_names. HL7 escape sequences (\\F\\, \\S\\, \\T\\, \\R\\, \\E\\, \\Xhh\\) are undone.
- PID-7 → date_of_birth (at least YYYYMMDD; a year or month alone, or an impossible date,
  rejects the message). PID-8 M/F → male/female; U, O, A, N → unknown.
- PID-11 street^other^city^state^postcode (each repetition) → addresses [{line, postcode}].
- PV1-19 visit number → concern.ref, as ``"<assigning authority>:<visit number>"`` (CX-4,
  else MSH-4) for the same reason. PV1-44 (else EVN-6, else EVN-2) → occurred_at.
- EVN-2 → reported_at when it is not before occurred_at (a registration typed a minute before
  the recorded arrival is a clock difference, not a reason to lose the attendance).
- Timestamps without an offset are UK local time (Europe/London, so GMT or BST by date; a time
  in the spring-forward gap is read as GMT, an ambiguous autumn time as its first, BST,
  occurrence). A date without a time is local midnight.
- PV2-3 admit reason (text, else code), PV2-12, DG1-3/DG1-4 diagnoses and OBX values whose
  observation names a complaint or reason → concern.summary (with what happened and where:
  PV1-3 facility, else MSH-4) and the category:
  suspected_non_accidental_injury (non-accidental / NAI, or an injury or assault with a
  safeguarding flag), accidental_ingestion (stated accidental, or "swallowed"), self_harm (self
  harm, overdose, suicidal, ligature), assault, intoxication, poisoning (ingestion or poisoning,
  intent not stated), injury, else ae_attendance (A04 with patient class E or none) /
  hospital_attendance (A04 of another class) / hospital_admission (A01, or an A08 / A11 with
  patient class I).
- OBX whose observation names safeguarding / child protection / CP-IS, with a value that is
  not a "no" → a safeguarding flag (raises severity, noted in the summary).
- severity: attendance low, admission medium; one step up for injury, assault, self harm,
  ingestion, poisoning or intoxication; two steps for suspected NAI or a safeguarding flag (so
  at least high; an admission with suspected NAI is critical).
- sensitivity "health_confidential"; role "child" when under 18 on the day of the event, else
  none; PV1-3 point of care → action_taken "Admitted to …" for admissions.
- recorded_by, a role and never a name: PV1-7 attending doctor present → "Attending doctor",
  else EVN-5 operator present → "Recording clerk"; the XCN's professional suffix (XCN-21,
  v2.5), else its degree (XCN-7), is added in brackets ("Attending doctor (MBBS)"). The XCN's
  ID and name components (XCN-1 to XCN-6) are never copied: staff names are personal data. Cut
  to 120 characters with "…", as the summary is cut to 4,000. Neither field → none.

`mllp_handler(agency, publish)` puts `parse` behind `connectors.mllp.serve_mllp`: AA when a
received message maps, AE with the reject's reason, field and problem when it does not.

Not mapped: NK1 next of kin (no record reference of the relative at the same agency, which a
relationship needs), local authority (not in ADT), addresses' validity dates. Segments other
than MSH, EVN, PID, PV1, PV2, DG1 and OBX are checked for a valid name but not parsed. There is no
"wrong_agency" check: an ADT message names hospitals and applications, not a hub agency; the
agency is whatever the caller's credential says.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from hl7apy.consts import VALIDATION_LEVEL
from hl7apy.parser import parse_message
from stdnum.gb import nhs

from connectors.base import Rejected, to_event_or_reject
from connectors.mllp import END_BLOCK, START_BLOCK
from hub.schemas import UK_POSTCODE

log = logging.getLogger(__name__)

LONDON = ZoneInfo("Europe/London")
SUPPORTED_EVENTS = ("A01", "A04", "A08", "A11")
SUPPORTED_VERSIONS = ("2.3", "2.3.1", "2.4", "2.5", "2.5.1")
NHS_OID = "2.16.840.1.113883.2.1.4.1"
MAX_SUMMARY = 4000
MAX_RECORDED_BY = 120

_SEGMENT_SPLIT = re.compile(rb"\r\n|\r|\n|" + re.escape(END_BLOCK))
_SEGMENT_ID = re.compile(r"^[A-Z][A-Z0-9]{2}$")
_ENVELOPE = {b"FHS", b"BHS", b"BTS", b"FTS"}
# The segments the mapping reads; only these go through hl7apy (about 3 ms a segment). Others
# (NK1, PD1, AL1, IN1, site Z-segments, …) are checked for a valid segment name and otherwise
# passed over, so a malformed segment the hub never reads cannot cost an attendance.
_MAPPED = ("MSH", "EVN", "PID", "PV1", "PV2", "DG1", "OBX")
_DTM = re.compile(r"^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.(\d{1,4}))?([+-]\d{4})?$")
_CHARSETS = {
    "": "utf-8",
    "UNICODE UTF-8": "utf-8",
    "UTF-8": "utf-8",
    "ASCII": "ascii",
    "8859/1": "latin-1",
    "8859/2": "iso8859-2",
    "8859/15": "iso8859-15",
}
_SEX = {"M": "male", "F": "female", "U": "unknown", "O": "unknown", "A": "unknown", "N": "unknown"}
_NO = {"", "n", "no", "false", "0", "none", "negative", "nil", "not known", "unknown"}
_POSTCODE = re.compile(UK_POSTCODE)

# Presenting complaint → category, first match wins (searched in lower-cased text).
_CATEGORIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("suspected_non_accidental_injury", re.compile(r"non[\s-]?accidental|\bnai\b")),
    (
        "accidental_ingestion",
        re.compile(r"accidental (?:ingestion|overdose|poisoning)|\bswallowed\b"),
    ),
    (
        "self_harm",
        re.compile(
            r"self[\s-]?harm|self[\s-]?inflicted|deliberate self|overdose|\bod\b|suicid"
            r"|ligature"
        ),
    ),
    (
        "assault",
        re.compile(r"assault|\bstab|\bknife|gunshot|\bpunch|\bkicked|\battacked|\bgbh\b|\babh\b"),
    ),
    ("intoxication", re.compile(r"intoxicat|\balcohol|\bdrunk|\betoh\b|\bdrug use\b")),
    # Ingestion or poisoning whose intent the hospital did not state.
    ("poisoning", re.compile(r"\bingest|\bpoison")),
    (
        "injury",
        re.compile(
            r"injur|fractur|\bburn|\bscald|\bwound|lacerat|bruis|\bfall\b|\bfell\b|\bsprain"
            r"|\bbite\b|\bbitten\b"
        ),
    ),
)
_RAISED = {"injury", "assault", "self_harm", "accidental_ingestion", "intoxication", "poisoning"}
_SEVERITIES = ("low", "medium", "high", "critical")
_SAFEGUARDING_OBX = re.compile(r"safeguard|child protection|\bcp-?is\b|non[\s-]?accidental")
_COMPLAINT_OBX = re.compile(r"complaint|presenting|reason")


# --------------------------------------------------------------------------------------------
# Splitting a payload into messages
# --------------------------------------------------------------------------------------------


@dataclass
class _Item:
    """One numbered item of the payload: a message's segments, or a problem found while
    splitting (text outside any message, a message cut off)."""

    segments: list[bytes] = field(default_factory=list)
    problem: Rejected | None = None
    truncated: str = ""  # how we know the message was cut off, if it was


_CUT_FRAME = "The MLLP frame holding this message has no end block: it was cut off."
_GLUED = (
    "The message's last segment runs straight into the next message's MSH, with no segment "
    "end between them: the message was cut off (or badly joined) and may be incomplete."
)


def _chunks(raw: bytes) -> Iterator[tuple[bytes, bool]]:
    """(content, cut_off) pieces of the payload: MLLP frames and the text between them."""
    i = 0
    while i < len(raw):
        start = raw.find(START_BLOCK, i)
        if start < 0:
            yield raw[i:], False
            return
        if start > i:
            yield raw[i:start], False
        end = raw.find(END_BLOCK, start + 1)
        restart = raw.find(START_BLOCK, start + 1)
        if end < 0 or (0 <= restart < end):
            stop = restart if restart >= 0 else len(raw)
            yield raw[start + 1 : stop], True
            i = stop
        else:
            yield raw[start + 1 : end], False
            i = end + 1


def _unglue(segments: list[bytes]) -> Iterator[tuple[bytes, bool]]:
    """(segment, cut_short) with a message that was cut off mid-segment split from the MSH
    glued onto its end. An MSH header ("MSH|^~\\&|") cannot occur in data, where the field
    separator must be escaped, so finding one inside a segment means the text before it is a
    segment cut short."""
    marker = b""
    for segment in segments:
        while True:
            if segment.startswith(b"MSH"):
                marker = segment[:9]
            at = segment.find(marker, 1) if len(marker) == 9 else -1
            if at <= 0:
                yield segment, False
                break
            yield segment[:at], True
            segment = segment[at:]


def _split(raw: bytes) -> Iterator[_Item]:
    """The payload's items in order (numbering is done by the caller)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    for content, cut_off in _chunks(raw):
        segments = [s.strip(b" \t\x00") for s in _SEGMENT_SPLIT.split(content)]
        segments = [s for s in segments if s and s[:3] not in _ENVELOPE]
        if not segments:
            if cut_off:
                yield _Item(truncated=_CUT_FRAME)
            continue
        current: _Item | None = None
        stray: list[bytes] = []
        for segment, cut_short in _unglue(segments):
            if segment.startswith(b"MSH"):
                if current is not None:
                    yield current
                elif stray:
                    yield _Item(problem=_stray(stray))
                    stray = []
                current = _Item([segment])
            elif current is None:
                stray.append(segment)
            else:
                current.segments.append(segment)
            if cut_short and current is not None:
                current.truncated = _GLUED
        if current is None:
            yield _Item(problem=_stray(stray))
        else:
            if cut_off:
                current.truncated = _CUT_FRAME
            yield current


def _stray(segments: list[bytes]) -> Rejected:
    preview = segments[0][:40].decode("utf-8", "replace")
    return Rejected(
        0,
        "invalid_hl7",
        {
            "message": [
                f"{len(segments)} line(s) not inside any HL7 message (no MSH segment before "
                f"them), starting {preview!r}."
            ]
        },
    )


# --------------------------------------------------------------------------------------------
# Reading one message
# --------------------------------------------------------------------------------------------


class _Reject(Exception):
    def __init__(self, reason: str, fields: dict[str, list[str]]) -> None:
        super().__init__(reason)
        self.reason = reason
        self.fields = fields


class _Problems:
    """Field problems of one message: every one is reported, the first decides the reason."""

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}
        self.reason = ""

    def add(self, reason: str, where: str, message: str) -> None:
        self.fields.setdefault(where, []).append(message)
        self.reason = self.reason or reason

    def __contains__(self, where: str) -> bool:
        return where in self.fields

    def __bool__(self) -> bool:
        return bool(self.fields)


@dataclass
class _Encoding:
    field: str = "|"
    component: str = "^"
    repetition: str = "~"
    escape: str = "\\"
    subcomponent: str = "&"


def _header_fields(msh: bytes) -> tuple[_Encoding, list[str]]:
    """MSH read by hand (before any library), as latin-1 so every byte is a character.
    Returns the encoding characters and fields where fields[n] is MSH-n."""
    text = msh.decode("latin-1")
    if len(text) < 8:
        raise _Reject(
            "truncated_message",
            {"MSH": ["The message ends inside its MSH segment (no encoding characters)."]},
        )
    sep = text[3]
    if sep.isalnum() or sep.isspace():
        raise _Reject("invalid_hl7", {"MSH-1": [f"{sep!r} cannot be the field separator."]})
    parts = text.split(sep)
    chars = parts[1]
    if len(chars) != 4 or len(set(chars + sep)) != 5:
        raise _Reject(
            "invalid_hl7",
            {"MSH-2": [f"Encoding characters {chars!r} are not four distinct characters."]},
        )
    enc = _Encoding(sep, chars[0], chars[1], chars[2], chars[3])
    return enc, ["MSH", sep, *parts[1:]]


def _charset(fields: list[str], enc: _Encoding) -> str:
    declared = fields[18].split(enc.repetition)[0].strip().upper() if len(fields) > 18 else ""
    if declared not in _CHARSETS:
        raise _Reject(
            "invalid_encoding",
            {
                "MSH-18": [
                    f"Character set {declared!r} is not handled (use UNICODE UTF-8, ASCII or "
                    "8859/1, 8859/2, 8859/15)."
                ]
            },
        )
    return _CHARSETS[declared]


def _decode(segments: list[bytes], codec: str, enc: _Encoding) -> list[str]:
    out = []
    for number, segment in enumerate(segments, start=1):
        try:
            out.append(segment.decode(codec))
        except UnicodeDecodeError as exc:
            name = segment[:3].decode("latin-1")
            field_no = segment[: exc.start].count(enc.field.encode("latin-1"))
            if name == "MSH":
                field_no += 1
            where = f"{name}-{field_no}" if field_no else name
            raise _Reject(
                "invalid_encoding",
                {
                    where: [
                        f"Not {codec.upper()}: byte 0x{segment[exc.start]:02x} at column "
                        f"{exc.start + 1} of segment {number} ({name})."
                    ]
                },
            ) from None
    return out


def _check_structure(segments: list[str], fields: list[str], enc: _Encoding) -> tuple[str, str]:
    """Before the (slow) library parse: the message is whole, of a type and version handled.
    Returns (trigger event, version)."""
    last = len(segments) - 1
    for number, segment in enumerate(segments):
        name = segment.split(enc.field, 1)[0]
        if not _SEGMENT_ID.match(name):
            if number == last and len(name) < 3:
                raise _Reject(
                    "truncated_message",
                    {
                        "message": [
                            f"The last segment {name!r} is cut short: the message was truncated."
                        ]
                    },
                )
            raise _Reject(
                "invalid_hl7",
                {"message": [f"Segment {number + 1} has no valid segment name: {name[:20]!r}."]},
            )
    if len(fields) <= 12:
        if len(segments) == 1:
            raise _Reject(
                "truncated_message",
                {
                    "MSH": [
                        f"The message ends in its MSH segment after MSH-{len(fields) - 1}; "
                        "MSH-9 (type) to MSH-12 (version) are missing."
                    ]
                },
            )
        raise _Reject("invalid_hl7", {"MSH-12": ["The version ID is missing."]})
    message_type = fields[9].split(enc.component)
    code = message_type[0].strip().upper()
    trigger = message_type[1].strip().upper() if len(message_type) > 1 else ""
    if not trigger:
        evn = next((s for s in segments if s.startswith("EVN")), "")
        trigger = (
            evn.split(enc.field)[1].split(enc.component)[0].upper() if enc.field in evn else ""
        )
    shown = fields[9] or "(empty)"
    if code != "ADT" or trigger not in SUPPORTED_EVENTS:
        raise _Reject(
            "unsupported_message_type",
            {
                "MSH-9": [
                    f"{shown} is not handled; this connector maps ADT A01 (admit), A04 "
                    "(A&E attendance), A08 (update) and A11 (cancel admit/visit)."
                ]
            },
        )
    version = fields[12].split(enc.component)[0].strip()
    if version not in SUPPORTED_VERSIONS:
        raise _Reject(
            "unsupported_version",
            {"MSH-12": [f"Version {version!r} is not handled (2.3 to 2.5.1 are)."]},
        )
    return trigger, version


@dataclass
class _Message:
    """The parsed message: each segment's fields as lists of repetitions (raw ER7 text)."""

    enc: _Encoding
    segments: list[tuple[str, dict[int, list[str]]]]

    def all(self, name: str) -> list[dict[int, list[str]]]:
        return [fields for seg, fields in self.segments if seg == name]

    def first(self, name: str) -> dict[int, list[str]] | None:
        found = self.all(name)
        return found[0] if found else None


def _library_parse(text: str) -> _Message:
    try:
        message = parse_message(text, find_groups=False, validation_level=VALIDATION_LEVEL.TOLERANT)
    except Exception as exc:  # hl7apy raises many kinds; each is a malformed message
        raise _Reject(
            "invalid_hl7",
            {"message": [f"Not a readable HL7 v2 message: {exc.__class__.__name__}: {exc}"]},
        ) from None
    chars = message.encoding_chars
    enc = _Encoding(
        chars["FIELD"],
        chars["COMPONENT"],
        chars["REPETITION"],
        chars["ESCAPE"],
        chars["SUBCOMPONENT"],
    )
    segments = []
    for segment in message.children:
        fields: dict[int, list[str]] = {}
        for child in segment.children:
            if child.name and "_" in child.name:
                index = int(child.name.rsplit("_", 1)[1])
                fields.setdefault(index, []).append(child.to_er7())
        segments.append((segment.name, fields))
    return _Message(enc, segments)


# --------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------


def _unescape(text: str, enc: _Encoding) -> str:
    esc = enc.escape
    if esc not in text:
        return text
    simple = {
        "F": enc.field,
        "S": enc.component,
        "T": enc.subcomponent,
        "R": enc.repetition,
        "E": esc,
        ".br": " ",
        "H": "",
        "N": "",
    }

    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if code in simple:
            return simple[code]
        if code[:1] == "X" and len(code) > 1 and len(code) % 2 == 1:
            try:
                data = bytes.fromhex(code[1:])
            except ValueError:
                return match.group(0)
            return data.decode("utf-8", "replace")
        return match.group(0)

    pattern = re.escape(esc) + r"([^" + re.escape(esc) + r"]{1,40})" + re.escape(esc)
    return re.sub(pattern, replace, text)


def _component(value: str, number: int, enc: _Encoding, sub: int = 1) -> str:
    parts = value.split(enc.component)
    if number > len(parts):
        return ""
    subs = parts[number - 1].split(enc.subcomponent)
    return _unescape(subs[sub - 1], enc).strip() if sub <= len(subs) else ""


def _words(value: str, number: int, enc: _Encoding) -> str:
    """A free-text component whole: a text has no subcomponents, so an unescaped "&" in it
    (a common sender slip, "Fall & head injury") is kept as text rather than cutting it."""
    parts = value.split(enc.component)
    return _unescape(parts[number - 1], enc).strip() if number <= len(parts) else ""


def _value(fields: dict[int, list[str]] | None, number: int) -> list[str]:
    return [v for v in (fields or {}).get(number, []) if v.strip()]


def _text_of(value: str, enc: _Encoding) -> str:
    """A coded element (code^text^…) as words: its text, else its code."""
    return _words(value, 2, enc) or _words(value, 1, enc)


def _timestamp(value: str, where: str, errors: _Problems, enc: _Encoding) -> dt.datetime | None:
    raw = _component(value, 1, enc)
    if not raw:
        return None
    match = _DTM.match(raw)
    if not match or match.group(3) is None:
        errors.add(
            "invalid_date",
            where,
            f"{raw!r} is not an HL7 date/time with at least a full date "
            "(YYYYMMDD[HHMM[SS]][+ZZZZ]).",
        )
        return None
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    try:
        micro = int((fraction or "0").ljust(6, "0"))
        local = dt.datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            micro,
        )
        if offset:
            sign = 1 if offset[0] == "+" else -1
            hours, minutes = int(offset[1:3]), int(offset[3:5])
            if hours > 14 or minutes > 59:
                raise ValueError(f"offset {offset} is not a time zone")
            zone = dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
            return local.replace(tzinfo=zone)
        return local.replace(tzinfo=LONDON)
    except ValueError as exc:
        errors.add("invalid_date", where, f"{raw!r} is not a real date/time ({exc}).")
        return None


def _birth_date(value: str, errors: _Problems, enc: _Encoding) -> dt.date | None:
    raw = _component(value, 1, enc)
    if not raw:
        return None
    match = _DTM.match(raw)
    if not match or match.group(3) is None:
        errors.add(
            "invalid_date",
            "PID-7",
            f"{raw!r} is not a full date of birth (YYYYMMDD); a year or month alone cannot be "
            "mapped.",
        )
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError as exc:
        errors.add("invalid_date", "PID-7", f"{raw!r} is not a real date ({exc}).")
        return None


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat()


# --------------------------------------------------------------------------------------------
# Mapping
# --------------------------------------------------------------------------------------------


def _identifiers(
    pid: dict[int, list[str]], msh: dict[int, list[str]], errors: _Problems, enc: _Encoding
) -> tuple[str | None, str | None]:
    """(nhs_number, source_ref) from PID-3."""
    nhs_numbers: list[str] = []
    local: list[tuple[str, str, str]] = []  # (type, id, authority)
    for value in _value(pid, 3):
        ident = _component(value, 1, enc)
        authority = _component(value, 4, enc)
        authority_oid = _component(value, 4, enc, sub=2)
        kind = _component(value, 5, enc).upper()
        if not ident:
            continue
        if kind == "NH" or authority.upper() == "NHS" or authority_oid == NHS_OID:
            nhs_numbers.append(ident)
        else:
            local.append((kind, ident, authority))
    nhs_number = None
    compacted = sorted({nhs.compact(n) for n in nhs_numbers})
    if len(compacted) > 1:
        errors.add(
            "invalid_nhs_number",
            "PID-3",
            f"Carries {len(compacted)} different NHS numbers: {', '.join(compacted)}.",
        )
    elif compacted:
        if nhs.is_valid(compacted[0]):
            nhs_number = compacted[0]
        else:
            errors.add(
                "invalid_nhs_number",
                "PID-3",
                f"NHS number {nhs_numbers[0]!r} is not valid (10 digits with a modulus-11 check).",
            )
    chosen = None
    for wanted in ("MR", "PI"):
        chosen = next((item for item in local if item[0] == wanted), None)
        if chosen:
            break
    chosen = chosen or (local[0] if local else None)
    if chosen is None:
        errors.add(
            "missing_field",
            "PID-3",
            "No local patient identifier (MRN): the hospital's own record number is needed to "
            "tell its records apart.",
        )
        return nhs_number, None
    authority = chosen[2] or _component((_value(msh, 4) or [""])[0], 1, enc)
    return nhs_number, f"{authority}:{chosen[1]}" if authority else chosen[1]


def _name(pid: dict[int, list[str]], enc: _Encoding) -> tuple[str | None, str | None, str | None]:
    names = _value(pid, 5)
    if not names:
        return None, None, None
    legal = next((n for n in names if _component(n, 7, enc).upper() == "L"), names[0])
    family = _component(legal, 1, enc) or None
    given = _component(legal, 2, enc) or None
    middle = _component(legal, 3, enc) or None
    return given, middle, family


def _addresses(pid: dict[int, list[str]], errors: _Problems, enc: _Encoding) -> list[dict]:
    out = []
    for value in _value(pid, 11):
        street = _component(value, 1, enc)
        if not street:  # 2.5 SAD: street&name&number
            number, name = _component(value, 1, enc, 3), _component(value, 1, enc, 2)
            street = " ".join(p for p in (number, name) if p)
        parts = [
            street,
            _component(value, 2, enc),
            _component(value, 3, enc),
            _component(value, 4, enc),
        ]
        line = ", ".join(p for p in parts if p) or None
        postcode = _component(value, 5, enc) or None
        if postcode and not _POSTCODE.match(postcode):
            errors.add("invalid_value", "PID-11", f"Postcode {postcode!r} is not a UK postcode.")
            continue
        if line or postcode:
            out.append({"line": line, "postcode": postcode})
    return out


# Who the message names for the visit → the role recorded_by says, first found wins.
_RECORDERS = (("PV1", 7, "Attending doctor"), ("EVN", 5, "Recording clerk"))


def _recorded_by(message: _Message, enc: _Encoding) -> str | None:
    """The role of whoever recorded the visit (see the module docstring). Only whether the
    XCN names someone, and its professional suffix or degree, are read: never the name."""
    for name, number, role in _RECORDERS:
        for value in _value(message.first(name), number):
            if not value.replace(enc.component, "").replace(enc.subcomponent, "").strip():
                continue
            qualifier = _component(value, 21, enc) or _component(value, 7, enc)
            text = f"{role} ({qualifier})" if qualifier else role
            if len(text) > MAX_RECORDED_BY:
                text = text[: MAX_RECORDED_BY - 1] + "…"
            return text
    return None


def _step(recorded: dt.datetime, start: dt.datetime) -> int:
    minutes = max(0, int((recorded - start).total_seconds() // 60))
    if minutes < 5000:
        return minutes
    return min(9998, 5000 + (minutes - 5000) // 60)


def _classify(
    texts: list[str], flagged: bool, admitted: bool, trigger: str, klass: str
) -> tuple[str, str]:
    haystack = " ".join(texts).lower()
    category = None
    for name, pattern in _CATEGORIES:
        if pattern.search(haystack):
            category = name
            break
    if flagged and category in ("injury", "assault"):
        category = "suspected_non_accidental_injury"
    level = 1 if admitted else 0
    if category == "suspected_non_accidental_injury" or flagged:
        level += 2
    elif category in _RAISED:
        level += 1
    if category is None:
        if admitted:
            category = "hospital_admission"
        elif trigger == "A04" and klass not in ("", "E"):
            category = "hospital_attendance"
        else:
            category = "ae_attendance"
    return category, _SEVERITIES[min(level, 3)]


def _age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@dataclass
class _Payload:
    """What one parse call remembers: revisions used per visit, for the tie rule."""

    used: dict[str, dict[int, str]] = field(default_factory=dict)

    def revision(self, ref: str, wanted: int, control_id: str) -> int:
        seen = self.used.setdefault(ref, {})
        revision = wanted
        while revision in seen and (not control_id or seen[revision] != control_id):
            revision += 1
        seen[revision] = control_id
        return revision


def _map(message: _Message, trigger: str, agency: str, payload: _Payload) -> dict:
    """The submission for a parsed message; raises _Reject listing every field problem."""
    enc = message.enc
    errors = _Problems()
    msh = message.first("MSH") or {}
    evn = message.first("EVN")
    pid = message.first("PID")
    pv1 = message.first("PV1")
    missing = [name for name, seg in (("PID", pid), ("PV1", pv1)) if seg is None]
    if missing:
        raise _Reject(
            "missing_segment",
            {
                name: [f"An ADT^{trigger} message needs a {name} segment; this one has none."]
                for name in missing
            },
        )
    assert pid is not None and pv1 is not None
    pv2 = message.first("PV2")

    nhs_number, source_ref = _identifiers(pid, msh, errors, enc)
    given, middle, family = _name(pid, enc)
    birth = _birth_date((_value(pid, 7) or [""])[0], errors, enc)
    sex_code = _component((_value(pid, 8) or [""])[0], 1, enc).upper()
    sex = _SEX.get(sex_code) if sex_code else None
    if sex_code and sex is None:
        errors.add(
            "invalid_value",
            "PID-8",
            f"Sex code {sex_code!r} is not an HL7 administrative sex (M, F, U, O, A, N).",
        )
    addresses = _addresses(pid, errors, enc)

    visit_number = (_value(pv1, 19) or [""])[0]
    visit = _component(visit_number, 1, enc)
    visit_authority = _component(visit_number, 4, enc) or _component(
        (_value(msh, 4) or [""])[0], 1, enc
    )
    ref = f"{visit_authority}:{visit}" if visit_authority else visit
    if not visit:
        errors.add(
            "missing_field",
            "PV1-19",
            "The visit number is empty; it identifies the attendance or admission.",
        )
    klass = _component((_value(pv1, 2) or [""])[0], 1, enc).upper()
    admit = _timestamp((_value(pv1, 44) or [""])[0], "PV1-44", errors, enc)
    event_occurred = _timestamp((_value(evn, 6) or [""])[0], "EVN-6", errors, enc)
    recorded = _timestamp((_value(evn, 2) or [""])[0], "EVN-2", errors, enc)
    sent = _timestamp((_value(msh, 7) or [""])[0], "MSH-7", errors, enc)
    if trigger in ("A08", "A11"):
        occurred = admit
        if admit is None and "PV1-44" not in errors:
            errors.add(
                "missing_field",
                "PV1-44",
                f"An ADT^{trigger} must carry the visit's admit date/time: it dates the visit it "
                "changes and orders the change.",
            )
    else:
        occurred = admit or event_occurred or recorded
        if occurred is None and not any(k in errors for k in ("PV1-44", "EVN-6", "EVN-2")):
            errors.add(
                "missing_field",
                "PV1-44",
                "No admit date/time (PV1-44) nor event date/time (EVN-6, EVN-2).",
            )
    if birth and occurred and birth > occurred.astimezone(LONDON).date():
        errors.add(
            "invalid_date",
            "PID-7",
            f"Date of birth {birth.isoformat()} is after the visit ({occurred.isoformat()}).",
        )
    if errors or occurred is None or source_ref is None:
        raise _Reject(errors.reason, errors.fields)

    # What happened.
    texts: list[str] = []
    complaint = _text_of((_value(pv2, 3) or [""])[0], enc) or _words(
        (_value(pv2, 12) or [""])[0], 1, enc
    )
    if complaint:
        texts.append(complaint)
    diagnoses = []
    for dg1 in message.all("DG1"):
        words = _words((_value(dg1, 4) or [""])[0], 1, enc) or _text_of(
            (_value(dg1, 3) or [""])[0], enc
        )
        if words:
            diagnoses.append(words)
    flagged = False
    for obx in message.all("OBX"):
        label = " ".join(_component(v, i, enc) for v in _value(obx, 3) for i in (1, 2)).lower()
        values = [_text_of(v, enc) for v in _value(obx, 5)]
        value_text = "; ".join(v for v in values if v)
        if _SAFEGUARDING_OBX.search(label) and value_text.strip().lower() not in _NO:
            flagged = True
        elif _COMPLAINT_OBX.search(label) and value_text:
            texts.append(value_text)
            complaint = complaint or value_text
    texts.extend(diagnoses)

    admitted = trigger == "A01" or (trigger in ("A08", "A11") and klass == "I")
    category, severity = _classify(texts, flagged, admitted, trigger, klass)
    kind = "Hospital admission" if admitted else "A&E attendance"
    if trigger == "A04" and klass not in ("", "E"):
        kind = "Hospital attendance"
    location = (_value(pv1, 3) or [""])[0]
    facility = _component(location, 4, enc) or _component((_value(msh, 4) or [""])[0], 1, enc)
    summary = kind + (f" at {facility}" if facility else "")
    if trigger == "A08":
        summary += " (details updated)"
    if trigger == "A11":
        summary += " cancelled by the hospital (recorded in error)"
    summary += f": {complaint}." if complaint else ": reason not recorded."
    if diagnoses:
        summary += " Diagnosis: " + "; ".join(diagnoses) + "."
    if flagged:
        summary += " Safeguarding concern flagged by the hospital."
    if len(summary) > MAX_SUMMARY:
        summary = summary[: MAX_SUMMARY - 1] + "…"
    ward = _component(location, 1, enc)
    action = f"Admitted to {ward}." if admitted and ward and trigger != "A11" else None

    control_id = _component((_value(msh, 10) or [""])[0], 1, enc)
    if trigger == "A04":
        revision = 1
    else:
        when = recorded or sent or occurred
        revision = payload.revision(ref, 2 + _step(when, occurred), control_id)
    reported = recorded if recorded and recorded >= occurred else None
    role = "child" if birth and _age_on(birth, occurred.astimezone(LONDON).date()) < 18 else None
    submission = {
        "agency": agency,
        "person": {
            "source_ref": source_ref,
            "local_authority": None,
            "given_name": given,
            "middle_names": middle,
            "family_name": family,
            "date_of_birth": birth.isoformat() if birth else None,
            "sex": sex,
            "nhs_number": nhs_number,
            "upn": None,
            "role": role,
            "addresses": addresses,
        },
        "concern": {
            "ref": ref,
            "occurred_at": _iso(occurred),
            "reported_at": _iso(reported) if reported else None,
            "category": category,
            "severity": severity,
            "sensitivity": "health_confidential",
            "summary": summary,
            "action_taken": action,
            "recorded_by": _recorded_by(message, enc),
            "revision": revision,
            "withdrawn": trigger == "A11",
        },
    }
    return submission


def _one(item: _Item, agency: str, payload: _Payload) -> dict:
    """The submission for one message; raises _Reject."""
    if item.truncated:
        raise _Reject("truncated_message", {"message": [item.truncated]})
    enc, fields = _header_fields(item.segments[0])
    codec = _charset(fields, enc)
    segments = _decode(item.segments, codec, enc)
    trigger, _version = _check_structure(segments, fields, enc)
    message = _library_parse("\r".join(s for s in segments if s[:3] in _MAPPED))
    return _map(message, trigger, agency, payload)


def parse(raw: bytes, agency: str) -> Iterator[dict | Rejected]:
    """Yield, in input order, one canonical event or one `Rejected` per message in `raw`."""
    payload = _Payload()
    number = 0
    for item in _split(raw):
        number += 1
        if item.problem is not None:
            yield Rejected(number, item.problem.reason, item.problem.fields)
            continue
        if not item.segments:
            yield Rejected(
                number,
                "truncated_message",
                {"message": ["An MLLP frame started but never ended: its message was cut off."]},
            )
            continue
        try:
            submission = _one(item, agency, payload)
        except _Reject as reject:
            yield Rejected(number, reject.reason, reject.fields)
            continue
        except Exception as exc:  # parse must never raise: a bug here rejects one message
            log.exception("HL7 v2 message %d could not be mapped", number)
            yield Rejected(
                number,
                "invalid_hl7",
                {"message": [f"Could not be read ({exc.__class__.__name__})."]},
            )
            continue
        yield to_event_or_reject(submission, number)
    if number == 0:
        yield Rejected(1, "invalid_hl7", {"message": ["Empty: no HL7 message (no MSH segment)."]})


def mllp_handler(
    agency: str,
    publish: Callable[[list[dict]], object],
    on_reject: Callable[[Rejected, bytes], object] | None = None,
) -> Callable[[bytes], tuple[bool, str]]:
    """A `handle` for `connectors.mllp.serve_mllp`: map each received payload, hand its events
    to `publish` and say how the sender should be acknowledged — ok (AA) when every message in
    it mapped, otherwise not ok (AE) with the first reject's reason, field and problem, e.g.
    "invalid_nhs_number PID-3: NHS number '9434765910' is not valid (…)". Events of the
    messages that did map are published either way (a resend repeats their event ids, which
    the hub recognises). `on_reject` receives each reject with the raw payload, for a
    dead-letter store."""

    def handle(message: bytes) -> tuple[bool, str]:
        events: list[dict] = []
        rejects: list[Rejected] = []
        for item in parse(message, agency):
            (rejects if isinstance(item, Rejected) else events).append(item)
        if events:
            publish(events)
        for reject in rejects:
            if on_reject is not None:
                on_reject(reject, message)
        if not rejects:
            return True, ""
        first = rejects[0]
        where, detail = _first_problem(first.fields)
        return False, f"{first.reason} {where}: {detail}"

    return handle


def _first_problem(fields: dict, prefix: str = "") -> tuple[str, str]:
    """The first (field, message) of a reject's fields, nested schema errors included
    ({"person": {"family_name": ["Too long."]}} gives ("person.family_name", "Too long."))."""
    for key, value in fields.items():
        where = f"{prefix}{key}"
        if isinstance(value, dict):
            return _first_problem(value, f"{where}.")
        if isinstance(value, list) and value:
            return where, str(value[0])
        return where, str(value)
    return prefix.rstrip(".") or "message", ""
