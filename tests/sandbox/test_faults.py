"""Fault injection: make the next N calls of one server API answer a chosen errcode."""

import pytest

from tests.sandbox.helpers import (
    assert_error,
    check_session,
    code2session,
    fetch_token,
    login,
    phone_number,
    stable_token,
)


def inject(client, **fault):
    return client.post("/sandbox/faults", json=fault)


def pending(client):
    return client.get("/sandbox/faults").get_json()["faults"]


def test_injected_fault_answers_the_next_calls(client, phone):
    code = phone.login()

    response = inject(client, api="jscode2session", errcode=-1, times=2)

    assert response.status_code == 201
    fault = response.get_json()["fault"]
    assert {k: fault[k] for k in ("api", "errcode", "remaining")} == {
        "api": "jscode2session",
        "errcode": -1,
        "remaining": 2,
    }
    for _ in range(2):
        body = code2session(client, code)
        assert_error(body, -1)
        assert body["errmsg"].startswith("system error, rid: ")
    assert pending(client) == []
    assert "openid" in code2session(client, code), "a faulted call does not spend the code"


def test_faults_only_touch_their_api(client, access_token, phone):
    inject(client, api="getuserphonenumber", errcode=45011)

    session = login(phone)

    assert check_session(client, access_token, session)["errcode"] == 0
    assert [f["api"] for f in pending(client)] == ["getuserphonenumber"]


@pytest.mark.parametrize(
    "api",
    [
        "jscode2session",
        "token",
        "stable_token",
        "checksession",
        "resetusersessionkey",
        "getuserphonenumber",
    ],
)
def test_every_server_api_can_fail(client, phone, api):
    session = login(phone)
    token = fetch_token(client)["access_token"]
    phone_code = phone.call("phone-number", decision="allow")["code"]
    calls = {
        "jscode2session": lambda: code2session(client, phone.login()),
        "token": lambda: fetch_token(client),
        "stable_token": lambda: stable_token(client),
        "checksession": lambda: check_session(client, token, session),
        "resetusersessionkey": lambda: check_session(
            client, token, session, api="resetusersessionkey"
        ),
        "getuserphonenumber": lambda: phone_number(client, token, phone_code),
    }
    inject(client, api=api, errcode=-1)

    assert_error(calls[api](), -1)
    assert calls[api]().get("errcode", 0) == 0, "one call only"


def test_faults_are_served_oldest_first(client, phone):
    inject(client, api="token", errcode=-1)
    inject(client, api="token", errcode=45011)

    assert_error(fetch_token(client), -1)
    assert_error(fetch_token(client), 45011)
    assert "access_token" in fetch_token(client)


def test_delete_removes_pending_faults(client):
    inject(client, api="token", errcode=-1, times=3)
    inject(client, api="checksession", errcode=40001)

    assert client.delete("/sandbox/faults").get_json() == {"cleared": 2}
    assert pending(client) == []
    assert "access_token" in fetch_token(client)


@pytest.mark.parametrize(
    "body",
    [
        {"api": "sendmessage", "errcode": -1},
        {"errcode": -1},
        {"api": "token", "errcode": 12345},
        {"api": "token"},
        {"api": "token", "errcode": "-1"},
        {"api": "token", "errcode": True},
        {"api": "token", "errcode": -1, "times": 0},
        {"api": "token", "errcode": -1, "times": 1001},
        {"api": "token", "errcode": -1, "times": 1.5},
        {"api": ["token"], "errcode": -1},
        ["token", -1],
    ],
    ids=[
        "unknown api",
        "no api",
        "unknown errcode",
        "no errcode",
        "errcode text",
        "errcode boolean",
        "times 0",
        "times 1001",
        "times float",
        "api list",
        "a list",
    ],
)
def test_bad_fault_is_refused_and_changes_nothing(client, sandbox_state, body):
    inject(client, api="checksession", errcode=87009)
    before = sandbox_state()

    response = (
        inject(client, **body)
        if isinstance(body, dict)
        else client.post("/sandbox/faults", json=body)
    )

    assert response.status_code == 400
    assert response.get_json()["code"] == 400 and response.get_json()["msg"]
    assert sandbox_state() == before
    assert "access_token" in fetch_token(client)


def test_body_not_json_is_refused(client, sandbox_state):
    before = sandbox_state()

    response = client.post("/sandbox/faults", data="api=token&errcode=-1")

    assert response.status_code == 400
    assert sandbox_state() == before


# The same from the shell: flask --app webapp sandbox ...


def test_cli_injects_lists_and_clears(runner, client, phone):
    result = runner.invoke(args=["sandbox", "fault", "jscode2session", "-1", "--times", "2"])
    assert result.exit_code == 0, result.output
    assert "jscode2session" in result.output

    listing = runner.invoke(args=["sandbox", "faults"]).output
    assert "jscode2session: errcode -1 for 2 more call(s)" in listing
    assert_error(code2session(client, phone.login()), -1)

    assert runner.invoke(args=["sandbox", "faults", "--clear"]).output.strip() == (
        "Removed 1 fault(s)."
    )
    assert runner.invoke(args=["sandbox", "faults"]).output.strip() == "No pending faults."
    assert "openid" in code2session(client, phone.login())


@pytest.mark.parametrize(
    "args",
    [
        ["sendmessage", "-1"],
        ["token", "12345"],
        ["token", "-1", "--times", "0"],
        ["token", "minus-one"],
    ],
    ids=["unknown api", "unknown errcode", "times 0", "errcode not a number"],
)
def test_cli_refuses_bad_faults(runner, client, args):
    result = runner.invoke(args=["sandbox", "fault", *args])

    assert result.exit_code == 2, result.output
    assert pending(client) == []
