"""The profile both ways: what the user chose (chooseAvatar + nickname input, sent with
wx.uploadFile or as JSON), and the legacy getUserProfile payload (signed and encrypted)."""

import requests

from tests.miniapi.helpers import (
    PNG_BYTES,
    assert_error,
    legacy_profile,
    ok_data,
    snapshot,
    tamper,
)

DESC = "用于完善会员资料"


def upload(miniprogram, avatar=None, nickname=None):
    """A multipart/form-data request as wx.uploadFile sends it: the file under name "avatar",
    formData (the nickname) beside it. Either may be left out."""
    parts = {}
    if avatar is not None:
        parts["avatar"] = avatar
    if nickname is not None:
        parts["nickname"] = (None, nickname)  # a plain field, not a file
    return miniprogram.request("POST", "/api/profile", files=parts)


def save_nickname(miniprogram, nickname):
    return miniprogram.request("POST", "/api/profile", json={"nickname": nickname})


def get_profile_payload(miniprogram, **params):
    """getUserProfile on the phone, the user taps allow."""
    detail = miniprogram.wx("user-profile", desc=DESC, decision="allow", **params)
    assert detail["errMsg"] == "getUserProfile:ok", detail
    return detail


def me(miniprogram):
    return ok_data(miniprogram.request("GET", "/api/me"))["user"]


# --- what the user chose -------------------------------------------------------------------------


def test_an_uploaded_avatar_and_nickname_are_saved_and_served(logged_in):
    response = upload(logged_in, ("a.png", PNG_BYTES, "image/png"), nickname="  小明同学  ")

    user = ok_data(response)["user"]
    assert user["nickname"] == "小明同学"
    assert user["avatar_url"].startswith(logged_in.base_url + "/api/avatars/")
    assert me(logged_in) == user

    served = requests.get(user["avatar_url"])  # an <image src>: no token needed
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/png"
    assert served.content == PNG_BYTES


def test_the_image_type_comes_from_the_bytes_not_the_name(logged_in):
    user = ok_data(upload(logged_in, ("avatar.jpg", PNG_BYTES, "image/jpeg")))["user"]

    assert requests.get(user["avatar_url"]).headers["Content-Type"] == "image/png"


def test_a_text_file_named_png_is_refused_and_nothing_changes(app, logged_in):
    before = snapshot(app)

    response = upload(
        logged_in, ("a.png", b"just some text, honestly", "image/png"), nickname="新名字"
    )

    body = assert_error(response, 400, 40005)
    assert "not a PNG, JPEG, GIF or WebP" in body["msg"]
    assert snapshot(app) == before


def test_an_avatar_over_the_size_limit_is_refused(app, logged_in):
    too_big = PNG_BYTES + b"\0" * (app.config["AVATAR_MAX_BYTES"] + 1 - len(PNG_BYTES))
    before = snapshot(app)

    body = assert_error(upload(logged_in, ("a.png", too_big, "image/png")), 400, 40005)

    assert "larger than" in body["msg"]
    assert snapshot(app) == before


def test_an_empty_file_is_refused(logged_in):
    body = assert_error(upload(logged_in, ("a.png", b"", "image/png")), 400, 40005)

    assert "empty" in body["msg"]


def test_a_nickname_alone_as_json(logged_in):
    user = ok_data(save_nickname(logged_in, "李雷"))["user"]

    assert user["nickname"] == "李雷" and user["avatar_url"] is None
    assert me(logged_in)["nickname"] == "李雷"


def test_a_nickname_alone_as_a_multipart_field(logged_in):
    assert ok_data(upload(logged_in, nickname="韩梅梅"))["user"]["nickname"] == "韩梅梅"


def test_neither_avatar_nor_nickname_is_a_400(app, logged_in):
    before = snapshot(app)

    for response in (
        logged_in.request("POST", "/api/profile", json={}),
        logged_in.request("POST", "/api/profile", json={"nickname": None}),
        logged_in.request("POST", "/api/profile", files={"other": ("x.txt", b"x", "text/plain")}),
    ):
        body = assert_error(response, 400, 40000)
        assert "'avatar' file, a 'nickname', or both" in body["msg"]

    assert snapshot(app) == before


def test_a_nickname_of_33_characters_is_too_long(app, logged_in):
    assert ok_data(save_nickname(logged_in, "名" * 32))["user"]["nickname"] == "名" * 32
    before = snapshot(app)

    for response in (
        save_nickname(logged_in, "名" * 33),
        upload(logged_in, nickname="x" * 33),
        upload(logged_in, nickname="   "),
    ):
        body = assert_error(response, 400, 40000)
        assert "1 to 32 characters" in body["msg"]

    assert snapshot(app) == before


