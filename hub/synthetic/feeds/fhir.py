"""A synthetic FHIR R4 feed from a health trust: NDJSON, one Bundle per line. Never real people.

The people come from `hub.synthetic.population` (invented names, valid NHS numbers that belong
to nobody, made-up addresses). The Bundles cycle through what health visiting, GP and midwifery
systems send about children: a health visitor home visit, missed appointments (once, and twice
in one Bundle), a midwifery booking with the unborn child and a RelatedPerson for the mother, a
safeguarding flag, a message Bundle, and a later Bundle marking an earlier visit as entered in
error. Who recorded a visit or a flag is said by role (a PractitionerRole, contained in the
home visit's Encounter or an entry beside the Flag), never by a practitioner's name.
`bad_bundles()` gives malformed payloads with the reject reason each must produce.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

from hub.synthetic.population import TruePerson, iter_households

UK_TIME = ZoneInfo("Europe/London")
NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
V3_ACT = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
V3_ROLE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
SNOMED = "http://snomed.info/sct"
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
V3_PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
MOTHER_EXTENSION = "https://mash-hub.example/fhir/StructureDefinition/mother"
FIRST_DAY = dt.datetime(2026, 1, 5, 9, 30, tzinfo=UK_TIME)  # before any test's "now"
POPULATION_REFERENCE = dt.date(2026, 1, 1)  # the population generator's "today"
HV_VISITS = ("New birth visit", "6-8 week review", "1 year review", "2-2½ year review")


class _Feed:
    def __init__(self, seed: int, bundles: int) -> None:
        self.rng = random.Random(f"fhir-feed:{seed}")
        households = list(iter_households(max(30, bundles * 3), seed))
        self.children = [p for h in households for p in h.people if _under_five(p)]
        self.mothers = [p for h in households for p in h.people if _expectant(p)]
        self.homes = {h.household_id: h for h in households}
        self.visits: list[tuple[dict, dict]] = []  # (Patient, Encounter) sent, to withdraw
        self.serial = 0

    def next_id(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}-{self.serial:05d}"

    def child(self, n: int) -> TruePerson:
        return self.children[n % len(self.children)]

    def mother(self, n: int) -> TruePerson:
        return self.mothers[n % len(self.mothers)]

    def patient(self, person: TruePerson) -> dict:
        home = (person.addresses or self.homes[person.household_id].addresses)[-1]
        resource: dict = {
            "resourceType": "Patient",
            "id": f"P{person.person_id[1:]}",
            "identifier": [],
            "name": [{"use": "official", "family": person.family, "given": _given(person)}],
            "gender": person.sex if person.sex in ("female", "male") else "unknown",
            "address": [
                {
                    "use": "home",
                    "line": [home.line],
                    "city": home.town,
                    "postalCode": home.postcode,
                }
            ],
        }
        if person.nhs:
            resource["identifier"].append({"system": NHS_NUMBER_SYSTEM, "value": person.nhs})
        else:
            del resource["identifier"]
        if person.dob:
            resource["birthDate"] = person.dob.isoformat()
        return resource


def _under_five(person: TruePerson) -> bool:
    return (
        person.role == "child"
        and person.dob is not None
        and 0 <= (POPULATION_REFERENCE - person.dob).days < 5 * 365
    )


def _expectant(person: TruePerson) -> bool:
    return (
        person.relation == "mother"
        and person.dob is not None
        and 18 * 365 < (POPULATION_REFERENCE - person.dob).days < 42 * 365
    )


def _given(person: TruePerson) -> list[str]:
    return [part for part in (person.given, *person.middle) if part]


_FULL_URLS = uuid.UUID("0e6f2b0a-5c1d-4f7e-9a43-8b2d6c1f3e57")


def _entry(resource: dict) -> dict:
    full_url = uuid.uuid5(_FULL_URLS, f"{resource['resourceType']}/{resource['id']}")
    return {"fullUrl": f"urn:uuid:{full_url}", "resource": resource}


def _bundle(kind: str, *resources: dict) -> dict:
    return {"resourceType": "Bundle", "type": kind, "entry": [_entry(r) for r in resources]}


def _narrative(text: str) -> dict:
    return {"status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{text}</div>'}


def _encounter(feed: _Feed, patient: dict, when: dt.datetime, **fields: object) -> dict:
    return {
        "resourceType": "Encounter",
        "id": feed.next_id("enc"),
        "meta": {"versionId": "1"},
        "subject": {"reference": f"Patient/{patient['id']}"},
        "period": {"start": when.isoformat()},
        **fields,
    }


_PRIMARY_PERFORMER = {"system": V3_PARTICIPATION, "code": "PPRF", "display": "primary performer"}


def _role(rid: str, job: str) -> dict:
    """A PractitionerRole saying what the recorder does (no Practitioner: no name)."""
    return {"resourceType": "PractitionerRole", "id": rid, "code": [{"text": job}]}


# --- the scenarios, one Bundle each --------------------------------------------------------


def _health_visit(feed: _Feed, n: int, when: dt.datetime) -> dict:
    patient = feed.patient(feed.child(n))
    visit = feed.rng.choice(HV_VISITS)
    encounter = _encounter(
        feed,
        patient,
        when,
        status="finished",
        **{"class": {"system": V3_ACT, "code": "HH", "display": "home health"}},
        type=[{"text": f"Health visitor home visit: {visit}"}],
        text=_narrative(f"Health visitor home visit ({visit}). Weight and development checked."),
        contained=[_role("recorder", "Health visitor")],
        participant=[
            {
                "type": [{"coding": [_PRIMARY_PERFORMER]}],
                "individual": {"reference": "#recorder"},
            }
        ],
    )
    feed.visits.append((patient, encounter))
    return _bundle("collection", patient, encounter)


def _missed(feed: _Feed, n: int, when: dt.datetime) -> dict:
    """One missed review, or (every other time) two in the same Bundle: that is high."""
    patient = feed.patient(feed.child(n))
    cancelled = _encounter(
        feed,
        patient,
        when,
        status="cancelled",
        **{"class": {"system": V3_ACT, "code": "AMB", "display": "ambulatory"}},
        type=[{"text": f"Health visiting clinic: {feed.rng.choice(HV_VISITS)}"}],
    )
    resources = [patient, cancelled]
    if n % 2:
        resources.append(
            {
                "resourceType": "Observation",
                "id": feed.next_id("obs"),
                "status": "final",
                "code": {"text": "Child was not brought to GP appointment"},
                "subject": {"reference": f"Patient/{patient['id']}"},
                "effectiveDateTime": (when + dt.timedelta(days=9)).isoformat(),
            }
        )
    return _bundle("collection", *resources)


def _booking(feed: _Feed, n: int, when: dt.datetime) -> dict:
    """Midwifery booking: the mother, the unborn child (no birth date, no NHS number yet) and
    the link between them, as a RelatedPerson or (every other time) the hub's extension."""
    person = feed.mother(n)
    mother = feed.patient(person)
    unborn = {
        "resourceType": "Patient",
        "id": f"{mother['id']}-U{n}",
        "name": [{"use": "official", "family": person.family}],
        "gender": "unknown",
        "address": mother["address"],
    }
    resources = [mother, unborn]
    if n % 2:
        unborn["extension"] = [
            {"url": MOTHER_EXTENSION, "valueReference": {"reference": f"Patient/{mother['id']}"}}
        ]
    else:
        related = {
            "resourceType": "RelatedPerson",
            "id": f"{mother['id']}-M{n}",
            "patient": {"reference": f"Patient/{unborn['id']}"},
            "relationship": [{"coding": [{"system": V3_ROLE, "code": "MTH", "display": "mother"}]}],
        }
        mother["link"] = [
            {"other": {"reference": f"RelatedPerson/{related['id']}"}, "type": "seealso"}
        ]
        resources.append(related)
    booking = _encounter(
        feed,
        mother,
        when,
        status="finished",
        **{"class": {"system": V3_ACT, "code": "AMB", "display": "ambulatory"}},
        type=[{"text": "Antenatal booking appointment"}],
        text=_narrative(f"Booked for maternity care at {feed.rng.randint(8, 12)} weeks."),
    )
    return _bundle("transaction", *resources, booking)


