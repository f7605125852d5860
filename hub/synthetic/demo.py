"""Synthetic families and the concerns agencies raise about them. Never real people.

Each agency holds its own record of a person (its own reference, its own spelling habits), so
the demo shows the hub joining them: health by NHS number, schools by UPN, others by name and
date of birth.
"""

from __future__ import annotations

import datetime as dt
import random
import zlib
from dataclasses import dataclass

from stdnum.gb import upn

GIVEN_FEMALE = [
    "Amelia",
    "Olivia",
    "Aisha",
    "Zofia",
    "Maryam",
    "Chloe",
    "Grace",
    "Fatima",
    "Ruby",
    "Evie",
    "Precious",
    "Leila",
    "Hannah",
    "Niamh",
    "Priya",
    "Sofia",
]
GIVEN_MALE = [
    "Oliver",
    "Muhammad",
    "Jayden",
    "Tomasz",
    "Leo",
    "Kwame",
    "Harry",
    "Yusuf",
    "Callum",
    "Arjun",
    "Noah",
    "Dylan",
    "Ibrahim",
    "Kacper",
    "Reece",
    "Tyler",
]
FAMILY = [
    "Smith",
    "Khan",
    "Okafor",
    "Nowak",
    "Jones",
    "Begum",
    "Williams",
    "Hussain",
    "Taylor",
    "Mensah",
    "Kowalski",
    "Brown",
    "Ahmed",
    "O'Connor",
    "Patel",
    "Evans",
]
STREETS = [
    "Mill Lane",
    "Station Road",
    "Church Street",
    "Victoria Road",
    "Park Avenue",
    "Queen Street",
    "Albert Terrace",
    "Canal Walk",
]
AREAS = [("E08000025", "B"), ("E08000026", "CV"), ("E06000015", "DE"), ("E08000035", "LS")]

CHILD_CONCERNS = [
    (
        "health_ae",
        "injury",
        "medium",
        "health_confidential",
        "Attended with bruising to upper arm; explanation inconsistent with injury.",
        "Safeguarding referral considered; discharged home with mother.",
    ),
    (
        "school",
        "attendance",
        "low",
        "standard",
        "Attendance 78% this half term; arrives hungry, often without PE kit.",
        "DSL spoke to mother; attendance plan agreed.",
    ),
    (
        "health_visitor",
        "was_not_brought",
        "medium",
        "health_confidential",
        "Not brought to 2-year review for the second time.",
        "Letter sent; GP informed.",
    ),
    (
        "gp",
        "neglect",
        "medium",
        "health_confidential",
        "Persistent untreated head lice and dental decay noted.",
        "Advice given to carer; review in 4 weeks.",
    ),
    (
        "police",
        "domestic_abuse",
        "high",
        "police_intelligence",
        "Attended domestic incident at home address; child present and distressed.",
        "PPN submitted; DASH risk assessment medium.",
    ),
    (
        "childrens_social_care",
        "referral",
        "high",
        "standard",
        "Referral received from school about unexplained marks.",
        "Strategy discussion arranged.",
    ),
]
ADULT_CONCERNS = [
    (
        "police",
        "domestic_abuse",
        "high",
        "police_intelligence",
        "Named as suspect in domestic incident; previous call-outs to this address.",
        "Arrested; released under investigation.",
    ),
    (
        "probation",
        "risk_to_children",
        "high",
        "restricted",
        "On licence; history of violence to a previous partner's child.",
        "Home visit; licence conditions reviewed.",
    ),
    (
        "housing",
        "rent_arrears",
        "low",
        "standard",
        "Eight weeks' arrears; notice seeking possession served.",
        "Referred to tenancy sustainment team.",
    ),
    (
        "adult_mental_health",
        "parental_mental_health",
        "medium",
        "health_confidential",
        "Missed two depot injections; low mood reported.",
        "Care coordinator to visit.",
    ),
]


def nhs_number(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(9)]
        digits[0] = rng.randint(4, 9)
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        if check == 11:
            check = 0
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def unique_pupil_number(rng: random.Random, la_code: str = "801") -> str:
    body = f"{la_code}{rng.randint(2010, 2025) % 100:02d}{rng.randint(0, 9_999_999):07d}"
    return upn.calc_check_digit(body) + body


@dataclass
class SyntheticPerson:
    given: str
    family: str
    dob: dt.date
    sex: str
    role: str
    nhs: str
    upn: str | None


