"""FHIR R4 Bundles from health systems (health visiting, GP, midwifery) → concern events.

Input: one FHIR R4 JSON Bundle (type transaction, batch, collection or message), or an NDJSON
file holding one Bundle per line. Resources are validated with the `fhir.resources.R4B` models,
so a structural error (a missing required element, an impossible date, an unknown element) is
reported by the library and turned into a message naming the element, e.g.
``entry[3].resource.birthDate: invalid date 2023-02-30 (day value is outside expected range)``.
Paths use FHIRPath's 0-based indexes.

Positions (`Rejected.line`):
- one Bundle: the entry number counted from 1 of the event resource the reject is about, so
  line 4 is ``entry[3]``. A problem with the whole payload or the Bundle itself is at line 1.
- NDJSON: the physical line of the Bundle in the file, for every reject about that Bundle (the
  field names still say which entry). Blank lines are skipped. A file is read as NDJSON when it
  is not one JSON document, has more than one non-blank line and at least one of them is by
  itself a JSON object with a ``resourceType`` (so a truncated pretty-printed Bundle gives one
  ``invalid_json`` reject, not one per line). A one-line NDJSON file is read as one Bundle.

What becomes an event: every Encounter, Flag and Observation about a Patient in the same Bundle
(``subject`` is resolved to an entry's ``fullUrl``, to ``Patient/<id>``, or by an identifier
reference to a Patient carrying the same identifier). Each is one concern, in entry order:

- Encounter with status ``cancelled`` (or the non-R4 ``noshow`` some systems send), or an
  Encounter / Observation / Flag whose type, code or value reads "not brought", "WNB", "did not
  attend", "no show" or "failed to attend" → ``was_not_brought`` for a child (under 18 on the
  day) or when the text says "not brought"; else ``did_not_attend`` (an adult, e.g. a pregnant
  woman missing antenatal care, or someone whose age is unknown).
  Severity medium, high when the same person has two or more in the Bundle. A cancelled
  Encounter is read as the family not attending: the sending system is expected to leave out
  appointments the service itself cancelled.
- Encounter whose type / serviceType / class / reason reads "health visit…" (or an Observation
  coded so) → ``health_visitor_contact``, low. A ``planned`` Encounter has not happened and is
  rejected (``unmapped_event``).
- Midwifery booking: an Encounter or Observation reading "booking" (from the midwifery agency, or
  with antenatal / maternity / midwife / pregnancy words), or an Observation of pregnancy
  (text "pregnan…", SNOMED CT 77386006, LOINC 82810-3) whose value does not say "not pregnant"
  → ``pregnancy_booking`` (low) for the mother (role carer, relationship ``child`` to each
  unborn child), and for each unborn child of hers in the Bundle one more event, concern ref
  ``<ref>:<unborn source_ref>``, role ``unborn``, relationship ``mother``. An unborn child is a
  Patient without birthDate linked to the mother by either a RelatedPerson (``patient`` = the
  unborn child, relationship v3-RoleCode MTH / NMTH / GESTMTH / BIRTHMTH or text "mother", tied
  to the mother's Patient by her ``Patient.link.other`` → the RelatedPerson, as in HL7's
  International Birth And Child Model, or by sharing an identifier with it), or by the
  extension `MOTHER_EXTENSION` (valueReference to the mother's Patient). The same link on a
  Patient with a birthDate (a baby) adds the ``mother`` relationship to its events. A booking
  recorded on the unborn child instead keeps ``<ref>`` for the child and gives the mother
  ``<ref>:<mother's source_ref>``.
- Flag reading "safeguard…" or "child protection" (code or category): status active →
  ``safeguarding_flag``, high; status inactive → ``safeguarding_flag_ended``, low (same ref: the
  flag's later state, so send it with a higher ``meta.versionId``).
- Status ``entered-in-error`` (any of the three) → the same concern ref with ``withdrawn: True``;
  its category is worked out as above, ignoring the status (``entered_in_error`` when nothing
  else says what it was).
- Anything else (a routine consultation, a blood pressure) is rejected as ``unmapped_event``
  with the text that was seen: it is not guessed into a category.

Fields: concern ref = ``<Type>/<id>`` (else ``<Type>/<first identifier value>``); revision =
``meta.versionId`` when it is an integer, else 1; occurred_at = Encounter.period.start,
Flag.period.start or Observation.effectiveDateTime / effectiveInstant / effectivePeriod.start;
summary = the resource's narrative (``text.div`` as plain text), else its type / code text;
sensitivity ``health_confidential``; reported_at is left to default to occurred_at (a record's
``meta.lastUpdated`` can precede the appointment it cancels); recorded_by = a role, never a name
(see below). Person: source_ref = Patient.id,
else its first non-NHS identifier; ``https://fhir.nhs.uk/Id/nhs-number`` identifier →
nhs_number; official (else usual, else unlabelled) name → family, given[0], given[1:] as
middle_names; birthDate; gender female / male / other / unknown → female / male / unknown /
unknown; each address → line (lines and city joined), postalCode, period → valid_from /
valid_to.

recorded_by, who recorded the concern, as a role: the ``code`` (text, else the first coding's
display) of the PractitionerRole that the Encounter's ``participant.individual``, the
Observation's ``performer`` or the Flag's ``author`` refers to — an entry of the Bundle or a
resource ``contained`` in the event resource — else, for an Encounter, the first
``participant.type`` (text, else display, e.g. "primary performer") of a participant who is
not the patient or a relative (a RelatedPerson). Cut to 120 characters, as the summary is cut
to 4,000. Practitioner names and reference ``display`` texts are never read: staff names are
personal data. Nothing found → none; a PractitionerRole that is not valid FHIR is passed over
(it does not cost the concern).

Times: a FHIR dateTime with a time always carries a zone (R4 requires it; one without is
rejected by the library). A date-only value is taken as midnight UK local time
(Europe/London: +00:00 in winter, +01:00 in summer). Partial dates (``2024`` or ``2024-05``) are
rejected as ``invalid_date``: the hub needs a day.

Rejects (reason codes): ``invalid_encoding``, ``invalid_json``, ``not_a_bundle``,
``unsupported_bundle_type``, ``invalid_fhir`` (the library's structural errors),
``invalid_date`` (only date errors), ``unresolved_reference``, ``invalid_nhs_number``,
``missing_source_ref``, ``missing_id``, ``missing_date``, ``unmapped_event``,
``unsupported_delete`` (a transaction DELETE of an event: send it as entered-in-error instead,
the hub needs the person), ``no_events`` (nothing at all to map in a Bundle) and
``invalid_event`` (the canonical schema's own checks). Other resource types are ignored.

Not handled: the agency is the caller's; FHIR carries no hub agency code, so ``wrong_agency``
cannot arise. References to resources outside the Bundle are not fetched (except that a mother
named as ``Patient/<id>`` is her record ``<id>``). ``contained`` resources (other than a
PractitionerRole, for recorded_by), Appointment, EpisodeOfCare and Composition are not read. A
Patient or RelatedPerson that no event needs is not reported even when invalid (an invalid
RelatedPerson cannot link an unborn child). Several bookings in one Bundle each give their own
concern. local_authority is left empty (FHIR addresses carry no ONS code).
"""

