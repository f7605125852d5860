#!/usr/bin/env bash
# Every test, against real services: starts PostgreSQL and Kafka (unless already running),
# installs Debian's Chromium for the browser tests if missing,
# runs ruff and pytest with the integration tests required (they fail, never skip), then
# stops whatever it started. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
PG=deploy/postgres/postgres.sh
KAFKA=deploy/kafka/kafka.sh
export MASH_PG_FAST="${MASH_PG_FAST:-1}"
# A throwaway broker log per run: test topics never pile up between runs.
scratch="$(mktemp -d "${TMPDIR:-/tmp}/mash-test-kafka.XXXXXX")"
export MASH_KAFKA_DATA_DIR="${MASH_KAFKA_DATA_DIR:-$scratch}"

to_stop=()
cleanup() {
  for service in "${to_stop[@]}"; do "$service" stop || true; done
  rm -rf "$scratch"
}
trap cleanup EXIT

"$PG" status >/dev/null 2>&1 || to_stop+=("$PG")
"$KAFKA" status >/dev/null 2>&1 || to_stop+=("$KAFKA")

# Debian's Chromium and DejaVu font for the browser and PDF tests (apt; before the services:
# one apt-get at a time).
deploy/chromium/chromium.sh ensure

# Start both at once; Kafka's first start fetches its jars from Maven Central.
"$PG" start &
pg_pid=$!
"$KAFKA" start &
kafka_pid=$!
wait "$pg_pid" || { echo "PostgreSQL did not start" >&2; exit 1; }
wait "$kafka_pid" || { echo "Kafka did not start" >&2; exit 1; }

MASH_TEST_DATABASE_URL="$("$PG" url)"
export MASH_TEST_DATABASE_URL
export MASH_TEST_KAFKA_BOOTSTRAP="127.0.0.1:${MASH_KAFKA_PORT:-9092}"

"$PYTHON" -m ruff check .
"$PYTHON" -m ruff format --check .
"$PYTHON" -m pytest "$@"
