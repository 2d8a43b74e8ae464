"""The app served the way ``make serve`` serves it (migrations, then gunicorn with two workers),
from an empty database, on SQLite and on PostgreSQL (TEST_DATABASE_URL)."""

from collections import Counter

from sqlalchemy import select

from tests.serving.helpers import (
    PERSONAS,
    h5_login,
    in_parallel,
    mini_program_login,
    scalars,
    shown,
    workers_serving,
)
from tests.support import MINIPROGRAM_APPID, OFFICIAL_ACCOUNT_APPID, MiniProgram
from webapp.accounts.models import Identity
from webapp.sandbox.directory import PERSONAS as PERSONAS_BY_ID
from webapp.sandbox.directory import describe_persona

ROUNDS = 4  # each persona logs in this many times, every flow on a connection of its own


def test_logins_and_web_authorization_are_served_by_several_workers(serve, fresh_database_url):
    server = serve()
    personas = [(server.url, persona) for persona in PERSONAS] * ROUNDS

    # ROUNDS persona-by-persona waves: a persona's login revokes its earlier token
    # (single-device), so its GET /api/me must come before its next login.
    logins = []
    for wave in range(ROUNDS):
        logins += in_parallel(mini_program_login, personas[wave * 3 : wave * 3 + 3])
    base_logins = in_parallel(h5_login, personas)
    # Once per persona: its first snsapi_userinfo shows the consent page, later ones not.
    userinfo_logins = in_parallel(
        h5_login, [(server.url, persona, "snsapi_userinfo") for persona in PERSONAS]
    )
    server.stop()  # every worker has written its access log when the server is gone

    for body, me in logins:
        assert body["code"] == 0, body
        assert me.status_code == 200, me.text
        assert me.json()["data"]["user"]["id"] == body["data"]["user"]["id"]
    assert len({body["data"]["user"]["id"] for body, _ in logins}) == len(PERSONAS)

    for response, hops in base_logins:
        assert hops == [
            ("/h5/login", 302),
            ("/sandbox/open/connect/oauth2/authorize", 302),
            ("/h5/callback", 302),
            ("/h5/", 200),
        ]
        assert shown(response.text)["login-method"] == "snsapi_base"
    for (response, hops), persona in zip(userinfo_logins, PERSONAS, strict=True):
        assert hops == [
            ("/h5/login", 302),
            ("/sandbox/open/connect/oauth2/authorize", 200),  # the consent page
            ("/sandbox/open/connect/oauth2/authorize/decision", 302),
            ("/h5/callback", 302),
            ("/h5/profile", 200),
        ]
        # snsapi_userinfo brings the unionid: the web login joins the mini-program's user.
        ids = describe_persona(PERSONAS_BY_ID[persona])
        assert shown(response.text) == {
            "nickname": PERSONAS_BY_ID[persona].nickname,
            "login-method": "snsapi_userinfo",
            "official-openid": ids["openids"][OFFICIAL_ACCOUNT_APPID],
            "miniprogram-openid": ids["openids"][MINIPROGRAM_APPID],
            "unionid": ids["unionid"],
            "unionid-source": "这次 snsapi_userinfo 授权返回的",
        }

    log = server.log()
    served_by = Counter()
    for method, path, count in [
        ("POST", "/api/login", len(logins)),
        ("GET", "/api/me", len(logins)),
        ("GET", "/h5/callback", len(personas) + len(PERSONAS)),
    ]:
        workers = Counter(workers_serving(log, method, path))
        assert sum(workers.values()) == count, (method, path, workers)
        served_by.update(workers)
    # The kernel picks the worker that accepts a connection, and may give one all of a path's
    # (15 callbacks, on a busy machine); over every login and callback, more than one served.
    assert len(served_by) >= 2, f"one worker served every request: {served_by}"
    # Each persona: one identity in the mini-program, one in the service account, one user.
    identities = scalars(fresh_database_url, select(Identity.user_id))
    assert len(identities) == 2 * len(PERSONAS)
    assert len(set(identities)) == len(PERSONAS)


FIRST_LOGINS = 64


def test_parallel_first_logins_of_a_new_persona_make_one_user(serve, fresh_database_url):
    """64 phones of one persona log in at once, the first time the server sees them."""
    server = serve()
    logins = in_parallel(lambda: MiniProgram(server.url, user="lihua").login(), [()] * FIRST_LOGINS)

    assert [body["code"] for body in logins] == [0] * FIRST_LOGINS, logins
    assert len({body["data"]["user"]["id"] for body in logins}) == 1
    assert sum(body["data"]["is_new_user"] for body in logins) == 1
    assert scalars(fresh_database_url, select(Identity.user_id)) == [
        logins[0]["data"]["user"]["id"]
    ]
