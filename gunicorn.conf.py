"""gunicorn's settings for ``make serve``: the app on its embedded defaults, several workers.

Run the migrations first (``make serve`` does), never from here: each worker imports the app,
and nothing in the app touches the schema. Every setting can be overridden from the
environment: PORT, HOST, WORKERS, THREADS.
"""

import logging
import os

from webapp.redact import install_log_filter

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Processes, so that every core runs Python (one process runs Python on one core at a time);
# threads, so that a process has other requests to work on while one waits for the database
# or, over the network, for WeChat. Nothing a second process needs lives in a process's
# memory: state is in the database, shared rate limits in Redis when configured.
#
# One worker per core, four threads each, from make bench on a 2-core machine: with the
# sandbox reached in-process no request waits for another worker, so a worker beyond the
# cores only adds switching between processes and, on SQLite, more writers queueing for its
# one write lock. At 32 clients, 2 workers x 4 threads served logins several times faster
# than 4 x 4, and 8 threads per worker did not help. A deployment whose requests wait longer
# (real WeChat across the internet) gains from more THREADS.
# At least two, so that a worker being restarted or stuck never leaves nobody to answer.
workers = int(os.environ.get("WORKERS", max(2, os.cpu_count() or 1)))
worker_class = "gthread"
threads = int(os.environ.get("THREADS", 4))
# A request that takes longer than this is stuck: every wait inside is bounded far below it.
timeout = 30
graceful_timeout = 10
# No control socket in the home folder: stop the server with Ctrl-C or a signal.
control_socket_disable = True
accesslog = "-"
errorlog = "-"
# gunicorn's default line, plus how long the request took and which worker (its pid) served it:
# with several workers, the first thing to know about a slow or failing request.
access_log_format = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms worker=%(p)s'
)
wsgi_app = "webapp:create_app()"


def post_worker_init(worker):
    """Mask secrets in the access log: /h5/callback?code=..., /h5/bridge?ticket=..."""
    install_log_filter(logging.getLogger("gunicorn.access"))
    install_log_filter(logging.getLogger("gunicorn.error"))
