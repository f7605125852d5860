import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hub.models import SourceRecord


def test_database_errors_never_carry_personal_data(sqlite_engine):
    with pytest.raises(IntegrityError) as caught, Session(sqlite_engine) as session:
        session.add(
            SourceRecord(agency_code="no-such-agency", source_ref="R", family_name="Okafor")
        )
        session.flush()
    assert "Okafor" not in str(caught.value)
    assert "hidden due to hide_parameters" in str(caught.value)
