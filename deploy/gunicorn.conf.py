"""gunicorn settings for a real site (`gunicorn -c deploy/gunicorn.conf.py pandai.wsgi`).

Sync workers: each request holds one database connection for its length and Pandai's pages
are short; a 2-core server runs 2 x cores + 1 workers. Workers are recycled after a few
thousand requests (with jitter, so not all at once) to keep memory flat over months."""

import multiprocessing
import os

bind = os.environ.get("PANDAI_BIND", "unix:/run/pandai/gunicorn.sock")
workers = int(os.environ.get("PANDAI_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = 60  # a PDF of a month's statement is the slowest page
graceful_timeout = 30
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("PANDAI_ACCESS_LOG", "/var/log/pandai/access.log")
errorlog = os.environ.get("PANDAI_ERROR_LOG", "/var/log/pandai/error.log")
loglevel = "warning"
capture_output = True  # Django's own log lines (stderr) go to the error log too
# The client address nginx saw, the request, status, bytes and the time taken (microseconds).
access_log_format = '%({x-forwarded-for}i)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s %(D)s'
forwarded_allow_ips = "127.0.0.1"
