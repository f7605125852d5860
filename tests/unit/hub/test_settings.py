from pathlib import Path

from hub.settings import Settings


def test_embedded_defaults_when_nothing_is_set(tmp_path):
    settings = Settings.from_env({"MASH_DATA_DIR": str(tmp_path)})
    assert settings.bus_kind == "embedded"
    assert str(settings.database_url) == f"sqlite:///{tmp_path / 'mash.db'}"
    assert settings.concerns_topic == "mash.concerns"


def test_kafka_and_postgres_from_the_environment():
    settings = Settings.from_env(
        {
            "MASH_DATABASE_URL": "postgresql+psycopg://mash:s3cret@db:5432/mash",
            "MASH_KAFKA_BOOTSTRAP": "broker:9092",
            "MASH_TOPIC_PREFIX": "pilot.",
        }
    )
    assert settings.bus_kind == "kafka"
    assert settings.deadletter_topic == "pilot.deadletter"
    assert "s3cret" not in settings.describe()
    assert "s3cret" not in repr(settings)


def test_settings_are_frozen():
    settings = Settings.from_env({"MASH_DATA_DIR": "/tmp/x"})
    try:
        settings.topic_prefix = "other."  # type: ignore[misc]
    except AttributeError:
        return
    raise AssertionError("settings should be immutable")


def test_default_data_dir_is_outside_the_repo(monkeypatch):
    monkeypatch.delenv("MASH_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", "/tmp/xdg")
    assert Settings.from_env().data_dir == Path("/tmp/xdg/mash-hub")