def _family(rng: random.Random, today: dt.date) -> list[SyntheticPerson]:
    surname = rng.choice(FAMILY)
    mother = SyntheticPerson(
        rng.choice(GIVEN_FEMALE),
        surname,
        today - dt.timedelta(days=rng.randint(20, 40) * 365),
        "female",
        "carer",
        nhs_number(rng),
        None,
    )
    partner = SyntheticPerson(
        rng.choice(GIVEN_MALE),
        rng.choice(FAMILY),
        today - dt.timedelta(days=rng.randint(22, 45) * 365),
        "male",
        "partner",
        nhs_number(rng),
        None,
    )
    children = []
    for _ in range(rng.randint(1, 3)):
        sex = rng.choice(["female", "male"])
        dob = today - dt.timedelta(days=rng.randint(1, 14 * 365))
        children.append(
            SyntheticPerson(
                rng.choice(GIVEN_FEMALE if sex == "female" else GIVEN_MALE),
                surname,
                dob,
                sex,
                "child",
                nhs_number(rng),
                unique_pupil_number(rng) if dob.year < today.year - 4 else None,
            )
        )
    return [mother, partner, *children]


def _postcode(rng: random.Random, area: str) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    inward = f"{rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"
    return f"{area}{rng.randint(1, 20)} {inward}"


def _source_ref(agency: str, person: SyntheticPerson) -> str:
    number = zlib.crc32(f"{agency}:{person.nhs}".encode()) % 10**7
    return f"{agency[:3].upper()}-{number:07d}"


def _submission(
    agency: str,
    ref: str,
    person: SyntheticPerson,
    address: dict,
    la: str,
    concern: tuple,
    when: dt.datetime,
) -> dict:
    _, category, severity, sensitivity, summary, action = concern
    details: dict = {
        "source_ref": _source_ref(agency, person),
        "local_authority": la,
        "given_name": person.given,
        "family_name": person.family,
        "date_of_birth": person.dob.isoformat(),
        "sex": person.sex,
        "role": person.role,
        "addresses": [address],
    }
    if agency in ("health_ae", "gp", "health_visitor", "adult_mental_health", "midwifery"):
        details["nhs_number"] = person.nhs
    if agency == "school" and person.upn:
        details["upn"] = person.upn
    return {
        "agency": agency,
        "person": details,
        "concern": {
            "ref": ref,
            "occurred_at": when.isoformat(),
            "category": category,
            "severity": severity,
            "sensitivity": sensitivity,
            "summary": summary,
            "action_taken": action,
            "recorded_by": RECORDED_BY.get(agency),
        },
    }


# Who records a concern at each agency, by role.
RECORDED_BY = {
    "police": "Police constable",
    "health_ae": "Emergency department nurse",
    "gp": "General practitioner",
    "health_visitor": "Health visitor",
    "midwifery": "Community midwife",
    "school": "Designated safeguarding lead",
    "childrens_social_care": "Social worker",
    "housing": "Housing officer",
    "probation": "Probation officer",
    "adult_mental_health": "Community psychiatric nurse",
    "substance_misuse": "Recovery worker",
}


def demo_submissions(families: int = 12, seed: int = 7, today: dt.date | None = None) -> list[dict]:
    """Concern submissions about `families` synthetic families, from several agencies."""
    rng = random.Random(seed)
    today = today or dt.date(2026, 11, 1)
    out = []
    for f in range(families):
        la, area = rng.choice(AREAS)
        address = {
            "line": f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
            "postcode": _postcode(rng, area),
        }
        members = _family(rng, today)
        for p_index, person in enumerate(members):
            pool = CHILD_CONCERNS if person.role == "child" else ADULT_CONCERNS
            for c_index in range(
                rng.randint(2, 5) if person.role == "child" else rng.randint(0, 2)
            ):
                concern = rng.choice(pool)
                agency = concern[0]
                if agency == "school" and not person.upn:
                    agency, concern = "health_visitor", CHILD_CONCERNS[2]
                when = dt.datetime.combine(
                    today - dt.timedelta(days=rng.randint(1, 540)),
                    dt.time(rng.randint(7, 22), 0),
                    tzinfo=dt.UTC,
                )
                ref = f"DEMO-{seed}-{f}-{p_index}-{c_index}"
                out.append(_submission(agency, ref, person, address, la, concern, when))
    return out