def test_deleting_the_profile_resets_nickname_and_avatar(logged_in):
    user = ok_data(upload(logged_in, ("a.png", PNG_BYTES, "image/png"), nickname="小明"))["user"]

    data = ok_data(logged_in.request("DELETE", "/api/profile"))

    assert data["user"]["nickname"] is None and data["user"]["avatar_url"] is None
    assert me(logged_in)["nickname"] is None
    gone = requests.get(user["avatar_url"])
    assert gone.status_code == 404
    assert gone.json()["code"] == 40400


def test_an_unknown_avatar_is_a_404_in_json(logged_in):
    response = requests.get(logged_in.base_url + "/api/avatars/" + "0" * 32)

    assert_error(response, 404, 40400)


# --- the legacy getUserProfile payload ----------------------------------------------------------


def test_the_legacy_payload_today_is_anonymous_and_is_not_stored(logged_in):
    """Since 2022-11-08 every answer is 微信用户 and the gray avatar: checked, decrypted, and
    not taken as the user's profile."""
    detail = get_profile_payload(logged_in)
    assert detail["userInfo"]["nickName"] == "微信用户"

    data = ok_data(logged_in.request("POST", "/api/profile/legacy", json=legacy_profile(detail)))

    assert data["saved"] is False
    assert data["user"]["nickname"] is None and data["user"]["avatar_url"] is None
    assert any("2022-11-08" in note and "kept" in note for note in data["notes"])
    assert me(logged_in)["nickname"] is None


def test_the_anonymous_legacy_profile_never_replaces_the_one_the_user_chose(logged_in):
    chosen = ok_data(upload(logged_in, ("a.png", PNG_BYTES, "image/png"), nickname="原来的名字"))
    detail = get_profile_payload(logged_in)

    data = ok_data(logged_in.request("POST", "/api/profile/legacy", json=legacy_profile(detail)))

    assert data["saved"] is False
    assert data["user"] == chosen["user"]
    assert me(logged_in)["nickname"] == "原来的名字"
    assert requests.get(me(logged_in)["avatar_url"]).content == PNG_BYTES


def test_before_2022_the_legacy_payload_gave_the_real_nickname(app, logged_in):
    app.config["SANDBOX_PROFILE_ERA"] = "pre-2022"
    detail = get_profile_payload(logged_in)

    data = ok_data(logged_in.request("POST", "/api/profile/legacy", json=legacy_profile(detail)))

    assert data["user"]["nickname"] == "小明"
    assert data["user"]["avatar_url"].endswith("/sandbox/avatar/xiaoming.svg")
    assert data["saved"] is True and data["notes"] == []


def test_the_era_can_be_chosen_per_call_too(logged_in):
    detail = get_profile_payload(logged_in, era="pre-2022")

    data = ok_data(logged_in.request("POST", "/api/profile/legacy", json=legacy_profile(detail)))

    assert data["user"]["nickname"] == "小明"


def test_a_legacy_profile_replaces_an_uploaded_avatar(logged_in):
    ok_data(upload(logged_in, ("a.png", PNG_BYTES, "image/png")))
    detail = get_profile_payload(logged_in, era="pre-2022")

    user = ok_data(logged_in.request("POST", "/api/profile/legacy", json=legacy_profile(detail)))[
        "user"
    ]

    assert user["avatar_url"] == detail["userInfo"]["avatarUrl"]


def test_tampered_encrypted_data_is_refused_and_the_profile_is_unchanged(app, logged_in):
    ok_data(save_nickname(logged_in, "原来的名字"))
    payload = legacy_profile(get_profile_payload(logged_in, era="pre-2022"))
    payload["encryptedData"] = tamper(payload["encryptedData"])
    before = snapshot(app)

    response = logged_in.request("POST", "/api/profile/legacy", json=payload)

    body = assert_error(response, 400, 40002)
    assert body["data"]["errcode"] == -41003
    assert snapshot(app) == before
    assert me(logged_in)["nickname"] == "原来的名字"


def test_tampered_raw_data_fails_its_signature(app, logged_in):
    payload = legacy_profile(get_profile_payload(logged_in, era="pre-2022"))
    payload["rawData"] = payload["rawData"].replace("小明", "大明")
    before = snapshot(app)

    body = assert_error(logged_in.request("POST", "/api/profile/legacy", json=payload), 400, 40003)

    assert body["data"]["likely_cause"]
    assert snapshot(app) == before
