"""webapp.wechat.crypto: WeChat's demo vector, a round trip, and every way it refuses data."""

import base64
import hashlib
import json
import os
from urllib.parse import quote

import pytest
from Crypto.Cipher import AES
from Crypto.Util.Padding import pad

from webapp.wechat import crypto
from webapp.wechat.crypto import OpenDataError, StaleDataError


def encrypt(key, iv, payload):
    """Encrypt as WeChat does, written here so the test shares no code with the sandbox."""
    plaintext = json.dumps(payload, ensure_ascii=False).encode()
    ciphertext = AES.new(key, AES.MODE_CBC, iv).encrypt(pad(plaintext, 16))
    return base64.b64encode(ciphertext).decode()


def b64(raw):
    return base64.b64encode(raw).decode()


def refusal(demo, **changes):
    """Decrypt the demo vector with some arguments changed; return the OpenDataError."""
    args = {
        "session_key": demo.session_key,
        "encrypted_data": demo.encrypted_data,
        "iv": demo.iv,
        "appid": demo.appid,
        **changes,
    }
    with pytest.raises(OpenDataError) as caught:
        crypto.decrypt(**args)
    return caught.value


def test_decrypts_wechats_demo_vector(demo):
    data = crypto.decrypt(demo.session_key, demo.encrypted_data, demo.iv, demo.appid)

    assert data["openId"] == "oGZUI0egBJY1zhBYw2KhdUfwVJJE"
    assert data["nickName"] == "Band"
    assert data["watermark"] == {"timestamp": 1477314187, "appid": "wx4f4bc4dec97d474b"}


def test_round_trip_with_fresh_key_and_chinese_text():
    key, iv, now = os.urandom(16), os.urandom(16), 1_700_000_000
    payload = {
        "nickName": "微信用户",
        "watermark": {"appid": "wx5d1c4a0f3e2b7a91", "timestamp": now},
    }

    data = crypto.decrypt(
        b64(key), encrypt(key, iv, payload), b64(iv), "wx5d1c4a0f3e2b7a91", max_age=60, now=now + 5
    )

    assert data == payload


@pytest.mark.parametrize(
    "session_key, reason",
    [
        ("tiihtNczf5v6AKRyjwEUhQ=", "session_key is 23 characters, not 24"),
        ("tiihtNczf5v6AKRyjwEUhQ!!", "session_key is not base64 of 16 bytes"),
        ("tiihtNczf5v6AKRyjwEUhQAA", "session_key is not base64 of 16 bytes"),  # 18 bytes
        ("tiihtNczf5v6AKRyjwEUhQ=é", "session_key is not base64 of 16 bytes"),
        (None, "session_key is NoneType, not a string"),
        (b"tiihtNczf5v6AKRyjwEUhQ==", "session_key is bytes, not a string"),
    ],
)
def test_illegal_session_key_is_41001(demo, session_key, reason):
    error = refusal(demo, session_key=session_key)

    assert (error.code, error.reason) == (-41001, reason)


@pytest.mark.parametrize(
    "iv, reason",
    [
        ("r7BXXKkLb8qrSNn05n0qiA", "iv is 22 characters, not 24"),
        ("r7BXXKkLb8qrSNn05n0qi$==", "iv is not base64 of 16 bytes"),
        (None, "iv is NoneType, not a string"),
    ],
)
def test_illegal_iv_is_41002(demo, iv, reason):
    error = refusal(demo, iv=iv)

    assert (error.code, error.reason) == (-41002, reason)
    assert str(error) == f"error -41002: {reason}"


def test_a_rotated_session_key_is_41003_and_says_so(demo):
    error = refusal(demo, session_key=b64(bytes(16)))

    assert error.code == -41003
    assert "session_key has rotated" in error.likely_cause


def test_data_for_another_appid_is_41003_and_names_both(demo):
    error = refusal(demo, appid="wx5d1c4a0f3e2b7a91")

    assert error.code == -41003
    assert error.reason == (
        "watermark appid 'wx4f4bc4dec97d474b' is not this app's appid 'wx5d1c4a0f3e2b7a91'"
    )
    assert "another appid" in error.likely_cause


def test_plaintext_without_watermark_is_41003():
    key, iv = os.urandom(16), os.urandom(16)

    with pytest.raises(OpenDataError) as caught:
        crypto.decrypt(b64(key), encrypt(key, iv, {"nickName": "x"}), b64(iv), "wx5d1c4a0f3e2b7a91")

    error = caught.value
    assert (error.code, error.reason) == (-41003, "decrypted JSON has no watermark object")


