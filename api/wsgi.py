"""The WSGI entry point for gunicorn (`deploy/gunicorn.conf.py`); settings come from the env."""

from api import create_app

app = create_app()