from __future__ import annotations

import datetime as dt
import html.parser
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from fhir.resources.R4B.bundle import Bundle, BundleEntry
from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.flag import Flag
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.practitionerrole import PractitionerRole
from fhir.resources.R4B.relatedperson import RelatedPerson
from stdnum.gb import nhs

from connectors.base import Rejected, decode_lines, to_event_or_reject

UK_TIME = ZoneInfo("Europe/London")
NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
# The hub's own extension for an unborn child's Patient: valueReference to the mother's Patient.
MOTHER_EXTENSION = "https://mash-hub.example/fhir/StructureDefinition/mother"
BUNDLE_TYPES = ("transaction", "batch", "collection", "message")
MODELS: dict[str, Any] = {
    "Patient": Patient,
    "RelatedPerson": RelatedPerson,
    "Encounter": Encounter,
    "Flag": Flag,
    "Observation": Observation,
    "PractitionerRole": PractitionerRole,  # read only for the role of who recorded an event
}
EVENT_TYPES = ("Encounter", "Flag", "Observation")
SENSITIVITY = "health_confidential"
MAX_RECORDED_BY = 120
REPEATED_MISSED = 2  # this many missed appointments for one person in a Bundle → high
_MISSED_CATEGORIES = ("was_not_brought", "did_not_attend")

_MOTHER_CODES = {"MTH", "NMTH", "GESTMTH", "BIRTHMTH"}
_PREGNANCY_CODES = {("http://snomed.info/sct", "77386006"), ("http://loinc.org", "82810-3")}
_NOT_BROUGHT = re.compile(r"\bnot brought\b|\bwnb\b", re.I)
_MISSED = re.compile(
    r"\bnot brought\b|\bwnb\b|did not attend|\bno[- ]?show\b|failed to attend", re.I
)
_HEALTH_VISIT = re.compile(r"health[- ]visit", re.I)
_BOOKING = re.compile(r"\bbooking", re.I)
_PREGNANCY_CONTEXT = re.compile(r"ante-?natal|maternity|midwi|pregnan", re.I)
_PREGNANCY = re.compile(r"pregnan", re.I)
_NOT_PREGNANT = re.compile(r"\bnot pregnant\b", re.I)
_SAFEGUARDING = re.compile(r"safeguard|child protection", re.I)
_REFERENCE = re.compile(
    r"(?:^|/)(Patient|RelatedPerson|PractitionerRole)/([A-Za-z0-9\-.]{1,64})"
    r"(?:/_history/[A-Za-z0-9\-.]{1,64})?$"
)
_DATE_ERRORS = {
    "date_parsing",
    "date_from_datetime_parsing",
    "date_from_datetime_inexact",
    "datetime_parsing",
    "datetime_from_date_parsing",
    "datetime_object_invalid",
}
_NO_ZONE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")


class _Problem(Exception):
    """A reason a resource cannot become an event: reason code and field messages."""

    def __init__(self, reason: str, fields: dict[str, list[str]]) -> None:
        super().__init__(reason)
        self.reason = reason
        self.fields = fields


