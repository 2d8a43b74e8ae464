"""Where a request's time goes, in process: what `make bench`'s ratios come from.

    .venv/bin/python -m benchmarks.profile [me | login] [--requests 2000]

On a scratch SQLite file, with the test client (no server, no network): first the cost of
one GET /livez (the bare endpoint), one GET /api/me and one mini-program login (the phone's
wx.login, then POST /api/login, whose jscode2session reaches the sandbox in-process), each
averaged; then pyinstrument's call tree for the one named (default: me).
"""

import argparse
import os
import tempfile
import time

from flask_migrate import upgrade
from pyinstrument import Profiler

from config import SANDBOX_MINIPROGRAM_APPID
from webapp import create_app

SETTINGS = {
    "RATELIMIT_ENABLED": "false",
    "SANDBOX_CODE2SESSION_PER_MINUTE": str(10**9),  # two personas log in again and again
    "LAB_RECORDING": "0",
}
LOGIN_PERSONAS = ("xiaoming", "lihua")
TOKEN_PERSONA = "amy"  # /api/me's token: no login of the others revokes it


class Calls:
    """The three calls measured, on one app's test client."""

    def __init__(self, client):
        self.client = client
        token = self.login(TOKEN_PERSONA)["data"]["token"]
        self.bearer = {"Authorization": f"Bearer {token}"}

    def livez(self, number):
        return self.client.get("/livez")

    def me(self, number):
        return self.client.get("/api/me", headers=self.bearer)

    def login(self, persona):
        phone = self.client.post(
            "/sandbox/device/login", json={"appid": SANDBOX_MINIPROGRAM_APPID, "user": persona}
        )
        return self.client.post("/api/login", json={"code": phone.get_json()["code"]}).get_json()

    def nth_login(self, number):
        return self.login(LOGIN_PERSONAS[number % len(LOGIN_PERSONAS)])


def per_call(call, times):
    """Milliseconds per call of ``call(number)``, over ``times`` calls."""
    started = time.perf_counter()
    for number in range(times):
        call(number)
    return (time.perf_counter() - started) / times * 1000


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profiled", nargs="?", choices=("me", "login"), default="me")
    parser.add_argument("--requests", type=int, default=2000, help="of /livez and /api/me")
    args = parser.parse_args(argv)
    logins = max(args.requests // 10, 10)

    with tempfile.TemporaryDirectory() as folder:
        os.environ.update(SETTINGS, DATABASE_URL=f"sqlite:///{folder}/profile.db")
        app = create_app()
        with app.app_context():
            upgrade()
        calls = Calls(app.test_client())
        per_call(calls.me, 200)  # warm up: pools, caches
        per_call(calls.nth_login, 20)

        livez = per_call(calls.livez, args.requests)
        me = per_call(calls.me, args.requests)
        login = per_call(calls.nth_login, logins)
        print(f"in process, without the profiler: GET /livez {livez:.3f} ms")
        print(f"  GET /api/me {me:.3f} ms ({me / livez:.1f} × /livez)")
        print(f"  a login {login:.2f} ms ({login / livez:.1f} × /livez)")

        profiler = Profiler(interval=0.0002)
        with profiler:
            if args.profiled == "me":
                per_call(calls.me, args.requests)
            else:
                per_call(calls.nth_login, logins)
        print(profiler.output_text(color=False))


if __name__ == "__main__":
    main()
