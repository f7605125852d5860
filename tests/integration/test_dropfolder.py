"""The drop folder on both stacks: files are taken once settled, published, moved, rejects kept;
a file taken twice (a watcher killed before it could move the file) stores nothing twice."""

from __future__ import annotations

import json

from connectors.dropfolder import DropFolder
from hub.models import Concern, DeadLetter
from tests.factories import submission
from tests.integration.stacks import run_pipeline


def jsonl(*bodies: dict | str) -> str:
    lines = []
    for body in bodies:
        if isinstance(body, dict):
            body = dict(body)
            body.pop("agency", None)
            body = json.dumps(body)
        lines.append(body)
    return "\n".join(lines) + "\n"


def test_files_are_taken_when_settled_published_moved_and_rejects_kept(stack, tmp_path):
    tmp_path = tmp_path / "drop"  # the SQLite stack keeps its database in tmp_path
    tmp_path.mkdir()
    drop = DropFolder(tmp_path, stack.bus, stack.settings.concerns_topic, "police", "jsonl")
    (tmp_path / "incidents.jsonl").write_text(
        jsonl(submission(concern__ref="D1"), "{broken", submission(concern__ref="D2"))
    )
    (tmp_path / "half-written.jsonl.part").write_text(jsonl(submission(concern__ref="D9")))
    assert drop.scan() == []  # first sight: not yet known to be settled
    ((name, summary),) = drop.scan()
    assert (name, summary.read, summary.published) == ("incidents.jsonl", 3, 2)
    assert [(r.line, r.reason) for r in summary.rejected] == [(2, "invalid_json")]
    assert (tmp_path / "processed" / "incidents.jsonl").exists()
    rejects = (tmp_path / "rejected" / "incidents.jsonl.rejects.csv").read_text().splitlines()
    assert rejects[1].startswith("2,invalid_json,")
    assert (tmp_path / "half-written.jsonl.part").exists()

    # The same name again (the next day's export) keeps both files.
    (tmp_path / "incidents.jsonl").write_text(jsonl(submission(concern__ref="D3")))
    drop.scan()
    drop.scan()
    assert (tmp_path / "processed" / "incidents.1.jsonl").exists()
    run_pipeline(stack, 3)
    assert stack.count(Concern) == 3


def test_a_file_taken_twice_stores_each_concern_once(stack, tmp_path):
    tmp_path = tmp_path / "drop"
    tmp_path.mkdir()
    body = jsonl(*(submission(person__source_ref=f"P{n}", concern__ref=f"R{n}") for n in range(5)))
    drop = DropFolder(tmp_path, stack.bus, stack.settings.concerns_topic, "police", "jsonl")
    for _ in range(2):  # the watcher published, was killed before moving the file, restarted
        (tmp_path / "export.jsonl").write_text(body)
        drop.scan()
        drop.scan()
    run_pipeline(stack, 10)
    assert stack.count(Concern) == 5
    assert stack.count(DeadLetter) == 0
