"""Gunicorn settings for production; every value can come from the environment.

Run: gunicorn -c gunicorn.conf.py guide.wsgi
"""

import multiprocessing
import os

wsgi_app = "guide.wsgi:application"
bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"

# Sync workers: pages are short database reads. WEB_CONCURRENCY overrides the
# classic 2 * CPU + 1 (set it lower on small containers that report many CPUs).
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))

# A request that takes longer than this is stuck; the database gives up first
# (DB_STATEMENT_TIMEOUT_MS, 5 s) so a database stall answers 503, not a kill.
timeout = 30
# On TERM or HUP, workers finish the requests they are serving, up to this long.
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never builds up.
# High enough that restarts are rare under load (each one stalls a worker's queue).
max_requests = 20000
max_requests_jitter = 2000

# The heartbeat file on tmpfs: a disk-backed /tmp can stall workers in containers.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"
# No runtime control socket: nothing uses it, and it would need a writable home.
control_socket_disable = True

# One line per request on stdout. The path only (%(U)s, never %(r)s or %(q)s):
# query strings and referrers may carry personal data. No client address or
# user agent either. The request id matches the Django log lines of the request.
accesslog = "-"
errorlog = "-"
# Each record one line: %(U)s is the percent-decoded path, so `%0a` in a URL would
# otherwise start a line of the client's choosing (guide/logsafe.py escapes it).
logger_class = "guide.logsafe.GunicornLogger"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = (
    '%(t)s access "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s'
)
