"""The WSGI entry point for gunicorn (`deploy/gunicorn.conf.py`); settings come from the env."""

from api import create_app
from hub import logmask

logmask.install()  # names, dates of birth and identifiers never reach a log line
app = create_app()
