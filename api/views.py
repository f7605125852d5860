"""Output schemas: how concerns and persons look in the API (marshmallow `dump`)."""

from __future__ import annotations

import datetime as dt

from marshmallow import Schema, fields


class UTCDateTime(fields.DateTime):
    """SQLite hands back naive datetimes; every stored time is UTC, so say so."""

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return super()._serialize(value, attr, obj, **kwargs)


class TimelineEntrySchema(Schema):
    event_id = fields.String()
    agency = fields.String(attribute="agency_code")
    agency_name = fields.Function(lambda c: c.agency.name)
    concern_ref = fields.String()
    local_authority = fields.String()
    occurred_at = UTCDateTime()
    reported_at = UTCDateTime()
    category = fields.String()
    severity = fields.String()
    sensitivity = fields.String()
    summary = fields.String()
    action_taken = fields.String()
    recorded_by = fields.String()
    source_record_id = fields.Integer()
    revision = fields.Integer()
    withdrawn = fields.Boolean()
    updated_at = UTCDateTime(allow_none=True)


class TimelinePageSchema(Schema):
    person_id = fields.Integer()
    requested_id = fields.Integer()
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    items = fields.List(fields.Nested(TimelineEntrySchema))


class SourceRecordSummarySchema(Schema):
    id = fields.Integer()
    agency = fields.String(attribute="agency_code")
    source_ref = fields.String()
    given_name = fields.String()
    middle_names = fields.String()
    family_name = fields.String()
    date_of_birth = fields.Date()
    local_authority = fields.String()


class ReasonSchema(Schema):
    field = fields.String()
    level = fields.String()


class SearchResultSchema(Schema):
    person_id = fields.Integer()
    score = fields.Float()
    why = fields.List(fields.Nested(ReasonSchema))
    records = fields.List(fields.Nested(SourceRecordSummarySchema))


class RecordAddressSchema(Schema):
    line = fields.String()
    postcode = fields.String()
    valid_from = fields.Date()
    valid_to = fields.Date()


class LinkSchema(Schema):
    person_id = fields.Integer()
    method = fields.String()
    score = fields.Float()
    explanation = fields.Dict()
    model_version = fields.String()
    linked_by = fields.String()
    linked_at = UTCDateTime()


class SourceRecordSchema(SourceRecordSummarySchema):
    sex = fields.String()
    nhs_number = fields.String()
    upn = fields.String()
    addresses = fields.List(fields.Nested(RecordAddressSchema))
    link = fields.Nested(LinkSchema)


class RelatedPersonSchema(Schema):
    relationship = fields.String()
    person_id = fields.Integer(allow_none=True)
    related_source_ref = fields.String(allow_none=True)
    declared_by = fields.List(fields.String())


class PlanStatusSchema(Schema):
    active = fields.Boolean()
    since = UTCDateTime(allow_none=True)
    ended = UTCDateTime(allow_none=True)


class CaseStatusSchema(Schema):
    status = fields.String(metadata={"description": "open, closed or not_known"})
    closed_at = UTCDateTime(allow_none=True)
    reopened = fields.Boolean()


class StatusesSchema(Schema):
    child_protection_plan = fields.Nested(PlanStatusSchema)
    looked_after = fields.Nested(PlanStatusSchema)
    child_in_need_plan = fields.Nested(PlanStatusSchema)
    case = fields.Nested(CaseStatusSchema)


class PersonSchema(Schema):
    person_id = fields.Integer()
    requested_id = fields.Integer()
    merged_from = fields.List(fields.Integer())
    source_records = fields.List(fields.Nested(SourceRecordSchema))
    local_authorities = fields.List(fields.String())
    statuses = fields.Nested(StatusesSchema)
    relationships = fields.List(fields.Nested(RelatedPersonSchema))


class ReviewTaskSchema(Schema):
    id = fields.Integer()
    source_record = fields.Nested(SourceRecordSummarySchema)
    candidate_person_id = fields.Integer()
    probability = fields.Float()
    reason = fields.String()
    explanation = fields.Dict()
    model_version = fields.String()
    status = fields.String()
    created_at = UTCDateTime()
    decision = fields.String()
    decided_by = fields.String()
    decided_at = UTCDateTime()


class MergeSchema(Schema):
    id = fields.Integer()
    survivor_id = fields.Integer()
    merged_id = fields.Integer()
    source_record_ids = fields.List(fields.Integer())
    reason = fields.String()
    merged_by = fields.String()
    merged_at = UTCDateTime()
    undone_by = fields.String()
    undone_at = UTCDateTime()


class ConcernRevisionSchema(Schema):
    event_id = fields.String()
    revision = fields.Integer()
    withdrawn = fields.Boolean()
    received_at = UTCDateTime()
    source_record_id = fields.Integer()
    occurred_at = UTCDateTime()
    category = fields.String()
    severity = fields.String()
    sensitivity = fields.String()
    summary = fields.String()
    action_taken = fields.String(allow_none=True)


class ConcernHistorySchema(TimelineEntrySchema):
    person_id = fields.Integer()
    revisions = fields.List(fields.Nested(ConcernRevisionSchema))


class ConcernCountsSchema(Schema):
    total = fields.Integer()
    by_agency = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_category = fields.Dict(keys=fields.String(), values=fields.Integer())
    latest = UTCDateTime(allow_none=True)


class MemberSchema(Schema):
    person_id = fields.Integer(allow_none=True)
    is_this_person = fields.Boolean()
    role = fields.String()
    relationship = fields.String(allow_none=True)
    names = fields.List(fields.String())
    valid_from = fields.Date(data_key="from", attribute="from", allow_none=True)
    valid_to = fields.Date(data_key="to", attribute="to", allow_none=True)
    in_scope = fields.Boolean()
    concerns = fields.Nested(ConcernCountsSchema)


class HouseholdSchema(Schema):
    household_id = fields.Integer()
    address = fields.String(allow_none=True)
    valid_from = fields.Date(data_key="from", attribute="from", allow_none=True)
    valid_to = fields.Date(data_key="to", attribute="to", allow_none=True)
    members = fields.List(fields.Nested(MemberSchema))


class HouseholdsSchema(Schema):
    person_id = fields.Integer()
    requested_id = fields.Integer()
    households = fields.List(fields.Nested(HouseholdSchema))


class SearchQuerySchema(Schema):
    q = fields.String(
        required=True,
        metadata={"description": "free text: names, a date of birth, a postcode, an NHS number"},
    )


class SearchResponseSchema(Schema):
    query = fields.String()
    results = fields.List(fields.Nested(SearchResultSchema))


class TasksSchema(Schema):
    tasks = fields.List(fields.Nested(ReviewTaskSchema))


class AcceptedSchema(Schema):
    event_id = fields.String()
    status = fields.String(metadata={"description": "accepted"})