def _flag(feed: _Feed, n: int, when: dt.datetime) -> dict:
    patient = feed.patient(feed.child(n + 7))
    flag = {
        "resourceType": "Flag",
        "id": feed.next_id("flag"),
        "meta": {"versionId": "1"},
        "status": "active",
        "category": [{"coding": [{"system": FLAG_CATEGORY, "code": "safety"}]}],
        "code": {"text": "Safeguarding: child subject to a child protection plan"},
        "subject": {"reference": f"Patient/{patient['id']}"},
        "period": {"start": when.date().isoformat()},  # a date alone: UK midnight
        "author": {"reference": "PractitionerRole/safeguarding-nurse"},
    }
    role = _role("safeguarding-nurse", "Named nurse for safeguarding children")
    return _bundle("batch", patient, flag, role)


def _message(feed: _Feed, n: int, when: dt.datetime) -> dict:
    """A FHIR message: the header and an Organization are not events and are ignored."""
    patient = feed.patient(feed.child(n + 3))
    header = {
        "resourceType": "MessageHeader",
        "id": feed.next_id("msg"),
        "eventCoding": {"system": "https://mash-hub.example/fhir/events", "code": "concern"},
        "source": {"endpoint": "https://trust.example/fhir"},
    }
    organisation = {"resourceType": "Organization", "id": "trust", "name": "Example Health Trust"}
    observation = {
        "resourceType": "Observation",
        "id": feed.next_id("obs"),
        "status": "final",
        "code": {"text": "Was not brought to immunisation appointment"},
        "subject": {"reference": f"Patient/{patient['id']}"},
        "effectiveDateTime": when.isoformat(),
    }
    return _bundle("message", header, organisation, patient, observation)


