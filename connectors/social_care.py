"""Children's social care: a case-management system export of case events, one CSV row per event.

The agency is the sender's (normally "childrens_social_care"). The header is line 1; every
column below must be in it (any order, any case) except `middle_names`, `recorded_by_role` and
`agency`, which are optional; values may be blank unless marked required. An `agency` value
naming another agency than the sender's is rejected ("wrong_agency").

| column            | value                                                                     |
|-------------------|---------------------------------------------------------------------------|
| person_ref        | the system's person id (e.g. a Mosaic / LiquidLogic person number) — req. |
| case_ref          | the case (episode) id; shown in the summary                               |
| forename          |                                                                           |
| middle_names      | optional column                                                           |
| surname           | required unless the row has an NHS number or a UPN                        |
| dob               | date of birth; blank for an unborn child or when not known                |
| sex               | M, F, U, Male, Female, Unknown, Not known or blank                        |
| nhs_number        | 10 digits with a valid check digit, or blank                              |
| upn               | Unique Pupil Number with a valid check letter, or blank                   |
| address           | one line                                                                  |
| postcode          | UK postcode                                                               |
| local_authority   | ONS code of the child's home LA area, e.g. E08000025                      |
| event_type        | referral, assessment_outcome, child_in_need_plan_start,                   |
|                   | child_in_need_plan_end, child_protection_plan_start,                      |
|                   | child_protection_plan_end, looked_after_start, looked_after_end,          |
|                   | case_closure — required                                                   |
| event_date        | the date of the event, optionally with a time — required                  |
| outcome           | assessment_outcome (required): nfa, child_in_need, strategy_discussion,   |
|                   | section_47 (also "no further action", "CIN", "S47");                      |
|                   | case_closure (required): the reason, as a code or its CIN census code      |
|                   | RC1–RC9 (adopted, died, child_arrangements_order,                         |
|                   | special_guardianship_order, transferred_to_other_la,                      |
|                   | transferred_to_adult_services, no_longer_in_need, nfa_after_assessment,   |
|                   | early_help_after_assessment); other events: free text for the summary     |
| category_of_abuse | neglect, emotional, physical, sexual, multiple — required for             |
|                   | child_protection_plan_start                                               |
| worker_team       | the allocated team; shown in the summary                                  |
| summary           | the worker's free text                                                    |
| record_status     | new, amended or withdrawn (blank = new)                                   |
| revision          | 1, 2, … (blank = 1; an amendment must give 2 or more)                      |
| event_ref         | the system's id of this event — required                                  |
| recorded_by_role  | optional column: the role of the worker who recorded it, e.g. "Social     |
|                   | worker", "Team manager" — never a name                                    |

Dates are YYYY-MM-DD or DD/MM/YYYY; an event date without a time becomes 09:00 UK time
(Europe/London) on that day.

The mapping, and why:

- One row is one concern about one child, role "child" (the export does not say whether a
  pre-birth record is of an unborn child, so role "unborn" is not inferred from a blank dob).
- person.source_ref = person_ref and concern.ref = event_ref, as the system writes them: one
  local authority's case-management system serves a hub, so its ids are unique for the agency.
- category = event_type, so "known to children's social care", "child protection plan" and
  "closed recently" rules read it directly; the assessment outcome and closure reason are in
  the summary and drive severity and sensitivity.
- severity:
    referral medium;
    assessment_outcome: nfa low, child_in_need medium, strategy_discussion high, section_47 high;
    child_in_need_plan_start medium, child_in_need_plan_end low;
    child_protection_plan_start high, child_protection_plan_end medium;
    looked_after_start high, looked_after_end medium;
    case_closure low — except a closure because the child died, high.
- sensitivity "restricted" where the row reveals a child-protection enquiry, plan or care
  status (child protection plan start/end, looked-after start/end, an assessment outcome of
  strategy discussion or section 47); "standard" otherwise.
- summary = a headline ("Assessment outcome: section 47 enquiry.", "Child protection plan
  started (category of abuse: neglect).", "Case closed: child died."), the worker's free text,
  then "Team: …" and "Case …". Over 4,000 characters in all is rejected, naming the summary column.
- record_status/revision: amended → the given revision (2 or more), withdrawn → withdrawn=True.
- recorded_by = recorded_by_role as written (blank or no column → none). It is a role: a
  worker's name is personal data and does not belong in it. Over 120 characters is rejected,
  naming the column, as other over-long text is.

Rejected rows name the CSV column ("invalid_value"): blank required values, unknown codes (the
message lists the allowed ones), impossible or future dates, invalid NHS numbers or UPNs, bad
postcodes or ONS codes. File-level and row-structure rejects come from `connectors.csvrows`.
"""

