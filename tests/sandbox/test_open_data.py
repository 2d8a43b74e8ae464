"""Open data: the sandbox encrypts and signs as WeChat does, so WeChat's own decryptor reads it."""

import json
import time

from tests.sandbox.helpers import code2session, decrypt, raw_data_signature
from tests.support import MINIPROGRAM_APPID

# The official WXBizDataCrypt demo (the same in every language's sample).
DEMO_APPID = "wx4f4bc4dec97d474b"
DEMO_SESSION_KEY = "tiihtNczf5v6AKRyjwEUhQ=="
DEMO_IV = "r7BXXKkLb8qrSNn05n0qiA=="
DEMO_ENCRYPTED_DATA = (
    "CiyLU1Aw2KjvrjMdj8YKliAjtP4gsMZMQmRzooG2xrDcvSnxIMXFufNstNGTyaGS9uT5geRa0W4oTOb1WT7fJlAC"
    "+oNPdbB+3hVbJSRgv+4lGOETKUQz6OYStslQ142dNCuabNPGBzlooOmB231qMM85d2/fV6ChevvXvQP8Hkue1poO"
    "FtnEtpyxVLW1zAo6/1Xx1COxFvrc2d7UL/lmHInNlxuacJXwu0fjpXfz/YqYzBIBzD6WUfTIF9GRHpOn/Hz7saL8"
    "xz+W//FRAUid1OksQaQx4CMs8LOddcQhULW4ucetDf96JcR3g0gfRK4PC7E/r7Z6xNrXd2UIeorGj5Ef7b1pJAYB"
    "6Y5anaHqZ9J6nKEBvB4DnNLIVWSgARns/8wR2SiRS7MNACwTyrGvt9ts8p12PKFdlqYTopNHR1Vf7XjfhQlVsAJd"
    "NiKdYmYVoKlaRv85IfVunYzO0IKXsyl7JCUjCpoG20f0a04COwfneQAGGwd5oa+T8yO5hzuyDb/XcxxmK01EpqOy"
    "uxINew=="
)


def test_decryptor_reads_the_official_demo():
    """Proves the tests' decryptor is WeChat's algorithm: what it reads is in WeChat's format."""
    data = decrypt(DEMO_SESSION_KEY, DEMO_ENCRYPTED_DATA, DEMO_IV)

    assert data["openId"] == "oGZUI0egBJY1zhBYw2KhdUfwVJJE"
    assert data["nickName"] == "Band"
    assert data["watermark"] == {"timestamp": 1477314187, "appid": DEMO_APPID}


def test_profile_round_trip(phone, clock):
    """wx.login, getUserProfile, then the server decrypts with the session_key it got."""
    code = phone.login()
    profile = phone.call("user-profile", desc="展示你的头像昵称", decision="allow")
    session_key = code2session(phone.client, code)["session_key"]

    data = decrypt(session_key, profile["encryptedData"], profile["iv"])

    assert data == {
        **profile["userInfo"],
        "watermark": {"appid": MINIPROGRAM_APPID, "timestamp": int(time.time())},
    }
    assert "openId" not in data and "unionId" not in data  # gone since 2021-04
    assert json.loads(profile["rawData"]) == profile["userInfo"]
    assert profile["signature"] == raw_data_signature(profile["rawData"], session_key)


def test_phone_number_round_trip(phone_of):
    """The legacy path: getPhoneNumber's encryptedData, decrypted with the session_key."""
    amy = phone_of("amy")
    code = amy.login()
    button = amy.call("phone-number", decision="allow")
    session_key = code2session(amy.client, code)["session_key"]

    data = decrypt(session_key, button["encryptedData"], button["iv"])

    assert data["phoneNumber"] == "+85261234567"
    assert data["purePhoneNumber"] == "61234567"
    assert data["countryCode"] == "852"
    assert data["watermark"]["appid"] == MINIPROGRAM_APPID


def test_every_call_uses_a_fresh_iv(phone):
    first = phone.call("user-profile", desc="头像昵称", decision="allow")
    second = phone.call("user-profile", desc="头像昵称", decision="allow")

    assert first["iv"] != second["iv"]
    assert first["encryptedData"] != second["encryptedData"]


def test_watermark_is_unix_time_in_any_time_zone(phone, shanghai_time):
    """A server in China runs at UTC+8: the watermark is still seconds since 1970 UTC, so a
    freshness check against time.time() passes for data made just now."""
    code = phone.login()
    profile = phone.call("user-profile", desc="头像昵称", decision="allow")
    session_key = code2session(phone.client, code)["session_key"]

    stamp = decrypt(session_key, profile["encryptedData"], profile["iv"])["watermark"]["timestamp"]

    assert abs(time.time() - stamp) <= 2, time.time() - stamp


def test_fresh_data_passes_the_decrypt_commands_max_age_in_any_time_zone(
    phone, runner, shanghai_time
):
    """The bug a UTC+8 server met: fresh data looked 8 hours old, and --max-age refused it."""
    code = phone.login()
    button = phone.call("phone-number", decision="allow")
    session_key = code2session(phone.client, code)["session_key"]

    result = runner.invoke(
        args=[
            "wechat",
            "decrypt",
            "--appid",
            MINIPROGRAM_APPID,
            "--session-key",
            session_key,
            "--iv",
            button["iv"],
            "--data",
            button["encryptedData"],
            "--max-age",
            "60",
        ]
    )

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["purePhoneNumber"] == "13800138000"
