"""Every HTTP call the case-view benchmark makes, in one place: the API is still changing
(timeline filters, fuzzy search), so only this file should need to follow it."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

TIMELINE = "timeline"
SEARCH = "search"


def auth_headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Accept": "application/json"}


def timeline_request(person_id: int, page: int, per_page: int) -> tuple[str, str]:
    """(path with query, stats name) for one page of a person's timeline."""
    query = urlencode({"page": page, "per_page": per_page})
    return f"/api/v1/persons/{person_id}/timeline?{query}", TIMELINE


def search_request(q: str) -> tuple[str, str]:
    """(path with query, stats name) for a person search."""
    return f"/api/v1/persons?{urlencode({'q': q})}", SEARCH


def check(name: str, status: int, body: Any) -> str | None:
    """Why a response is wrong, or None when it is a good answer."""
    if status != 200:
        return f"HTTP {status}"
    if not isinstance(body, dict):
        return "not a JSON object"
    if name == TIMELINE and not body.get("items"):
        return "timeline page without items"
    if name == SEARCH and "results" not in body:
        return "search answer without results"
    return None


def result_count(name: str, body: dict) -> int:
    return len(body.get("items" if name == TIMELINE else "results") or [])
