"""authlib, adapted to WeChat's dialect (webapp/h5/wechat_oauth.py), checked piece by piece."""

import json
import time

import pytest
import requests
from flask import session

from tests.support import OFFICIAL_ACCOUNT_APPID, OFFICIAL_ACCOUNT_SECRET
from webapp.h5.wechat_oauth import (
    ExpiringStateIntegration,
    appid_and_secret_in_query,
    raise_errcode,
    web_auth_client,
)
from webapp.wechat.errors import WeChatError, WeChatUnavailable

CALLBACK = "http://127.0.0.1:5000/h5/callback"


def test_the_authorize_url_is_exactly_wechats(app):
    """appid (not client_id), WeChat's parameter order, the redirect_uri encoded, and the
    #wechat_redirect fragment WeChat requires. The mounted sandbox's page is a path on this
    server, whatever host the request named."""
    with app.test_request_context("/h5/login", base_url="http://attacker.example"):
        authorization = web_auth_client().create_authorization_url(CALLBACK, scope="snsapi_base")

    assert authorization["url"] == (
        "/sandbox/open/connect/oauth2/authorize"
        f"?appid={OFFICIAL_ACCOUNT_APPID}"
        "&redirect_uri=http%3A%2F%2F127.0.0.1%3A5000%2Fh5%2Fcallback"
        "&response_type=code&scope=snsapi_base"
        f"&state={authorization['state']}#wechat_redirect"
    )


def test_the_state_is_32_letters_and_digits_and_new_each_time(app):
    with app.test_request_context("/h5/login"):
        client = web_auth_client()
        states = {
            client.create_authorization_url(CALLBACK, scope="snsapi_base")["state"]
            for _ in range(20)
        }

    assert len(states) == 20
    assert all(len(state) == 32 and state.isalnum() and state.isascii() for state in states)


def test_real_wechat_is_configuration_only(app):
    app.config.update(
        WECHAT_OPEN_BASE="https://open.weixin.qq.com", WECHAT_API_BASE="https://api.weixin.qq.com"
    )
    with app.test_request_context("/h5/login"):
        client = web_auth_client()
        url = client.create_authorization_url(CALLBACK, scope="snsapi_userinfo")["url"]

    assert url.startswith("https://open.weixin.qq.com/connect/oauth2/authorize?appid=")
    assert client.access_token_url == "https://api.weixin.qq.com/sns/oauth2/access_token"


def test_the_token_request_carries_appid_and_secret_in_the_query_and_nothing_else():
    class Client:
        client_id, client_secret = OFFICIAL_ACCOUNT_APPID, OFFICIAL_ACCOUNT_SECRET

    uri, headers, body = appid_and_secret_in_query(
        Client(),
        "GET",
        "https://api.weixin.qq.com/sns/oauth2/access_token?grant_type=authorization_code"
        "&code=CODE&redirect_uri=x&client_id=y",
        {},
        "",
    )

    assert uri == (
        "https://api.weixin.qq.com/sns/oauth2/access_token"
        f"?appid={OFFICIAL_ACCOUNT_APPID}&secret={OFFICIAL_ACCOUNT_SECRET}"
        "&grant_type=authorization_code&code=CODE"
    )


def wechat_answer(body, content_type="text/plain"):
    """An answer as WeChat's sns/* APIs send it: UTF-8 JSON labelled text/plain, no charset."""
    response = requests.Response()
    response.status_code = 200
    response.headers["Content-Type"] = content_type
    response.encoding = requests.utils.get_encoding_from_headers(response.headers)
    response._content = json.dumps(body, ensure_ascii=False).encode()
    return response


def test_an_errcode_answer_becomes_a_wechat_error():
    with pytest.raises(WeChatError) as raised:
        raise_errcode(wechat_answer({"errcode": 40163, "errmsg": "code been used"}))

    assert raised.value.errcode == 40163


def test_a_token_answer_keeps_openid_unionid_and_gets_a_token_type():
    answer = raise_errcode(
        wechat_answer(
            {
                "access_token": "T",
                "expires_in": 7200,
                "openid": "o1",
                "unionid": "u1",
                "scope": "snsapi_userinfo",
            }
        )
    )

    assert answer.json() == {
        "access_token": "T",
        "expires_in": 7200,
        "openid": "o1",
        "unionid": "u1",
        "scope": "snsapi_userinfo",
        "token_type": "Bearer",
    }


def test_a_text_plain_answer_is_read_as_utf8_json_whatever_requests_guesses():
    answer = wechat_answer({"access_token": "T", "openid": "o1", "nickname": "小明"})
    assert answer.encoding == "ISO-8859-1"  # what requests takes text/* without charset for

    assert raise_errcode(answer).json()["nickname"] == "小明"


def test_a_body_that_is_not_json_is_wechat_unavailable():
    response = requests.Response()
    response.status_code = 502
    response._content = b"<html>Bad Gateway</html>"

    with pytest.raises(WeChatUnavailable):
        raise_errcode(response)


def test_an_expired_state_is_refused_when_read(app):
    """authlib records an expiry with the state but does not check it on read; we do."""
    integration = ExpiringStateIntegration("wechat")
    with app.test_request_context("/h5/callback"):
        integration.set_state_data(session, "fresh", {"next": "/h5/"})
        integration.set_state_data(session, "stale", {"next": "/h5/"})
        session["_state_wechat_stale"]["exp"] = time.time() - 1

        assert integration.get_state_data(session, "fresh") == {"next": "/h5/"}
        assert integration.get_state_data(session, "stale") is None
