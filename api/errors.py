"""Every error is JSON with a code and a human-readable message; never an HTML traceback."""

from __future__ import annotations

import logging

from flask import Flask, jsonify
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from hub.errors import HubError, InvalidQuery

log = logging.getLogger(__name__)


def error_response(status: int, code: str, message: str, fields: dict | None = None):
    body: dict = {"error": code, "message": message}
    if fields is not None:
        body["fields"] = fields
    return jsonify(body), status


def register(app: Flask) -> None:
    @app.errorhandler(ValidationError)
    def _validation(exc: ValidationError):
        fields = exc.normalized_messages()
        return error_response(422, "validation_failed", "The request has invalid fields.", fields)

    @app.errorhandler(InvalidQuery)
    def _invalid_query(exc: InvalidQuery):
        return error_response(422, exc.code, "The query has invalid fields.", exc.fields)

    @app.errorhandler(HubError)
    def _hub_error(exc: HubError):
        body, status = error_response(exc.status, exc.code, str(exc))
        if status == 401:
            body.headers["WWW-Authenticate"] = 'Bearer realm="mash-hub"'
        return body, status

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        code = (exc.name or "error").lower().replace(" ", "_")
        return error_response(exc.code or 500, code, exc.description or exc.name)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error")
        return error_response(500, "internal_error", "Something went wrong; it has been logged.")