@dataclass
class _Entry:
    index: int
    kind: str
    full_url: str | None
    rid: str | None  # the resource's id as sent (known even when the resource is invalid)
    model: Any = None
    problem: _Problem | None = None
    person: dict | None = None  # mapped once, on first use
    person_problem: _Problem | None = None

    @property
    def path(self) -> str:
        return f"entry[{self.index}].resource"

    @property
    def label(self) -> str:
        return f"{self.kind}/{self.rid}" if self.rid else f"{self.kind} at entry[{self.index}]"


@dataclass
class _Plan:
    """An event resource that maps: what it is about and what it says."""

    entry: _Entry
    subject: _Entry
    category: str
    severity: str
    withdrawn: bool
    occurred_at: str
    summary: str
    ref: str
    revision: int
    recorded_by: str | None = None
    extra: list[tuple[_Entry, str]] = field(default_factory=list)  # (unborn child, its ref)
    mother: _Entry | None = None


# --------------------------------------------------------------------------------------------
# The payload: one Bundle or NDJSON
# --------------------------------------------------------------------------------------------


def parse(raw: bytes, agency: str) -> Iterator[dict | Rejected]:
    """Yield, in input order, one canonical event (a dict) or one `Rejected` per event resource
    (or per Bundle, when a whole Bundle cannot be read). Never raises."""
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    text: str | None = None
    encoding_error = ""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        column = exc.start - (body.rfind(b"\n", 0, exc.start) + 1) + 1
        encoding_error = f"Not UTF-8: byte 0x{body[exc.start]:02x} at line {line} column {column}."
    json_error = ""
    if text is not None:
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as exc:
            json_error = _json_message(exc)
        else:
            yield from _bundle(data, agency, None)
            return
    numbered = [
        (number, line)
        for number, line in decode_lines(raw)
        if not isinstance(line, str) or line.strip()
    ]
    if not numbered:
        yield Rejected(1, "invalid_json", {"payload": ["Empty: expected a FHIR Bundle."]})
        return
    if len(numbered) > 1 and any(_is_resource_line(line) for _, line in numbered):
        for number, line in numbered:
            if isinstance(line, Rejected):
                yield line
                continue
            try:
                data = json.loads(line)
            except (ValueError, RecursionError) as exc:
                yield Rejected(number, "invalid_json", {"line": [_json_message(exc)]})
                continue
            yield from _bundle(data, agency, number)
        return
    if text is None:
        yield Rejected(1, "invalid_encoding", {"payload": [encoding_error]})
    else:
        yield Rejected(1, "invalid_json", {"payload": [json_error]})


def _json_message(exc: BaseException) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"Not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
    if isinstance(exc, RecursionError):
        return "Not usable JSON: nested too deeply."
    return f"Not usable JSON: {str(exc)[:200]}"


def _is_resource_line(line: str | Rejected) -> bool:
    if not isinstance(line, str) or not line.lstrip().startswith("{"):
        return False
    try:
        data = json.loads(line)
    except (ValueError, RecursionError):
        return False
    return isinstance(data, dict) and "resourceType" in data


# --------------------------------------------------------------------------------------------
# One Bundle
# --------------------------------------------------------------------------------------------


def _bundle(data: Any, agency: str, line: int | None) -> Iterator[dict | Rejected]:
    whole = line or 1

    def at(index: int) -> int:
        return line or index + 1

    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        found = (
            f"a {data['resourceType']!r} resource"
            if isinstance(data, dict) and isinstance(data.get("resourceType"), str)
            else f"a JSON {_json_kind(data)}"
        )
        yield Rejected(
            whole, "not_a_bundle", {"resourceType": [f"Expected a FHIR Bundle, found {found}."]}
        )
        return
    shell = {key: value for key, value in data.items() if key != "entry"}
    _, problem = _validate(Bundle, shell, "Bundle")
    if problem:
        yield Rejected(whole, problem.reason, problem.fields)
        return
    if data.get("type") not in BUNDLE_TYPES:
        kinds = ", ".join(BUNDLE_TYPES)
        message = f"Bundle type {_short(data.get('type'))} is not a submission; send {kinds}."
        yield Rejected(whole, "unsupported_bundle_type", {"Bundle.type": [message]})
        return
    raw_entries = data.get("entry", [])
    if not isinstance(raw_entries, list):
        yield Rejected(whole, "invalid_fhir", {"Bundle.entry": ["Must be a list of entries."]})
        return

    entries: list[_Entry] = []
    early: dict[int, Rejected] = {}  # entries rejected before any mapping
    seen: Counter[str] = Counter()  # resource types, for the reader of a no_events reject
    for index, raw_entry in enumerate(raw_entries):
        entry, reject = _read_entry(index, raw_entry, at(index), seen)
        if reject:
            early[index] = reject
        if entry:
            entries.append(entry)

    outcomes = _plan_events(entries, agency)
    counts = Counter(
        id(plan.subject)
        for plan in outcomes.values()
        if isinstance(plan, _Plan) and plan.category in _MISSED_CATEGORIES and not plan.withdrawn
    )
    produced = 0
    for index in range(len(raw_entries)):
        if index in early:
            produced += 1
            yield early[index]
        outcome = outcomes.get(index)
        if outcome is None:
            continue
        produced += 1
        if isinstance(outcome, _Problem):
            yield Rejected(at(index), outcome.reason, outcome.fields)
            continue
        repeats = counts[id(outcome.subject)]
        if outcome.category in _MISSED_CATEGORIES and repeats >= REPEATED_MISSED:
            outcome.severity = "high"
            outcome.summary += f" ({repeats} missed appointments in this submission.)"
        yield from _events(outcome, agency, at(index))
    if not produced:
        found = ", ".join(f"{kind} ×{n}" for kind, n in seen.items()) or "no entries"
        message = f"No Encounter, Flag or Observation about a Patient to map; found {found}."
        yield Rejected(whole, "no_events", {"Bundle.entry": [message]})


