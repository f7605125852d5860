"""gunicorn settings for the API: `gunicorn -c deploy/gunicorn.conf.py`."""

import multiprocessing
import os

wsgi_app = "api.wsgi:app"
bind = os.environ.get("MASH_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("MASH_WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("MASH_WEB_THREADS", 4))
timeout = 30
graceful_timeout = 20
# Request lines and headers only; bodies (personal data) never reach the access log.
accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(D)sus'
limit_request_line = 4094
