"""Domain exceptions; the API maps each to an HTTP status in one place."""


class HubError(Exception):
    status = 400
    code = "bad_request"


class NotFound(HubError):
    status = 404
    code = "not_found"


class InvalidQuery(HubError):
    status = 422
    code = "validation_failed"

    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__("invalid query")
        self.fields = fields


class BusUnavailable(HubError):
    status = 503
    code = "bus_unavailable"


class Conflict(HubError):
    status = 409
    code = "conflict"


class Unauthenticated(HubError):
    status = 401
    code = "unauthenticated"


class Forbidden(HubError):
    status = 403
    code = "forbidden"


class Locked(HubError):
    """Too many failed sign-ins: the account waits out its lockout."""

    status = 429
    code = "locked"
