"""WeChat's conventions on the wire, whatever the API: HTTP 200 even for a wrong method or an
unknown path (43001, 43002, 40066), 44002 for an empty POST body, JSON labelled text/plain on
jscode2session and sns/*; and the phone's endpoints failing the way a wx API fails."""

import json

import pytest

from tests.sandbox.helpers import (
    API,
    assert_error,
    code2session,
    sns_userinfo,
    web_login,
    wechat_answer,
)
from tests.support import MINIPROGRAM_APPID


@pytest.mark.parametrize(
    "method, path",
    [
        ("POST", "/sns/jscode2session"),
        ("POST", "/cgi-bin/token"),
        ("DELETE", "/wxa/checksession"),
        ("PUT", "/sns/userinfo"),
    ],
)
def test_wrong_method_on_a_get_api_is_43001(client, method, path):
    assert_error(wechat_answer(client.open(f"{API}{path}", method=method)), 43001)


@pytest.mark.parametrize("path", ["/cgi-bin/stable_token", "/wxa/business/getuserphonenumber"])
def test_get_on_a_post_api_is_43002(client, path):
    assert_error(wechat_answer(client.get(f"{API}{path}")), 43002)


@pytest.mark.parametrize(
    "path", ["/sns/jscode2sesion", "/cgi-bin/tokens", "/wxa/", "/nothing/here", "/"]
)
def test_unknown_path_is_40066(client, path):
    assert_error(wechat_answer(client.get(f"{API}{path}")), 40066)


@pytest.mark.parametrize("body", [b"", b"  \n"], ids=["nothing", "whitespace"])
@pytest.mark.parametrize("path", ["/cgi-bin/stable_token", "/wxa/business/getuserphonenumber"])
def test_empty_post_body_is_44002(client, access_token, path, body, sandbox_state):
    before = sandbox_state()

    response = client.post(
        f"{API}{path}",
        query_string={"access_token": access_token},
        data=body,
        content_type="application/json",
    )

    assert_error(wechat_answer(response), 44002)
    assert sandbox_state() == before


def test_a_body_that_is_not_a_json_object_is_still_47001(client):
    response = client.post(f"{API}/cgi-bin/stable_token", data="[]", content_type="text/plain")

    assert_error(wechat_answer(response), 47001)


def test_jscode2session_answers_json_labelled_text_plain(phone):
    response = phone.client.get(
        f"{API}/sns/jscode2session",
        query_string={"appid": MINIPROGRAM_APPID, "js_code": phone.login()},
    )

    assert response.headers["Content-Type"] == "text/plain"  # no charset either
    assert_error(json.loads(response.get_data()), 41004)


def test_sns_answers_are_text_plain_errors_included(client):
    for path in ("/sns/oauth2/access_token", "/sns/oauth2/refresh_token", "/sns/userinfo"):
        response = client.get(f"{API}{path}")
        assert response.headers["Content-Type"] == "text/plain", path
        assert json.loads(response.get_data())["errcode"] != 0


def test_chinese_is_sent_as_utf8_not_escaped(client):
    """WeChat writes 小明 as its UTF-8 bytes: a client that decodes with the wrong charset
    (text/plain's default, ISO-8859-1) garbles it."""
    token = web_login(client, scope="snsapi_userinfo")
    raw = client.get(
        f"{API}/sns/userinfo",
        query_string={"access_token": token["access_token"], "openid": token["openid"]},
    ).get_data()

    assert "小明".encode() in raw
    assert sns_userinfo(client, token["access_token"], token["openid"])["nickname"] == "小明"


def test_other_apis_answer_application_json(client):
    response = client.get(f"{API}/cgi-bin/token", query_string={"grant_type": "client_credential"})

    assert response.headers["Content-Type"] == "application/json"
    assert_error(wechat_answer(response), 41002)


def test_success_bodies_keep_their_shape_under_text_plain(phone):
    body = code2session(phone.client, phone.login())

    assert set(body) == {"openid", "session_key", "unionid"} and "errcode" not in body


# The phone: every failure is the wx API's own, {"errMsg": "<api>:fail <reason>"}.


def test_phone_endpoint_with_the_wrong_method_fails_as_its_api(client):
    response = client.get("/sandbox/device/login")

    assert response.status_code == 405
    assert response.get_json() == {"errMsg": "login:fail method GET not allowed"}


def test_unknown_phone_endpoint_fails_as_a_wx_api(client):
    response = client.post("/sandbox/device/getLocation", json={"appid": MINIPROGRAM_APPID})

    assert response.status_code == 404
    assert response.get_json() == {"errMsg": "getLocation:fail no such api on the sandbox phone"}
