import threading
import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hub.db import make_engine
from hub.migrate import upgrade
from hub.models import Agency, SourceRecord
from hub.settings import Settings


def test_database_errors_never_carry_personal_data(sqlite_engine):
    with pytest.raises(IntegrityError) as caught, Session(sqlite_engine) as session:
        session.add(
            SourceRecord(agency_code="no-such-agency", source_ref="R", family_name="Okafor")
        )
        session.flush()
    assert "Okafor" not in str(caught.value)
    assert "hidden due to hide_parameters" in str(caught.value)


# The embedded database under a reader that then writes (every audited read does) while another
# connection writes: both land, neither fails with "database is locked".
def test_a_read_then_write_transaction_survives_a_concurrent_writer(tmp_path, monkeypatch):
    monkeypatch.setenv("MASH_DATA_DIR", str(tmp_path))
    engine = make_engine(Settings.from_env())
    upgrade(engine)
    started, failures = threading.Event(), []

    def other_writer() -> None:
        started.wait()
        try:
            with Session(engine) as session, session.begin():
                session.add(Agency(code="other_writer", name="Other", sector="test"))
        except Exception as exc:  # noqa: BLE001 - the failure is what is asserted
            failures.append(exc)

    thread = threading.Thread(target=other_writer)
    thread.start()
    with Session(engine) as session, session.begin():
        before = session.scalar(select(func.count()).select_from(Agency))
        started.set()
        time.sleep(0.3)  # the other writer commits now, unless this transaction holds the lock
        session.add(Agency(code="reader_writer", name="Reader", sector="test"))
    thread.join(timeout=30)
    assert failures == []
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Agency)) == before + 2
    engine.dispose()