def _json_kind(data: Any) -> str:
    return {dict: "object", list: "array", str: "string"}.get(type(data), "value")


def _read_entry(
    index: int, raw_entry: Any, position: int, seen: Counter[str]
) -> tuple[_Entry | None, Rejected | None]:
    """The entry as read by the library (with its problems), a reject for an entry that cannot
    be read at all, or neither for an entry of a type that is not mapped."""
    path = f"entry[{index}]"
    if not isinstance(raw_entry, dict):
        return None, Rejected(position, "invalid_fhir", {path: ["An entry must be a JSON object."]})
    resource = raw_entry.get("resource")
    if resource is None:
        request = raw_entry.get("request")
        method = request.get("method") if isinstance(request, dict) else None
        url = request.get("url") if isinstance(request, dict) else None
        if method == "DELETE" and isinstance(url, str) and url.split("/")[0] in EVENT_TYPES:
            message = (
                f"DELETE {url} cannot be mapped: the hub needs to know whose concern it was."
                " Send the resource with status entered-in-error instead."
            )
            return None, Rejected(position, "unsupported_delete", {f"{path}.request": [message]})
        seen["entries without a resource"] += 1
        return None, None
    if not isinstance(resource, dict):
        return None, Rejected(
            position, "invalid_fhir", {f"{path}.resource": ["Must be a JSON object."]}
        )
    kind = resource.get("resourceType")
    if not isinstance(kind, str):
        return None, Rejected(
            position, "invalid_fhir", {f"{path}.resource.resourceType": ["Missing."]}
        )
    seen[kind[:60]] += 1
    if kind not in MODELS:
        return None, None
    full_url = raw_entry.get("fullUrl")
    rid = resource.get("id")
    entry = _Entry(
        index,
        kind,
        full_url if isinstance(full_url, str) else None,
        rid if isinstance(rid, str) and rid else None,
    )
    shell = {key: value for key, value in raw_entry.items() if key != "resource"}
    _, shell_problem = _validate(BundleEntry, shell, path)
    entry.model, problem = _validate(MODELS[kind], resource, entry.path)
    found = [p for p in (shell_problem, problem) if p]
    if found:
        entry.model = None
        reason = (
            "invalid_date" if all(p.reason == "invalid_date" for p in found) else "invalid_fhir"
        )
        entry.problem = _Problem(reason, {k: v for p in found for k, v in p.fields.items()})
    return entry, None


# --------------------------------------------------------------------------------------------
# Library validation → readable field messages
# --------------------------------------------------------------------------------------------


def _validate(model: Any, data: dict, prefix: str) -> tuple[Any, _Problem | None]:
    """The library's model of the data, or its errors as readable field messages."""
    try:
        return model.model_validate(data), None
    except Exception as exc:  # noqa: BLE001 - the library's error types vary (KeyError too)
        errors = getattr(exc, "errors", None)
        if not callable(errors):
            return None, _Problem(
                "invalid_fhir", {prefix: [f"Not valid FHIR R4: {_short(str(exc))}"]}
            )
        fields: dict[str, list[str]] = {}
        dates = True
        for error in errors():
            is_date, message = _message(error)
            dates = dates and is_date
            fields.setdefault(_path(prefix, error.get("loc", ())), []).append(message)
        return None, _Problem("invalid_date" if dates and fields else "invalid_fhir", fields)


def _path(prefix: str, loc: tuple) -> str:
    out = prefix
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and part not in ("resource_type",):
            out += f".{part}"
    return out


def _message(error: dict) -> tuple[bool, str]:
    kind = error.get("type", "")
    value = error.get("input")
    ctx = error.get("ctx") or {}
    reason = str(ctx.get("error", "")).strip()
    if kind in ("missing", "model_field_validation.missing"):
        return False, "Required, but missing."
    if kind == "extra_forbidden":
        return False, "Not an element of this FHIR R4 resource."
    if kind in _DATE_ERRORS:
        return True, f"invalid date {_short(value)}" + (f" ({reason})" if reason else "")
    if kind == "value_error" and re.search(r"\b(Date|DateTime|Instant|Time) value", reason):
        if isinstance(value, str) and _NO_ZONE.match(value):
            return True, (
                f"invalid dateTime {_short(value)}: a time must carry a time zone"
                " (Z or an offset such as +01:00)."
            )
        return True, f"invalid date {_short(value)} (not a FHIR date / dateTime)"
    message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    return False, message if value is None else f"{message} (got {_short(value)})"


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


# --------------------------------------------------------------------------------------------
# References, people, links between mother and child
# --------------------------------------------------------------------------------------------


