"""The WSGI entry point for gunicorn (`deploy/gunicorn.conf.py`); settings come from the env."""

import gc

from api import create_app
from hub import logmask

logmask.install()  # names, dates of birth and identifiers never reach a log line
app = create_app()
# What the app holds for its lifetime (the matching model above all) leaves the collector's
# sight: a full collection over it took ~80 ms with the GIL held, stalling every request of the
# worker — the chronology's p99 (BENCHMARKS.md, the case view).
gc.freeze()
