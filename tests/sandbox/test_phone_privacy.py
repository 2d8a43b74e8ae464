"""The phone as WeChat runs it today (reference section 6): the privacy guide (104, 112), the
scopes wx.authorize cannot or need not ask, the paid phone-number quota (1400001), and the
content review of a picked avatar or nickname."""

import pytest

from tests.sandbox.helpers import code2session, phone_number
from tests.support import MINIPROGRAM_APPID, UNBOUND_APPID, Phone

NOT_AGREED = "privacy permission is not authorized"
NOT_DECLARED = "api scope is not declared in the privacy agreement"
PRIVACY_APIS = [  # endpoint, wx API, a body that would otherwise succeed or show a sheet
    ("user-profile", "getUserProfile", {"desc": "完善资料", "decision": "allow"}),
    ("phone-number", "getPhoneNumber", {"decision": "allow"}),
    ("authorize", "authorize", {"scope": "scope.userLocation", "decision": "allow"}),
    ("choose-avatar", "chooseAvatar", {}),
]


@pytest.fixture
def newcomer(client):
    """xiaoming's phone before he answered the privacy popup."""
    return Phone(client, privacy_agreed=False)


# The privacy guide


def test_privacy_setting_asks_until_the_user_agrees(newcomer):
    assert newcomer.call("privacy-setting") == {
        "needAuthorization": True,
        "privacyContractName": "《授权实验室小程序隐私保护指引》",
        "errMsg": "getPrivacySetting:ok",
    }

    assert newcomer.call("agree-privacy") == {"errMsg": "agreePrivacyAuthorization:ok"}

    assert newcomer.call("privacy-setting")["needAuthorization"] is False
    assert newcomer.call("agree-privacy")["errMsg"] == "agreePrivacyAuthorization:ok", "again"


@pytest.mark.parametrize("endpoint, api, body", PRIVACY_APIS, ids=[p[1] for p in PRIVACY_APIS])
def test_privacy_apis_fail_with_104_until_agreed(newcomer, sandbox_state, endpoint, api, body):
    before = sandbox_state()

    answer = newcomer.call(endpoint, **body)

    assert answer == {"errMsg": f"{api}:fail {NOT_AGREED}", "errno": 104}
    assert sandbox_state() == before, "no code, no grant, no sheet answered"
    newcomer.call("agree-privacy")
    assert newcomer.call(endpoint, **body)["errMsg"] == f"{api}:ok"


def test_wx_login_needs_no_agreement(newcomer):
    code = newcomer.login()

    assert "openid" in code2session(newcomer.client, code)
    assert newcomer.call("check-session")["errMsg"] == "checkSession:ok"


def test_a_scope_the_guide_does_not_declare_fails_with_112_even_after_agreeing(phone):
    assert phone.call("authorize", scope="scope.addPhoneContact", decision="allow") == {
        "errMsg": f"authorize:fail {NOT_DECLARED}",
        "errno": 112,
    }
    assert phone.call("setting")["authSetting"] == {}


def test_the_agreement_is_per_persona_and_mini_program(phone, client):
    assert Phone(client, "lihua", privacy_agreed=False).call("privacy-setting")["needAuthorization"]
    assert Phone(client, "xiaoming", UNBOUND_APPID, privacy_agreed=False).call("privacy-setting")[
        "needAuthorization"
    ]
    assert phone.call("privacy-setting")["needAuthorization"] is False


def test_clearing_the_data_cache_keeps_it_clearing_authorization_forgets_it(phone):
    phone.call("clear", what="login")
    assert phone.call("privacy-setting")["needAuthorization"] is False

    assert phone.call("clear", what="auth")["cleared"]["privacy_agreements"] == 1

    assert phone.call("privacy-setting")["needAuthorization"] is True


# wx.authorize's special scopes; its failures carry errno


def test_background_location_cannot_be_asked_with_authorize(phone, sandbox_state):
    before = sandbox_state()

    answer = phone.call("authorize", scope="scope.userLocationBackground", decision="allow")

    assert answer["errMsg"].startswith("authorize:fail ")
    assert "settings page" in answer["errMsg"] and answer["errno"] == 103
    assert sandbox_state() == before


@pytest.mark.parametrize("scope", ["scope.address", "scope.invoice", "scope.invoiceTitle"])
def test_scopes_that_need_no_authorization_succeed_at_once(phone, sandbox_state, scope):
    before = sandbox_state()

    assert phone.call("authorize", scope=scope) == {"errMsg": "authorize:ok"}
    assert sandbox_state() == before, "no sheet, nothing recorded"