class _Index:
    def __init__(self, entries: list[_Entry]) -> None:
        self.entries = entries
        self.by_key: dict[str, _Entry] = {}
        for entry in entries:
            if entry.kind not in ("Patient", "RelatedPerson", "PractitionerRole"):
                continue
            if entry.full_url:
                self.by_key.setdefault(entry.full_url, entry)
            if entry.rid:
                self.by_key.setdefault(f"{entry.kind}/{entry.rid}", entry)
        self.mothers: dict[int, _Entry | str] = {}  # child entry index → mother entry or ref
        self.mother_paths: dict[int, str] = {}
        self._link_mothers()

    def resolve(self, reference: Any, kinds: tuple[str, ...] = ("Patient",)) -> _Entry | None:
        if reference is None:
            return None
        ref = reference.reference
        if ref:
            found = self.by_key.get(ref)
            if found is None:
                match = _REFERENCE.search(ref)
                if match:
                    found = self.by_key.get(f"{match.group(1)}/{match.group(2)}")
            return found if found and found.kind in kinds else None
        ident = reference.identifier
        if ident is not None and ident.value:
            for entry in self.entries:
                if entry.kind in kinds and entry.model and _identifies(entry.model, ident):
                    return entry
        return None

    def _link_mothers(self) -> None:
        for entry in self.entries:
            if entry.kind != "Patient" or entry.model is None:
                continue
            for j, ext in enumerate(entry.model.extension or []):
                if ext.url == MOTHER_EXTENSION and ext.valueReference is not None:
                    target = self.resolve(ext.valueReference)
                    path = f"{entry.path}.extension[{j}].valueReference"
                    self.mothers[entry.index] = target or (ext.valueReference.reference or "")
                    self.mother_paths[entry.index] = path
        for related in self.entries:
            if related.kind != "RelatedPerson" or related.model is None:
                continue
            if not _is_mother(related.model):
                continue
            child = self.resolve(related.model.patient)
            if child is None or child.index in self.mothers:
                continue
            mother = self._patient_for(related)
            self.mothers[child.index] = mother or ""
            self.mother_paths[child.index] = related.path

    def _patient_for(self, related: _Entry) -> _Entry | None:
        """The mother's own Patient: the one whose link.other names this RelatedPerson, or one
        sharing an identifier with it."""
        for entry in self.entries:
            if entry.kind != "Patient" or entry.model is None:
                continue
            for link in entry.model.link or []:
                if self.resolve(link.other, ("RelatedPerson",)) is related:
                    return entry
        for ident in related.model.identifier or []:
            for entry in self.entries:
                if entry.kind == "Patient" and entry.model and _identifies(entry.model, ident):
                    return entry
        return None

    def unborn_children_of(self, mother: _Entry) -> list[_Entry]:
        return [
            entry
            for entry in self.entries
            if self.mothers.get(entry.index) is mother and _is_unborn(entry)
        ]


def _identifies(model: Any, ident: Any) -> bool:
    return any(
        own.value == ident.value and own.system == ident.system
        for own in (model.identifier or [])
        if own.value
    )


def _is_mother(related: Any) -> bool:
    for concept in related.relationship or []:
        if any(coding.code in _MOTHER_CODES for coding in concept.coding or []):
            return True
        if any(re.search(r"\bmother\b", text, re.I) for text in _texts([concept])):
            return True
    return False


def _is_unborn(entry: _Entry) -> bool:
    return entry.kind == "Patient" and entry.model is not None and entry.model.birthDate is None


def _person(entry: _Entry, index: _Index) -> dict:
    """The Patient as a canonical person (cached); raises _Problem if it cannot be one."""
    if entry.person_problem:
        raise entry.person_problem
    if entry.person is not None:
        return entry.person
    try:
        entry.person = _map_person(entry, index)
    except _Problem as problem:
        entry.person_problem = problem
        raise
    return entry.person


def _map_person(entry: _Entry, index: _Index) -> dict:
    if entry.problem:
        raise entry.problem
    patient, path = entry.model, entry.path
    nhs_number = None
    for j, ident in enumerate(patient.identifier or []):
        if ident.system != NHS_NUMBER_SYSTEM or not ident.value or nhs_number:
            continue
        if not nhs.is_valid(ident.value):
            message = (
                f"Not a valid NHS number: {_short(ident.value)} (10 digits with a modulus-11"
                " check)."
            )
            raise _Problem("invalid_nhs_number", {f"{path}.identifier[{j}].value": [message]})
        nhs_number = nhs.compact(ident.value)
    source_ref = _source_ref(entry)
    given, middle, family = _name(patient.name or [])
    birth = patient.birthDate
    if isinstance(birth, str):
        message = f"Partial date {birth}: the hub needs a full date of birth (YYYY-MM-DD) or none."
        raise _Problem("invalid_date", {f"{path}.birthDate": [message]})
    gender = patient.gender
    if gender not in (None, "female", "male", "other", "unknown"):
        message = f"Not an administrative gender: {_short(gender)} (female, male, other, unknown)."
        raise _Problem("invalid_fhir", {f"{path}.gender": [message]})
    addresses = []
    for j, address in enumerate(patient.address or []):
        parts = [*(address.line or []), address.city]
        line = ", ".join(part.strip() for part in parts if part and part.strip())
        if not line and not address.postalCode:
            continue
        period = address.period
        addresses.append(
            {
                "line": line or None,
                "postcode": address.postalCode,
                "valid_from": _day(period.start if period else None, f"{path}.address[{j}]"),
                "valid_to": _day(period.end if period else None, f"{path}.address[{j}]"),
            }
        )
    person: dict = {
        "source_ref": source_ref,
        "local_authority": None,
        "given_name": given,
        "middle_names": middle,
        "family_name": family,
        "date_of_birth": birth.isoformat() if birth else None,
        "sex": {"female": "female", "male": "male"}.get(
            gender or "", "unknown" if gender else None
        ),
        "nhs_number": nhs_number,
        "upn": None,
        "role": None,
        "addresses": addresses,
        "relationships": [],
    }
    mother = index.mothers.get(entry.index)
    if mother is not None:
        mother_ref = _ref_of(mother, index)
        if not mother_ref:
            message = "The mother named here is not a Patient in this Bundle."
            raise _Problem("unresolved_reference", {index.mother_paths[entry.index]: [message]})
        person["relationships"] = [{"type": "mother", "source_ref": mother_ref}]
    return person