from __future__ import annotations

from collections.abc import Iterator

from connectors.base import Rejected, to_event_or_reject
from connectors.csvrows import SEX_CODES, Cells, CsvRow, read_rows, sentence, wrong_agency

COLUMNS = (
    "person_ref",
    "case_ref",
    "forename",
    "surname",
    "dob",
    "sex",
    "nhs_number",
    "upn",
    "address",
    "postcode",
    "local_authority",
    "event_type",
    "event_date",
    "outcome",
    "category_of_abuse",
    "worker_team",
    "summary",
    "record_status",
    "revision",
    "event_ref",
)
OPTIONAL_COLUMNS = ("middle_names", "recorded_by_role", "agency")

EVENT_TYPES = (
    "referral",
    "assessment_outcome",
    "child_in_need_plan_start",
    "child_in_need_plan_end",
    "child_protection_plan_start",
    "child_protection_plan_end",
    "looked_after_start",
    "looked_after_end",
    "case_closure",
)
ASSESSMENT_OUTCOMES = {
    "nfa": "nfa",
    "no_further_action": "nfa",
    "child_in_need": "child_in_need",
    "cin": "child_in_need",
    "strategy_discussion": "strategy_discussion",
    "section_47": "section_47",
    "s47": "section_47",
}
ASSESSMENT_LABELS = {
    "nfa": "no further action",
    "child_in_need": "child in need",
    "strategy_discussion": "strategy discussion",
    "section_47": "section 47 enquiry",
}
# Reasons for closure, with the DfE children in need census codes RC1–RC9.
CLOSURE_REASONS = {
    "adopted": ("RC1", "adopted"),
    "died": ("RC2", "child died"),
    "child_arrangements_order": ("RC3", "child arrangements order"),
    "special_guardianship_order": ("RC4", "special guardianship order"),
    "transferred_to_other_la": ("RC5", "transferred to another local authority"),
    "transferred_to_adult_services": ("RC6", "transferred to adult social care"),
    "no_longer_in_need": ("RC7", "services ceased, child no longer in need"),
    "nfa_after_assessment": ("RC8", "closed after assessment, no further action"),
    "early_help_after_assessment": ("RC9", "closed after assessment, referred to early help"),
}
CLOSURE_CODES = {
    **{code: code for code in CLOSURE_REASONS},
    **{census: code for code, (census, _) in CLOSURE_REASONS.items()},
}
CATEGORIES_OF_ABUSE = ("neglect", "emotional", "physical", "sexual", "multiple")

SEVERITY = {
    "referral": "medium",
    "child_in_need_plan_start": "medium",
    "child_in_need_plan_end": "low",
    "child_protection_plan_start": "high",
    "child_protection_plan_end": "medium",
    "looked_after_start": "high",
    "looked_after_end": "medium",
    "case_closure": "low",
}
ASSESSMENT_SEVERITY = {
    "nfa": "low",
    "child_in_need": "medium",
    "strategy_discussion": "high",
    "section_47": "high",
}
RESTRICTED_EVENTS = frozenset(
    {
        "child_protection_plan_start",
        "child_protection_plan_end",
        "looked_after_start",
        "looked_after_end",
    }
)
RESTRICTED_OUTCOMES = frozenset({"strategy_discussion", "section_47"})

HEADLINES = {
    "referral": "Referral received",
    "child_in_need_plan_start": "Child in need plan started",
    "child_in_need_plan_end": "Child in need plan ended",
    "child_protection_plan_start": "Child protection plan started",
    "child_protection_plan_end": "Child protection plan ended",
    "looked_after_start": "Became looked after",
    "looked_after_end": "Ceased to be looked after",
}


def parse(raw: bytes, agency: str) -> Iterator[dict | Rejected]:
    """Yield, in file order, one canonical event or one `Rejected` per data row."""
    for item in read_rows(raw, COLUMNS, OPTIONAL_COLUMNS):
        if isinstance(item, Rejected):
            yield item
        else:
            yield _row(item, agency)


def severity(event_type: str, outcome: str | None) -> str:
    if event_type == "assessment_outcome":
        return ASSESSMENT_SEVERITY[outcome] if outcome else "medium"
    if event_type == "case_closure" and outcome == "died":
        return "high"
    return SEVERITY[event_type]


