"""A synthetic HL7 v2 ADT feed from an invented hospital's emergency department.

Everything is made up: the people come from `hub.synthetic.population` (the emergency
department's own records of them, with its recording habits: upper-case surnames, missing NHS
numbers), the hospital is "Synthetic General Hospital" (SYNGH, sending application SYNED), and
complaints, wards, staff and visit numbers are invented. Deterministic for a seed.

- `adt_message(visit)`: one ADT message from a `Visit`; `example_visit(**changes)` gives a
  clean example to change one thing in (tests use both).
- `sample_messages(seed, messages)` / `write_sample(path, seed, messages)`: a realistic file —
  A&E attendances (A04) of children and adults, admissions (A01), updates (A08) of earlier
  visits and a cancelled visit (A11), in the order a hospital would send them, across HL7
  versions 2.3, 2.4 and 2.5, mostly in UK local time and some with explicit UTC offsets.
  Every visit names the clerk who registered it (EVN-5) and an admission its attending doctor
  (PV1-7), with a degree for most: the connector keeps only their roles.
- `bad_messages()`: malformed messages, each with the reject reason it must produce.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from zoneinfo import ZoneInfo

from stdnum.gb import nhs

from hub.schemas import UK_POSTCODE
from hub.synthetic.population import PopulationRecord, generate_population

LONDON = ZoneInfo("Europe/London")
APPLICATION = "SYNED"
FACILITY = "SYNGH"  # Synthetic General Hospital: invented
RECEIVER = ("MASHHUB", "MASH")
_POSTCODE = re.compile(UK_POSTCODE)

CHILD_COMPLAINTS: tuple[tuple[str, float], ...] = (
    ("Fever and cough", 10),
    ("Breathing difficulty - wheeze", 8),
    ("Abdominal pain", 6),
    ("Vomiting and diarrhoea", 6),
    ("Rash", 4),
    ("Fall from trampoline - wrist injury", 6),
    ("Head injury - fell down stairs", 5),
    ("Burn to hand - hot kettle", 3),
    ("Scald from hot drink", 2),
    ("Dog bite to face", 2),
    ("Accidental ingestion of parent's tablets", 3),
    ("Overdose - paracetamol", 3),
    ("Self harm - lacerations to forearm", 3),
    ("Assault - facial injury", 2),
    ("Alcohol intoxication", 2),
    ("Unexplained bruising - query non-accidental injury", 1),
)
ADULT_COMPLAINTS: tuple[tuple[str, float], ...] = (
    ("Chest pain", 8),
    ("Shortness of breath", 6),
    ("Abdominal pain", 6),
    ("Laceration to hand", 4),
    ("Fall - hip pain", 4),
    ("Assault - facial injuries, domestic", 3),
    ("Overdose - intentional", 2),
    ("Alcohol intoxication", 3),
    ("Headache", 4),
    ("Back pain", 4),
)
DIAGNOSES = {
    "wrist": ("S62.8", "Fracture of wrist"),
    "head injury": ("S09.9", "Head injury, unspecified"),
    "burn": ("T23.2", "Burn of hand, second degree"),
    "overdose": ("T39.1", "Poisoning by paracetamol"),
    "lacerations": ("S51.8", "Open wound of forearm"),
    "wheeze": ("J45.9", "Asthma, unspecified"),
}
WARDS = ("Ward 4 Paediatrics", "Ward 12 Acute Medicine", "Ward 7 Surgical", "Children's Ward")
# Invented staff, as XCN parts: doctors (ID, family, given, degree) named in PV1-7 of an
# admission, and reception clerks (ID, family, given) named in EVN-5 of every visit.
DOCTORS = (
    ("C4471022", "Adeyemi", "Tolu", "MBBS"),
    ("C5102938", "Hartley", "Fiona", "MB ChB"),
    ("C6620417", "Brennan", "Ciaran", ""),
)
CLERKS = (("SYNOP014", "Pilling", "Dawn"), ("SYNOP027", "Mahmood", "Sana"))


@dataclass(frozen=True)
class Visit:
    """What an ADT message says: one person's visit as the hospital's system sends it."""

    event: str  # A01, A04, A08, A11
    mrn: str
    visit: str
    admit: dt.datetime  # aware, Europe/London
    recorded: dt.datetime
    family: str = ""
    given: str = ""
    middle: str = ""
    dob: str = ""  # YYYYMMDD
    sex: str = ""  # M, F, U
    nhs_number: str = ""
    street: str = ""
    city: str = ""
    postcode: str = ""
    patient_class: str = "E"
    complaint: str = ""
    diagnosis: tuple[str, str] | None = None
    safeguarding: bool = False
    ward: str = ""
    version: str = "2.4"
    control_id: str = "SYN000001"
    attending: tuple[str, str, str, str] | None = None  # PV1-7: ID, family, given, degree
    operator: tuple[str, str, str] | None = None  # EVN-5: ID, family, given
    with_offset: bool = False  # timestamps with an explicit +hhmm offset


def escape(text: str) -> str:
    """HL7 escaping of data values (default encoding characters)."""
    text = text.replace("\\", "\\E\\")
    for char, code in (("|", "F"), ("^", "S"), ("~", "R"), ("&", "T")):
        text = text.replace(char, f"\\{code}\\")
    return " ".join(text.split())


def hl7_time(moment: dt.datetime, with_offset: bool = False) -> str:
    local = moment.astimezone(LONDON)
    return local.strftime("%Y%m%d%H%M%S%z" if with_offset else "%Y%m%d%H%M%S")


def adt_message(v: Visit) -> bytes:
    """One ADT message for the visit, segments ending in CR."""
    trigger_structure = {"A01": "ADT_A01", "A04": "ADT_A01", "A08": "ADT_A01", "A11": "ADT_A09"}
    message_type = f"ADT^{v.event}"
    if v.version != "2.3":
        message_type += f"^{trigger_structure.get(v.event, 'ADT_A01')}"
    msh = [
        "MSH",
        "^~\\&",
        APPLICATION,
        FACILITY,
        *RECEIVER,
        hl7_time(v.recorded, v.with_offset),
        "",
        message_type,
        v.control_id,
        "P",
        v.version,
    ]
    evn = ["EVN", v.event, hl7_time(v.recorded, v.with_offset)]
    if v.operator:
        evn += ["", "", "^".join(escape(p) for p in v.operator)]
    identifiers = [f"{escape(v.mrn)}^^^{FACILITY}^MR"]
    if v.nhs_number:
        identifiers.append(f"{v.nhs_number}^^^NHS^NH")
    name = "^".join(escape(p) for p in (v.family, v.given, v.middle)).rstrip("^")
    address = ""
    if v.street or v.postcode:
        address = f"{escape(v.street)}^^{escape(v.city)}^^{escape(v.postcode)}".rstrip("^")
    pid = ["PID", "1", "", "~".join(identifiers), "", name, "", v.dob, v.sex, "", "", address]
    pv1 = ["PV1", "1", v.patient_class] + [""] * 42
    location = f"{escape(v.ward)}^^^{FACILITY}" if v.ward else f"ED^^^{FACILITY}"
    pv1[3] = location
    if v.attending:
        ident, family, given, degree = (escape(p) for p in v.attending)
        pv1[7] = f"{ident}^{family}^{given}^^^Dr^{degree}".rstrip("^")
    pv1[19] = escape(v.visit)
    pv1[44] = hl7_time(v.admit, v.with_offset)
    segments = ["|".join(msh), "|".join(evn), "|".join(pid), "|".join(pv1)]
    if v.complaint:
        segments.append(f"PV2|||^{escape(v.complaint)}")
    if v.diagnosis:
        code, text = v.diagnosis
        segments.append(f"DG1|1||{code}^{escape(text)}^I10|{escape(text)}|||W")
    if v.safeguarding:
        segments.append("OBX|1|CE|SGF^Safeguarding concern^L||Y^Yes^HL70136||||||F")
    return ("\r".join(segments) + "\r").encode("utf-8")


# --------------------------------------------------------------------------------------------
# The sample file
# --------------------------------------------------------------------------------------------


def _eligible(record: PopulationRecord) -> bool:
    """A record this hospital could send cleanly (keying errors belong in bad_messages)."""
    return (
        record.agency == "health_ae"
        and bool(record.family_name.strip())
        and (not record.nhs_number or nhs.is_valid(record.nhs_number))
        and (not record.date_of_birth or len(record.date_of_birth) == 10)
        and (not record.postcode or bool(_POSTCODE.match(record.postcode)))
    )


def _pick(rng: random.Random, options: Sequence[tuple[str, float]]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def _diagnosis(complaint: str) -> tuple[str, str] | None:
    lowered = complaint.lower()
    return next((d for key, d in DIAGNOSES.items() if key in lowered), None)


def _base_visit(
    rng: random.Random, person: PopulationRecord, event: str, number: int, admit: dt.datetime
) -> Visit:
    dob = dt.date.fromisoformat(person.date_of_birth) if person.date_of_birth else None
    child = dob is not None and (admit.date() - dob).days < 18 * 365.25
    complaint = _pick(rng, CHILD_COMPLAINTS if child else ADULT_COMPLAINTS)
    injury = any(w in complaint.lower() for w in ("injur", "bruis", "burn", "scald", "fall"))
    prefix = "IP" if event == "A01" else "ED"
    return Visit(
        event=event,
        mrn=person.source_ref.removeprefix("ED-"),
        visit=f"{prefix}{admit:%y}{number:06d}",
        admit=admit,
        recorded=admit + dt.timedelta(minutes=rng.randint(0, 3)),
        family=person.family_name.strip(),
        given=person.given_name.strip(),
        middle=person.middle_names.strip(),
        dob=dob.strftime("%Y%m%d") if dob else "",
        sex={"female": "F", "male": "M"}.get(person.sex, "U"),
        nhs_number=nhs.compact(person.nhs_number) if person.nhs_number else "",
        street=person.address_line.strip(),
        postcode=person.postcode.strip(),
        patient_class="I" if event == "A01" else "E",
        complaint=complaint,
        diagnosis=_diagnosis(complaint) if rng.random() < 0.5 else None,
        safeguarding=child and injury and rng.random() < 0.25,
        ward=rng.choice(WARDS) if event == "A01" else "",
        version=rng.choices(("2.3", "2.4", "2.5"), weights=(2, 5, 3))[0],
        with_offset=rng.random() < 0.2,
        attending=DOCTORS[number % len(DOCTORS)] if event == "A01" else None,
        operator=CLERKS[number % len(CLERKS)],
    )


def _visits(seed: int, messages: int) -> list[Visit]:
    rng = random.Random(f"hl7v2:{seed}")
    households = min(400, max(10, messages // 2 + 10))
    people = [r for r in generate_population(households, seed) if _eligible(r)]
    start = dt.datetime(2025, 1, 1, tzinfo=LONDON)
    visits: list[Visit] = []
    originals: list[Visit] = []
    cancelled: set[str] = set()
    last_recorded: dict[str, dt.datetime] = {}  # per visit: no update after its cancellation
    number = 0
    while len(visits) < messages:
        roll = rng.random()
        open_visits = [v for v in originals if v.visit not in cancelled]
        last_one = len(visits) == messages - 1 and messages >= 10
        if last_one and not cancelled and open_visits:
            roll = 0.16  # a file of ten or more messages has at least one cancellation
        if open_visits and roll < 0.14:  # an update of an earlier visit
            original = rng.choice(open_visits)
            later = original.admit + dt.timedelta(minutes=rng.randint(20, 900))
            last_recorded[original.visit] = max(later, last_recorded[original.visit])
            complaint = original.complaint
            visits.append(
                replace(
                    original,
                    event="A08",
                    recorded=later,
                    diagnosis=original.diagnosis or _diagnosis(complaint),
                    with_offset=rng.random() < 0.2,
                )
            )
            continue
        if open_visits and roll < 0.17:  # a visit recorded in error, cancelled
            original = rng.choice(open_visits)
            cancelled.add(original.visit)
            later = last_recorded[original.visit] + dt.timedelta(minutes=rng.randint(5, 120))
            visits.append(replace(original, event="A11", recorded=later))
            continue
        person = rng.choice(people)
        minute = rng.randrange(365 * 24 * 60)
        admit = (start + dt.timedelta(minutes=minute)).astimezone(LONDON)
        if person.date_of_birth and dt.date.fromisoformat(person.date_of_birth) >= admit.date():
            continue  # not born yet on that day
        number += 1
        event = "A01" if roll < 0.37 else "A04"
        visit = _base_visit(rng, person, event, number, admit)
        originals.append(visit)
        last_recorded[visit.visit] = visit.recorded
        visits.append(visit)
    visits.sort(key=lambda v: v.recorded)
    return [replace(v, control_id=f"SYN{seed % 100:02d}{i:06d}") for i, v in enumerate(visits, 1)]


def sample_messages(seed: int = 1, messages: int = 50) -> list[bytes]:
    """The sample feed as a list of messages (each one message's bytes, segments ending CR)."""
    return [adt_message(v) for v in _visits(seed, messages)]


def sample_visits(seed: int = 1, messages: int = 50) -> list[Visit]:
    """What each message of `sample_messages(seed, messages)` says, in the same order."""
    return _visits(seed, messages)


def write_sample(path: str | Path, seed: int = 1, messages: int = 50) -> None:
    """Write the sample feed as one HL7 file: the messages one after another, CR-terminated."""
    Path(path).write_bytes(b"".join(sample_messages(seed, messages)))


# --------------------------------------------------------------------------------------------
# Malformed messages
# --------------------------------------------------------------------------------------------


def example_visit(**changes: object) -> Visit:
    """One A&E attendance of an invented child (Amelia Nowak, 6, head injury, March 2025) that
    maps cleanly; `changes` replace any of its values."""
    base = Visit(
        event="A04",
        mrn="80011234",
        visit="ED25900001",
        admit=dt.datetime(2025, 3, 14, 21, 5, tzinfo=LONDON),
        recorded=dt.datetime(2025, 3, 14, 21, 7, tzinfo=LONDON),
        family="Nowak",
        given="Amelia",
        dob="20180412",
        sex="F",
        nhs_number="9434765919",
        street="12 Mill Lane",
        city="Leeds",
        postcode="LS6 2AA",
        complaint="Head injury - fell down stairs",
        control_id="SYNBAD0001",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _swap(message: bytes, old: bytes, new: bytes) -> bytes:
    assert old in message, old
    return message.replace(old, new, 1)


def _drop_segment(message: bytes, name: bytes) -> bytes:
    return b"".join(s + b"\r" for s in message.split(b"\r") if s and not s.startswith(name))


def bad_messages() -> list[tuple[bytes, str]]:
    """Malformed ADT messages and the reject reason each must produce.

    Each is one item on its own: it can be sent as a payload, framed for MLLP, or put between
    good messages in a file (except the first, plain text, which in a file would become a line
    of the message before it)."""
    good = adt_message(example_visit())
    future = dt.datetime.now(LONDON) + dt.timedelta(days=30)
    return [
        (b"This is not an HL7 message, just a line of text.\r", "invalid_hl7"),
        (
            b"MSH|^~\\&|SYNLAB|SYNGH|MASHHUB|MASH|20250314211500||ORU^R01^ORU_R01|SYNBAD0002|P|2.4"
            b"\rPID|1||80011234^^^SYNGH^MR||Nowak^Amelia\rOBR|1||X1|FBC\r",
            "unsupported_message_type",
        ),
        (_swap(good, b"ADT^A04^ADT_A01", b"ADT^A13^ADT_A01"), "unsupported_message_type"),
        (_swap(good, b"|P|2.4", b"|P|2.7"), "unsupported_version"),
        (good[: good.index(b"PV1|") + 2], "truncated_message"),
        (b"MSH|^~\\&|SYNED|SYNGH|MASHHUB\r", "truncated_message"),
        (_drop_segment(good, b"PV1"), "missing_segment"),
        (_drop_segment(good, b"PID"), "missing_segment"),
        (adt_message(example_visit(nhs_number="9434765910")), "invalid_nhs_number"),
        (adt_message(example_visit(dob="20230230")), "invalid_date"),
        (_swap(good, b"|20250314210500", b"|20250231210500"), "invalid_date"),
        (_swap(good, b"Nowak", "Nowák".encode("latin-1")), "invalid_encoding"),
        (_swap(good, b"MSH|^~\\&|", b"MSH|^^^^|"), "invalid_hl7"),
        (_swap(good, b"PV2|", b"pv2 "), "invalid_hl7"),
        (
            _drop_pv1_44(adt_message(example_visit(event="A08", control_id="SYNBAD0003"))),
            "missing_field",
        ),
        (_swap(good, b"80011234^^^SYNGH^MR~", b""), "missing_field"),
        (adt_message(example_visit(sex="X")), "invalid_value"),
        (adt_message(example_visit(postcode="NOT A CODE")), "invalid_value"),
        (adt_message(example_visit(family="N" * 121)), "invalid_event"),
        (adt_message(example_visit(admit=future, recorded=future)), "invalid_event"),
    ]


def _drop_pv1_44(message: bytes) -> bytes:
    segments = message.split(b"\r")
    for i, segment in enumerate(segments):
        if segment.startswith(b"PV1|"):
            fields = segment.split(b"|")
            fields[44] = b""
            segments[i] = b"|".join(fields)
    return b"\r".join(segments)