def _source_ref(entry: _Entry) -> str:
    """The agency's id of the Patient's record: Patient.id, else its first local (non-NHS
    number) identifier."""
    if entry.problem:
        raise entry.problem
    if entry.model.id:
        return entry.model.id
    for ident in entry.model.identifier or []:
        if ident.value and ident.system != NHS_NUMBER_SYSTEM:
            return ident.value
    message = "The Patient has no id and no local identifier: its record cannot be named."
    raise _Problem("missing_source_ref", {f"{entry.path}.id": [message]})


def _ref_of(mother: _Entry | str, index: _Index) -> str | None:
    """The mother's source_ref: her Patient's, or the id of a ``Patient/<id>`` reference to a
    record the agency holds but did not send (source_ref is the Patient id)."""
    if isinstance(mother, _Entry):
        return _source_ref(mother)
    match = re.fullmatch(r"Patient/([A-Za-z0-9\-.]{1,64})", mother)
    return match.group(1) if match else None


def _name(names: list) -> tuple[str | None, str | None, str | None]:
    ranked = sorted(
        (name for name in names if name.use not in ("old", "maiden", "nickname", "anonymous")),
        key=lambda name: {"official": 0, "usual": 1, None: 2}.get(name.use, 3),
    )
    if not ranked:
        return None, None, None
    name = ranked[0]
    given = [part.strip() for part in name.given or [] if part and part.strip()]
    family = (name.family or "").strip() or None
    return (given[0] if given else None), (" ".join(given[1:]) or None), family


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------


def _instant(value: Any, path: str) -> str:
    """An aware ISO 8601 timestamp; a date alone is midnight UK local time (Europe/London)."""
    if isinstance(value, dt.date):
        if isinstance(value, dt.datetime):
            moment = value if value.tzinfo else value.replace(tzinfo=UK_TIME)
        else:
            moment = dt.datetime.combine(value, dt.time(0), tzinfo=UK_TIME)
        try:
            moment.astimezone(dt.UTC).astimezone(UK_TIME)
        except (OverflowError, ValueError):
            message = f"invalid date {moment.isoformat()}: outside the range of real dates."
            raise _Problem("invalid_date", {path: [message]}) from None
        return moment.isoformat()
    message = f"Partial date {_short(value)}: the hub needs at least a full date (YYYY-MM-DD)."
    raise _Problem("invalid_date", {path: [message]})