def sensitivity(event_type: str, outcome: str | None) -> str:
    if event_type in RESTRICTED_EVENTS or (
        event_type == "assessment_outcome" and outcome in RESTRICTED_OUTCOMES
    ):
        return "restricted"
    return "standard"


def _row(row: CsvRow, agency: str) -> dict | Rejected:
    refused = wrong_agency(row, agency)
    if refused:
        return refused
    cells = Cells(row)
    person_ref = cells.text("person_ref", required=True, max_len=120)
    case_ref = cells.text("case_ref", max_len=120)
    forename = cells.text("forename", max_len=120)
    middle = cells.text("middle_names", max_len=200)
    surname = cells.text("surname", max_len=120)
    dob = cells.date("dob", birth=True)
    sex = cells.choice("sex", SEX_CODES)
    nhs_number = cells.nhs_number("nhs_number")
    pupil_upn = cells.upn("upn")
    address = cells.text("address", max_len=300)
    postcode = cells.postcode("postcode")
    local_authority = cells.ons_code("local_authority")
    event_type = cells.choice("event_type", EVENT_TYPES, required=True)
    occurred = cells.occurred_at("event_date")
    outcome: str | None = None  # coded: assessment outcome or closure reason
    other_outcome: str | None = None  # free text, for the other events
    if event_type == "assessment_outcome":
        outcome = cells.choice("outcome", ASSESSMENT_OUTCOMES, required=True)
    elif event_type == "case_closure":
        outcome = cells.choice("outcome", CLOSURE_CODES, required=True)
    else:
        other_outcome = cells.text("outcome", max_len=300)
    abuse = cells.choice(
        "category_of_abuse",
        CATEGORIES_OF_ABUSE,
        required=event_type == "child_protection_plan_start",
    )
    team = cells.text("worker_team", max_len=200)
    free_text = cells.text("summary")
    revision, withdrawn = cells.status_and_revision()
    event_ref = cells.text("event_ref", required=True, max_len=120)
    recorded_by = cells.text("recorded_by_role", max_len=120)

    if not (surname or nhs_number or pupil_upn or cells.errors.keys() & {"nhs_number", "upn"}):
        cells.error("surname", "Required when the row has no NHS number and no UPN.")

    parts = [_headline(event_type, outcome, abuse)]
    if other_outcome:
        parts.append(sentence(f"Outcome: {other_outcome}"))
    if free_text:
        parts.append(sentence(free_text))
    if team:
        parts.append(f"Team: {team}.")
    if case_ref:
        parts.append(f"Case {case_ref}.")
    summary = " ".join(part for part in parts if part)
    if len(summary) > 4000 and free_text:
        cells.error(
            "summary",
            f"Too long: with the event details the summary would be {len(summary)} characters "
            "(at most 4000).",
        )

    rejected = cells.rejected()
    if rejected or not (event_type and occurred and person_ref and event_ref):
        return rejected or Rejected(row.line, "invalid_value", {})
    submission = {
        "agency": agency,
        "person": {
            "source_ref": person_ref,
            "local_authority": local_authority,
            "given_name": forename,
            "middle_names": middle,
            "family_name": surname,
            "date_of_birth": dob.isoformat() if dob else None,
            "sex": sex,
            "nhs_number": nhs_number,
            "upn": pupil_upn,
            "role": "child",
            "addresses": [{"line": address, "postcode": postcode}] if address or postcode else [],
        },
        "concern": {
            "ref": event_ref,
            "occurred_at": occurred.isoformat(),
            "reported_at": None,
            "category": event_type,
            "severity": severity(event_type, outcome),
            "sensitivity": sensitivity(event_type, outcome),
            "summary": summary,
            "action_taken": None,
            "recorded_by": recorded_by,
            "revision": revision,
            "withdrawn": withdrawn,
        },
    }
    return to_event_or_reject(submission, row.line)


def _headline(event_type: str | None, outcome: str | None, abuse: str | None) -> str:
    abuse_note = f" (category of abuse: {abuse})" if abuse else ""
    if event_type == "assessment_outcome" and outcome:
        return f"Assessment outcome: {ASSESSMENT_LABELS[outcome]}.{_abuse_sentence(abuse)}"
    if event_type == "case_closure" and outcome:
        census, label = CLOSURE_REASONS[outcome]
        return f"Case closed: {label} ({census}).{_abuse_sentence(abuse)}"
    if event_type in HEADLINES:
        return f"{HEADLINES[event_type]}{abuse_note}."
    return ""


def _abuse_sentence(abuse: str | None) -> str:
    return f" Category of abuse: {abuse}." if abuse else ""
