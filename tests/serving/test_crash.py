"""A server killed with SIGKILL in the middle of a login load, then started again on the same
database: every login it had answered still works."""

import threading

import requests

from tests.serving.helpers import PERSONAS, TIMEOUT, in_parallel
from tests.support import MiniProgram

CLIENTS = 8
ANSWERED_BEFORE_KILL = 24
MAX_LOGINS_PER_CLIENT = 50  # a bound on the load, whatever happens


def test_every_answered_login_survives_a_kill_and_restart(serve):
    # multi-device: no login revokes another, so every token answered must still be live.
    settings = {"LOGIN_POLICY": "multi-device"}
    server = serve(**settings)
    answered, cut_off = [], []
    enough = threading.Semaphore(0)

    def log_in_until_the_server_dies(persona):
        miniprogram = MiniProgram(server.url, user=persona)
        for _ in range(MAX_LOGINS_PER_CLIENT):
            try:
                body = miniprogram.login()
            except requests.RequestException as error:
                cut_off.append(error)
                return
            assert body["code"] == 0, body
            answered.append((miniprogram.token, body["data"]["user"]["id"]))
            enough.release()

    clients = [
        threading.Thread(target=log_in_until_the_server_dies, args=(PERSONAS[n % 3],))
        for n in range(CLIENTS)
    ]
    for client in clients:
        client.start()
    for _ in range(ANSWERED_BEFORE_KILL):
        assert enough.acquire(timeout=TIMEOUT), f"only {len(answered)} logins answered"
    server.kill()
    for client in clients:
        client.join(TIMEOUT)
    assert cut_off, "no login was in flight when the server was killed"

    restarted = serve(**settings)
    tokens = list(answered)
    assert len(tokens) >= ANSWERED_BEFORE_KILL

    def me(token):
        return requests.get(
            f"{restarted.url}/api/me", headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT
        )

    answers = in_parallel(me, [(token,) for token, _ in tokens], threads=CLIENTS)
    assert [(a.status_code, a.json()["data"]["user"]["id"]) for a in answers] == [
        (200, user_id) for _, user_id in tokens
    ]
