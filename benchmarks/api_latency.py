"""Measure login and /api/me latency against the sandbox, over real HTTP on this machine.

    .venv/bin/python -m benchmarks.api_latency [--requests 200] [--database-url URL]

A login is the full round trip a mini-program makes: wx.login on the sandbox phone, then
POST /api/login, which calls the sandbox's jscode2session (in-process). Figures are wall-clock
milliseconds, one request at a time, from a threaded development server. By default the
database is a new SQLite file; a --database-url must name a scratch database: the benchmark
drops its tables at the end.
"""

import argparse
import logging
import statistics
import tempfile
import threading
import time

import flask_migrate
import requests
from werkzeug.serving import make_server

from webapp import create_app

APPID = "wx5d1c4a0f3e2b7a91"


def serve(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def timed(call, times):
    durations = []
    for _ in range(times):
        start = time.perf_counter()
        call()
        durations.append((time.perf_counter() - start) * 1000)
    return durations


def report(name, durations):
    ordered = sorted(durations)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    print(
        f"{name:<28} n={len(ordered):<5} mean={statistics.mean(ordered):6.2f} ms  "
        f"p50={statistics.median(ordered):6.2f} ms  p95={p95:6.2f} ms  max={ordered[-1]:6.2f} ms"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request

    database_url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite"
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "TESTING": False,
            "LOGIN_POLICY": "multi-device",
            "SANDBOX_CODE2SESSION_PER_MINUTE": 10**6,
        }
    )
    with app.app_context():
        flask_migrate.upgrade()
    server, base = serve(app)
    http = requests.Session()

    def login():
        code = http.post(f"{base}/sandbox/device/login", json={"appid": APPID}).json()["code"]
        body = http.post(f"{base}/api/login", json={"code": code}).json()
        assert body["code"] == 0, body
        return body["data"]["token"]

    token = login()  # warm up: tables, the first connection

    def me():
        assert http.get(f"{base}/api/me", headers={"Authorization": f"Bearer {token}"}).ok

    print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}")
    report("login (wx.login + /api/login)", timed(login, args.requests))
    report("GET /api/me", timed(me, args.requests))
    server.shutdown()
    if args.database_url:
        with app.app_context():
            flask_migrate.downgrade(revision="base")


if __name__ == "__main__":
    main()
