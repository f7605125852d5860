"""`mash link`: cluster an agency's back catalogue (a CSV) into persons and households."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from matching.batch import link_records
from matching.normalise import birth_date
from matching.record import INPUT_COLUMNS

REQUIRED_COLUMNS = tuple(c for c in INPUT_COLUMNS if c != "other_id")
ROLES = {"", "child", "unborn", "carer", "partner", "visitor"}
OUTPUT_COLUMNS = ("record_id", "person_id", "household_id", "match_probability")


@dataclass
class ReadResult:
    rows: list[dict[str, str]] = field(default_factory=list)
    rejects: list[tuple[int, str]] = field(default_factory=list)


def _problem(row: dict[str, str | None], seen: set[str]) -> str | None:
    if None in row.values() or None in row:
        return "wrong number of columns"
    record_id = (row.get("record_id") or "").strip()
    if not record_id:
        return "record_id is blank"
    if record_id in seen:
        return f"record_id {record_id} appears again"
    dob = (row.get("date_of_birth") or "").strip()
    if dob and birth_date(dob).year is None:
        return f"date_of_birth {dob!r} is not YYYY-MM-DD or YYYY"
    if (row.get("role") or "").strip() not in ROLES:
        return f"role {row.get('role')!r} is not one of child, unborn, carer, partner, visitor"
    return None


def read_rows(path: Path) -> ReadResult:
    """Rows that can be read, and (line number, reason) for every row that cannot."""
    result = ReadResult()
    seen: set[str] = set()
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: missing columns: {', '.join(missing)}")
        for row in reader:
            line = reader.line_num
            problem = _problem(row, seen)
            if problem:
                result.rejects.append((line, problem))
                continue
            seen.add(row["record_id"].strip())
            result.rows.append({k: (v or "").strip() for k, v in row.items()})
    return result


def link_file(
    source: Path,
    out: Path,
    rejects: Path | None = None,
    progress: Callable[[str, float], None] | None = None,
) -> tuple[int, int, int]:
    """Link `source`, write OUTPUT_COLUMNS to `out`; returns (rows, persons, rejected)."""
    read = read_rows(source)
    if read.rejects:
        target = rejects or out.with_suffix(".rejects.csv")
        with target.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["line", "reason"])
            writer.writerows(read.rejects)
    result = link_records(read.rows, progress=progress)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(OUTPUT_COLUMNS)
        for row in read.rows:
            record_id = row["record_id"]
            writer.writerow(
                [
                    record_id,
                    result.person_ids[record_id],
                    result.household_ids[record_id],
                    f"{result.match_probability[record_id]:.6f}",
                ]
            )
    return len(read.rows), len(set(result.person_ids.values())), len(read.rejects)