def test_a_denial_carries_errno(phone):
    assert phone.call("authorize", scope="scope.camera", decision="deny")["errno"] == 103


# The phone-number quota


def quota(client):
    return {row["appid"]: row for row in client.get("/sandbox/phone-quota").get_json()["apps"]}


def use_up_all_but(client, calls_left, appid=MINIPROGRAM_APPID):
    response = client.post("/sandbox/phone-quota", json={"appid": appid, "remaining": calls_left})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_each_allowed_tap_is_charged_and_nothing_else(phone):
    assert quota(phone.client)[MINIPROGRAM_APPID] == {
        "appid": MINIPROGRAM_APPID,
        "quota": 1000,
        "used": 0,
        "remaining": 1000,
    }
    phone.call("phone-number")  # the sheet
    phone.call("phone-number", decision="deny")
    phone.call("phone-number", decision="allow")

    assert quota(phone.client)[MINIPROGRAM_APPID]["used"] == 1


def test_a_used_up_quota_fails_the_button_with_1400001_and_no_sheet(phone, sandbox_state):
    use_up_all_but(phone.client, 1)
    assert phone.call("phone-number", decision="allow")["errMsg"] == "getPhoneNumber:ok"
    before = sandbox_state()

    for decision in (None, "allow"):
        answer = phone.call("phone-number", **({"decision": decision} if decision else {}))
        assert answer == {"errMsg": "getPhoneNumber:fail no quota", "errno": 1400001}
    assert sandbox_state() == before, "no code issued, nothing charged"


def test_the_quota_is_configurable_and_per_app(make_app):
    client = make_app(SANDBOX_PHONE_NUMBER_QUOTA=2).test_client()
    phone, neighbour = Phone(client), Phone(client, appid=UNBOUND_APPID)

    assert [phone.call("phone-number", decision="allow").get("errno") for _ in range(3)] == [
        None,
        None,
        1400001,
    ]
    assert neighbour.call("phone-number", decision="allow")["errMsg"] == "getPhoneNumber:ok"


def test_a_code_issued_before_the_quota_ran_out_still_redeems(phone, access_token):
    """The charge is the tap: the server's exchange of the code is not counted again."""
    use_up_all_but(phone.client, 1)
    code = phone.call("phone-number", decision="allow")["code"]

    body = phone_number(phone.client, access_token, code)

    assert body["errcode"] == 0 and body["phone_info"]["purePhoneNumber"] == "13800138000"


@pytest.mark.parametrize(
    "body",
    [
        {"appid": MINIPROGRAM_APPID, "remaining": -1},
        {"appid": MINIPROGRAM_APPID, "remaining": 1001},
        {"appid": MINIPROGRAM_APPID, "remaining": "0"},
        {"appid": "wx8e2f6b3d1a4c7e05", "remaining": 0},
        {"remaining": 0},
        [],
    ],
)
def test_setting_the_quota_refuses_bad_input(client, sandbox_state, body):
    before = sandbox_state()

    response = client.post("/sandbox/phone-quota", json=body)

    assert response.status_code == 400 and response.get_json()["code"] == 400
    assert sandbox_state() == before


# Content review of the avatar and nickname fill-in (base library 2.24.4+)


@pytest.mark.parametrize("kind", ["avatar", "nickname"])
def test_content_review_passes_until_the_switch_says_reject(phone, kind):
    assert phone.call("review", kind=kind) == {"pass": True, "errMsg": "review:ok"}

    assert phone.client.post("/sandbox/review-mode", json={"reject": True}).status_code == 200
    assert phone.call("review", kind=kind) == {"pass": False, "errMsg": "review:ok"}

    phone.client.post("/sandbox/review-mode", json={"reject": False})
    assert phone.call("review", kind=kind)["pass"] is True


@pytest.mark.parametrize("body", [{"reject": "yes"}, {}, []])
def test_review_mode_wants_a_boolean(client, body):
    assert client.post("/sandbox/review-mode", json=body).status_code == 400


def test_review_wants_a_kind(phone):
    response = phone.client.post(
        "/sandbox/device/review",
        json={"appid": MINIPROGRAM_APPID, "user": "xiaoming", "kind": "photo"},
    )

    assert response.status_code == 400
    assert response.get_json()["errMsg"].startswith("review:fail kind must be one of")