def test_a_flipped_byte_in_the_middle_is_refused(demo):
    ciphertext = bytearray(base64.b64decode(demo.encrypted_data))
    ciphertext[len(ciphertext) // 2] ^= 0x01

    error = refusal(demo, encrypted_data=b64(ciphertext))

    assert error.code == -41003


def test_truncated_ciphertext_is_41003(demo):
    ciphertext = base64.b64decode(demo.encrypted_data)[:-1]

    error = refusal(demo, encrypted_data=b64(ciphertext))

    assert error.code == -41003
    assert error.reason == "encryptedData is 399 bytes, not whole 16-byte blocks"


def test_plus_turned_into_space_is_41004_and_blames_url_encoding(demo):
    error = refusal(demo, encrypted_data=demo.encrypted_data.replace("+", " "))

    assert (error.code, error.reason) == (-41004, "encryptedData is not valid base64")
    assert "URL-encoding" in error.likely_cause


def test_still_percent_encoded_data_is_41004(demo):
    error = refusal(demo, encrypted_data=quote(demo.encrypted_data, safe=""))

    assert error.code == -41004
    assert "still URL-encoded" in error.likely_cause


@pytest.mark.parametrize("encrypted_data", [None, 42, "", "密文"])
def test_missing_or_non_base64_data_is_41004(demo, encrypted_data):
    assert refusal(demo, encrypted_data=encrypted_data).code == -41004


def test_freshness_is_checked_only_when_asked(demo):
    assert (
        crypto.decrypt(demo.session_key, demo.encrypted_data, demo.iv, demo.appid, max_age=None)[
            "nickName"
        ]
        == "Band"
    )

    with pytest.raises(StaleDataError) as caught:
        crypto.decrypt(demo.session_key, demo.encrypted_data, demo.iv, demo.appid, max_age=60)

    assert caught.value.code == -41003
    assert caught.value.reason.startswith("watermark timestamp is ")


@pytest.mark.parametrize(
    "age, reason",
    [
        (60, None),
        (61, "watermark timestamp is 61 s old"),
        (-60, None),
        (-61, "watermark timestamp is 61 s in the future"),
    ],
)
def test_max_age_boundaries(demo, age, reason):
    args = (demo.session_key, demo.encrypted_data, demo.iv, demo.appid)
    if reason is None:
        assert crypto.decrypt(*args, max_age=60, now=demo.timestamp + age)["nickName"] == "Band"
        return
    with pytest.raises(StaleDataError) as caught:
        crypto.decrypt(*args, max_age=60, now=demo.timestamp + age)
    assert caught.value.reason == reason


def test_verify_raw_data():
    session_key = "HyVFkGl5F5OQWJZZaNzBBg=="
    raw_data = '{"nickName":"微信用户","gender":0}'
    signature = hashlib.sha1((raw_data + session_key).encode()).hexdigest()

    assert crypto.verify_raw_data(raw_data, signature, session_key) is True
    assert crypto.verify_raw_data(raw_data + " ", signature, session_key) is False
    assert crypto.verify_raw_data(raw_data, signature, "tiihtNczf5v6AKRyjwEUhQ==") is False
    assert crypto.verify_raw_data(raw_data, None, session_key) is False


def test_checksession_signature_reference_vector():
    assert crypto.checksession_signature("o0q0otL8aEzpcZL/FT9WsQ==") == (
        "46e043c5525c2d817c44be603d30837a808a1d930d038f6fdc3e62a201fed128"
    )


def test_every_refusal_names_the_check_that_failed_and_why(demo):
    """What code that explains a failure reads, instead of crypto's English."""
    # A fixed wrong key: a random one leaves valid padding in about one run of 256.
    other_key = "AAAAAAAAAAAAAAAAAAAAAA=="
    spaced = demo.encrypted_data.replace("+", " ")
    cases = [
        ({"session_key": "short"}, ("session_key", "length")),
        ({"session_key": None}, ("session_key", "missing")),
        ({"iv": "r7BXXKkLb8qrSNn05n0qi%3D"}, ("iv", "url_encoded")),
        ({"iv": "r7BXXKkLb8qrSNn05n0qiAAA"}, ("iv", "changed")),
        ({"encrypted_data": spaced}, ("encrypted_data", "space")),
        ({"encrypted_data": demo.encrypted_data[:-4]}, ("encrypted_data", "blocks")),
        ({"session_key": other_key}, ("aes", "padding")),
        ({"appid": "wx0000000000000000"}, ("watermark", "other_appid")),
    ]
    for changes, expected in cases:
        error = refusal(demo, **changes)
        assert (error.check, error.cause) == expected, changes
        assert error.check in crypto.CHECKS
    assert refusal(demo, appid="wx0000000000000000").found == "wx4f4bc4dec97d474b"


def test_freshness_is_checked_on_decrypted_data_without_decrypting_again(demo):
    data = crypto.decrypt(demo.session_key, demo.encrypted_data, demo.iv, demo.appid)
    timestamp = data["watermark"]["timestamp"]

    crypto.check_fresh(data, max_age=60, now=timestamp + 60)
    with pytest.raises(StaleDataError) as caught:
        crypto.check_fresh(data, max_age=60, now=timestamp + 61)
    assert (caught.value.check, caught.value.cause) == ("age", "too_old")
    with pytest.raises(StaleDataError) as caught:
        crypto.check_fresh(data, max_age=60, now=timestamp - 3600)
    assert caught.value.cause == "future"