def _withdrawal(feed: _Feed, n: int, when: dt.datetime) -> dict:
    """An earlier home visit recorded against the wrong child: entered in error, version 2."""
    if not feed.visits:
        return _health_visit(feed, n, when)
    patient, visit = feed.visits.pop(0)
    withdrawn = {**visit, "status": "entered-in-error", "meta": {"versionId": "2"}}
    return _bundle("collection", patient, withdrawn)


SCENARIOS: tuple[Callable[[_Feed, int, dt.datetime], dict], ...] = (
    _health_visit,
    _missed,
    _booking,
    _flag,
    _missed,
    _message,
    _withdrawal,
)


def sample_bundles(seed: int = 1, bundles: int = 20) -> list[dict]:
    """The Bundles of `write_sample`, as dicts (deterministic for the seed)."""
    feed = _Feed(seed, bundles)
    out = []
    for n in range(bundles):
        when = FIRST_DAY + dt.timedelta(days=9 * n, minutes=37 * n)
        out.append(SCENARIOS[n % len(SCENARIOS)](feed, n, when))
    return out


def write_sample(path: str | Path, seed: int = 1, bundles: int = 20) -> None:
    """Write an NDJSON file: one synthetic FHIR R4 Bundle per line."""
    with Path(path).open("w", encoding="utf-8", newline="\n") as out:
        for bundle in sample_bundles(seed, bundles):
            out.write(json.dumps(bundle, ensure_ascii=False, separators=(",", ":")) + "\n")


# --- what must be rejected -----------------------------------------------------------------


def bad_bundles() -> list[tuple[bytes, str]]:
    """Malformed payloads (each a whole file holding one Bundle, or not) and the reject reason
    each must produce, at line 1 for the whole payload or at the event's entry number."""
    feed = _Feed(seed=7, bundles=1)
    child = feed.patient(feed.child(0))
    when = FIRST_DAY.isoformat()

    def visit(**changes: object) -> dict:
        return {
            **_encounter(
                feed,
                child,
                FIRST_DAY,
                status="finished",
                **{"class": {"system": V3_ACT, "code": "HH"}},
                type=[{"text": "Health visitor home visit"}],
            ),
            **changes,
        }

    def payload(*resources: dict, kind: str = "collection") -> bytes:
        return json.dumps(_bundle(kind, *resources)).encode()

    bad_nhs = {**child, "identifier": [{"system": NHS_NUMBER_SYSTEM, "value": "1234567890"}]}
    impossible_birth = {**child, "birthDate": "2023-02-30"}
    no_class = visit()
    del no_class["class"]
    no_period = visit()
    del no_period["period"]
    blood_pressure = {
        "resourceType": "Observation",
        "id": "bp-1",
        "status": "final",
        "code": {"text": "Blood pressure"},
        "subject": {"reference": f"Patient/{child['id']}"},
        "effectiveDateTime": when,
    }
    allergy = {"resourceType": "AllergyIntolerance", "id": "a-1", "patient": {"reference": "x"}}
    return [
        (b'{"resourceType": "Bundle", "type": "collection", "entry": [', "invalid_json"),
        (b"\xff\xfe\x00garbage\x00", "invalid_encoding"),
        (json.dumps(child).encode(), "not_a_bundle"),
        (b"[1, 2, 3]", "not_a_bundle"),
        (payload(child, visit(), kind="searchset"), "unsupported_bundle_type"),
        (payload(child, visit(subject={"reference": "Patient/nobody"})), "unresolved_reference"),
        (payload(bad_nhs, visit()), "invalid_nhs_number"),
        (payload(impossible_birth, visit()), "invalid_date"),
        (payload(child, visit(period={"start": "2026-02-30"})), "invalid_date"),
        (payload(child, visit(period={"start": "2026-03-01T10:00:00"})), "invalid_date"),
        (payload(child, visit(period={"start": "2026-03"})), "invalid_date"),
        (payload(child, no_class), "invalid_fhir"),
        (payload(child, no_period), "missing_date"),
        (payload(child, blood_pressure), "unmapped_event"),
        (payload(child, allergy), "no_events"),
        (payload(child, visit(period={"start": "2999-01-01T10:00:00Z"})), "invalid_event"),
    ]