def _day(value: Any, path: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        moment = dt.datetime.fromisoformat(_instant(value, f"{path}.period"))
        return moment.astimezone(UK_TIME).date().isoformat()
    message = f"Partial date {_short(value)}: an address period needs full dates."
    raise _Problem("invalid_date", {f"{path}.period": [message]})


def _occurred(model: Any, kind: str, path: str) -> str:
    if kind == "Observation":
        candidates = [
            ("effectiveDateTime", model.effectiveDateTime),
            ("effectiveInstant", model.effectiveInstant),
            (
                "effectivePeriod.start",
                model.effectivePeriod.start if model.effectivePeriod else None,
            ),
        ]
    else:
        candidates = [("period.start", model.period.start if model.period else None)]
    for name, value in candidates:
        if value is not None:
            return _instant(value, f"{path}.{name}")
    wanted = " or ".join(name for name, _ in candidates)
    message = f"Missing: {wanted} is needed to date the concern."
    raise _Problem("missing_date", {f"{path}.{candidates[0][0]}": [message]})


# --------------------------------------------------------------------------------------------
# What an event resource says
# --------------------------------------------------------------------------------------------


def _texts(concepts: list) -> list[str]:
    out = []
    for concept in concepts:
        if concept is None:
            continue
        if concept.text:
            out.append(concept.text)
        out.extend(coding.display for coding in concept.coding or [] if coding.display)
    return out


def _codes(concepts: list) -> set[tuple[str | None, str | None]]:
    return {
        (coding.system, coding.code)
        for concept in concepts
        if concept is not None
        for coding in concept.coding or []
    }


def _describing(model: Any, kind: str) -> list:
    """The coded elements that say what the resource is."""
    if kind == "Encounter":
        klass = model.class_fhir
        concepts = [*(model.type or []), model.serviceType, *(model.reasonCode or [])]
        class_text = [klass.display] if klass is not None and klass.display else []
        return [concepts, class_text]
    if kind == "Flag":
        return [[model.code, *(model.category or [])], []]
    return [
        [model.code, model.valueCodeableConcept],
        [model.valueString] if model.valueString else [],
    ]


def _classify(
    model: Any, kind: str, status: str | None, agency: str, child: bool
) -> tuple[str, str] | str:
    """(category, severity), or a message saying why the resource does not map. A missed
    appointment is "was not brought" when the record says so or the person is a child; for
    an adult, or someone of unknown age, it is "did not attend"."""
    concepts, extra = _describing(model, kind)
    words = " | ".join([*_texts(concepts), *extra])
    brought = child or bool(_NOT_BROUGHT.search(words))
    missed = ("was_not_brought", "medium") if brought else ("did_not_attend", "medium")
    if kind == "Flag" and status == "inactive":
        if _SAFEGUARDING.search(words):
            return "safeguarding_flag_ended", "low"
        return f"An inactive flag records no new concern ({words or 'no code text'})."
    if kind == "Encounter" and status in ("cancelled", "noshow"):
        return missed
    if _MISSED.search(words):
        return missed
    if kind == "Flag" and _SAFEGUARDING.search(words):
        return "safeguarding_flag", "high"
    if kind != "Flag" and _is_booking(model, kind, words, agency):
        return "pregnancy_booking", "low"
    if kind != "Flag" and _HEALTH_VISIT.search(words):
        if kind == "Encounter" and status == "planned":
            return "A planned health visitor contact has not happened yet."
        return "health_visitor_contact", "low"
    if kind == "Observation" and status == "cancelled":
        return "A cancelled Observation was never made."
    return (
        f"Not a health visitor contact, missed appointment, booking or safeguarding flag"
        f" ({words or 'no type or code text'}); not mapped."
    )


def _is_booking(model: Any, kind: str, words: str, agency: str) -> bool:
    if _BOOKING.search(words) and (agency == "midwifery" or _PREGNANCY_CONTEXT.search(words)):
        return True
    if kind != "Observation":
        return False
    code_words = " ".join(_texts([model.code]))
    pregnancy = bool(_PREGNANCY.search(code_words)) or bool(_codes([model.code]) & _PREGNANCY_CODES)
    value_words = " ".join(_texts([model.valueCodeableConcept]) + [model.valueString or ""])
    return pregnancy and not _NOT_PREGNANT.search(value_words)


def _summary(model: Any, kind: str, category: str) -> str:
    narrative = _narrative(model.text.div) if model.text is not None and model.text.div else ""
    if narrative:
        return narrative[:4000]
    concepts, extra = _describing(model, kind)
    words = [*_texts(concepts), *extra]
    label = "; ".join(dict.fromkeys(words)) or f"{kind} ({model.status})"
    return f"{category.replace('_', ' ').capitalize()}: {label}"[:4000]


class _TextOnly(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _narrative(div: str) -> str:
    """The narrative's words as plain text: markup is read as text and dropped, never run."""
    reader = _TextOnly()
    try:
        reader.feed(div)
        reader.close()
    except Exception:  # noqa: BLE001 - a broken narrative just falls back to the codes
        return ""
    return " ".join(" ".join(reader.parts).split())


def _recorded_by(model: Any, kind: str, index: _Index) -> str | None:
    """The role of who recorded the event (see the module docstring); never a name."""
    if kind == "Encounter":
        participants = [(p.individual, p.type or []) for p in model.participant or []]
    elif kind == "Flag":
        participants = [(model.author, [])]
    else:
        participants = [(reference, []) for reference in model.performer or []]
    roles = [_role_code(reference, model, index) for reference, _ in participants]
    roles += [
        text
        for reference, types in participants
        if not _is_family(reference, index)
        for text in _texts(types)
    ]
    role = next((role.strip() for role in roles if role and role.strip()), None)
    return role[:MAX_RECORDED_BY].rstrip() if role else None


def _is_family(reference: Any, index: _Index) -> bool:
    """Whether an Encounter participant is the patient or a relative, who records nothing."""
    if reference is None:
        return False
    if index.resolve(reference, ("Patient", "RelatedPerson")) is not None:
        return True
    return bool(re.match(r"(Patient|RelatedPerson)/", reference.reference or ""))


def _role_code(reference: Any, model: Any, index: _Index) -> str | None:
    """The code of the PractitionerRole a reference names, in the Bundle or contained."""
    if reference is None:
        return None
    target = reference.reference or ""
    if target.startswith("#"):
        role = next(
            (
                resource
                for resource in model.contained or []
                if resource.get_resource_type() == "PractitionerRole" and resource.id == target[1:]
            ),
            None,
        )
    else:
        entry = index.resolve(reference, ("PractitionerRole",))
        role = entry.model if entry is not None else None
    texts = _texts(role.code or []) if role is not None else []
    return texts[0] if texts else None


def _revision(model: Any) -> int:
    version = model.meta.versionId if model.meta is not None else None
    if version and version.isascii() and version.isdigit() and int(version) >= 1:
        return int(version)
    return 1


def _concern_ref(entry: _Entry) -> str:
    model = entry.model
    if model.id:
        return f"{entry.kind}/{model.id}"
    for ident in model.identifier or []:
        if ident.value:
            return f"{entry.kind}/{ident.value}"
    message = "No id and no identifier: the concern could not be amended or withdrawn later."
    raise _Problem("missing_id", {f"{entry.path}.id": [message]})


def _plan_events(entries: list[_Entry], agency: str) -> dict[int, _Plan | _Problem]:
    index = _Index(entries)
    outcomes: dict[int, _Plan | _Problem] = {}
    for entry in entries:
        if entry.kind not in EVENT_TYPES:
            continue
        try:
            outcomes[entry.index] = _plan(entry, index, agency)
        except _Problem as problem:
            outcomes[entry.index] = problem
    return outcomes


def _plan(entry: _Entry, index: _Index, agency: str) -> _Plan:
    if entry.problem:
        raise entry.problem
    model, path = entry.model, entry.path
    subject = index.resolve(model.subject)
    if subject is None:
        shown = _short(model.subject.reference or "an identifier") if model.subject else "none"
        message = f"The subject ({shown}) is not a Patient in this Bundle."
        raise _Problem("unresolved_reference", {f"{path}.subject": [message]})
    person = _person(subject, index)
    occurred_at = _occurred(model, entry.kind, path)
    child = 0 <= _age(person["date_of_birth"], occurred_at) < 18
    withdrawn = model.status == "entered-in-error"
    if withdrawn:
        # What was it before it was found to be in error? Read it without the status.
        classified = _classify(model, entry.kind, None, agency, child)
        if isinstance(classified, str):
            classified = ("entered_in_error", "low")
    else:
        classified = _classify(model, entry.kind, model.status, agency, child)
    if isinstance(classified, str):
        raise _Problem("unmapped_event", {path: [f"{entry.label}: {classified}"]})
    category, severity = classified
    plan = _Plan(
        entry=entry,
        subject=subject,
        category=category,
        severity=severity,
        withdrawn=withdrawn,
        occurred_at=occurred_at,
        summary=_summary(model, entry.kind, category),
        ref=_concern_ref(entry),
        revision=_revision(model),
        recorded_by=_recorded_by(model, entry.kind, index),
    )
    if category == "pregnancy_booking":
        mother = index.mothers.get(subject.index) if _is_unborn(subject) else None
        if isinstance(mother, _Entry):
            plan.mother = mother
        elif mother is None:
            plan.mother = subject
        if plan.mother is not None:
            _person(plan.mother, index)
            for unborn in index.unborn_children_of(plan.mother):
                _person(unborn, index)
                plan.extra.append((unborn, f"{plan.ref}:{unborn.person['source_ref']}"))
    return plan


def _age(birth: str | None, occurred_at: str) -> float:
    if not birth:
        return -1.0
    born = dt.date.fromisoformat(birth)
    day = dt.datetime.fromisoformat(occurred_at).astimezone(UK_TIME).date()
    return (day - born).days / 365.25


# --------------------------------------------------------------------------------------------
# Plans → canonical events
# --------------------------------------------------------------------------------------------


def _events(plan: _Plan, agency: str, position: int) -> Iterator[dict | Rejected]:
    subject = plan.subject
    people: list[tuple[_Entry, str, str]] = []  # (patient, concern ref, summary)
    if plan.mother is not None and plan.mother is not subject:
        # A booking recorded on the unborn child: the mother's concern first, then the child's.
        people.append((plan.mother, f"{plan.ref}:{plan.mother.person['source_ref']}", plan.summary))
        people.append((subject, plan.ref, f"Unborn child: {plan.summary}"))
    else:
        people.append((subject, plan.ref, plan.summary))
    for child, ref in plan.extra:
        if child is not subject:
            people.append((child, ref, f"Unborn child: {plan.summary}"))
    for patient, ref, summary in people:
        person = dict(patient.person or {})
        age = _age(person["date_of_birth"], plan.occurred_at)
        if _is_unborn(patient) and person["relationships"]:
            person["role"] = "unborn"
        elif 0 <= age < 18:
            person["role"] = "child"  # a pregnant girl is a child first
        elif patient is plan.mother:
            person["role"] = "carer"
        if patient is plan.mother:
            person["relationships"] = person["relationships"] + [
                {"type": "child", "source_ref": child.person["source_ref"]}
                for child, _ in plan.extra
            ]
        submission = {
            "agency": agency,
            "person": person,
            "concern": {
                "ref": ref,
                "occurred_at": plan.occurred_at,
                "category": plan.category,
                "severity": plan.severity,
                "sensitivity": SENSITIVITY,
                "summary": ("Entered in error: " + summary)[:4000] if plan.withdrawn else summary,
                "action_taken": None,
                "recorded_by": plan.recorded_by,
                "revision": plan.revision,
                "withdrawn": plan.withdrawn,
            },
        }
        outcome = to_event_or_reject(submission, position)
        if isinstance(outcome, Rejected):
            context = f"{plan.entry.label} (entry[{plan.entry.index}]) about {patient.label}"
            outcome = Rejected(
                outcome.line, outcome.reason, {**outcome.fields, "source": [context]}
            )
        yield outcome
