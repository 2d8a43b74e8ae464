"""Open data: what the developer server does with encryptedData, rawData and session_key.

WeChat hands the mini-program user data (profile, phone number, ...) as two base64 strings,
``encryptedData`` and ``iv``. The mini-program sends them to us; we hold the ``session_key`` from
code2Session. The format:

    key        = b64decode(session_key)      16 bytes, so AES-128
    iv         = b64decode(iv)               16 bytes
    ciphertext = b64decode(encryptedData)    AES-CBC, PKCS#7 padding
    plaintext  = UTF-8 JSON, always with "watermark": {"appid": ..., "timestamp": ...}

Failures carry the codes of WeChat's WXBizDataCrypt sample (-41001 to -41004), so they match
what other SDKs and forum answers talk about. Two signatures use the session_key too: rawData's
(sha1) and wxa/checksession's (HMAC-SHA256).
"""

import base64
import hashlib
import hmac
import json
import time

from Crypto.Cipher import AES
from Crypto.Util.Padding import unpad

ILLEGAL_AES_KEY = -41001
ILLEGAL_IV = -41002
ILLEGAL_BUFFER = -41003
DECODE_BASE64_ERROR = -41004

# A watermark a little ahead of our clock is clock drift between WeChat and us, not forgery.
FUTURE_SKEW_SECONDS = 60

ROTATED_SESSION_KEY = (
    "the session_key has rotated: wx.login ran again between getting this data and sending it, "
    "so the server holds a newer session_key than the one WeChat encrypted with"
)


# The checks decrypt() makes, in order; an OpenDataError names the one that failed.
CHECKS = ("session_key", "iv", "encrypted_data", "aes", "json", "watermark", "age")


class OpenDataError(Exception):
    """Open data we cannot trust: a WXBizDataCrypt code, what failed, and why it likely did.

    ``check`` (one of CHECKS) and ``cause`` (a short key, such as "length" or "other_appid")
    say it for code that explains the failure in its own words; ``reason`` and
    ``likely_cause`` say it in English, for logs and the API. ``found``: the value that did
    not match (the watermark's appid), when there is one.
    """

    def __init__(self, code, check, cause, reason, likely_cause="", found=None):
        super().__init__(code, reason, likely_cause)
        self.code, self.check, self.cause = code, check, cause
        self.reason, self.likely_cause, self.found = reason, likely_cause, found

    def __str__(self):
        return f"error {self.code}: {self.reason}"


class StaleDataError(OpenDataError):
    """Open data whose watermark is older than the caller accepts (or from the future)."""

    def __init__(self, cause, reason, likely_cause=""):
        super().__init__(ILLEGAL_BUFFER, "age", cause, reason, likely_cause)


def decrypt(session_key, encrypted_data, iv, appid, *, max_age=None, now=None):
    """Decrypt encryptedData and return its JSON object, or raise OpenDataError.

    The watermark's appid must be ``appid``. With ``max_age`` (seconds), the watermark's
    timestamp must also be at most that old, measured against ``now`` (Unix time; default: now).
    """
    key = _decode_16_bytes(session_key, "session_key", ILLEGAL_AES_KEY)
    iv_bytes = _decode_16_bytes(iv, "iv", ILLEGAL_IV)
    ciphertext = _decode_ciphertext(encrypted_data)

    try:
        padded = AES.new(key, AES.MODE_CBC, iv_bytes).decrypt(ciphertext)
        plaintext = unpad(padded, AES.block_size)
    except ValueError:
        # A wrong key decrypts to random bytes, which rarely end in valid padding.
        raise OpenDataError(
            ILLEGAL_BUFFER,
            "aes",
            "padding",
            "padding is invalid after decrypting",
            ROTATED_SESSION_KEY,
        ) from None
    try:
        data = json.loads(plaintext.decode("utf-8"))
    except (ValueError, RecursionError):  # bad UTF-8, bad JSON, absurdly nested JSON
        raise OpenDataError(
            ILLEGAL_BUFFER,
            "json",
            "not_json",
            "decrypted bytes are not UTF-8 JSON",
            ROTATED_SESSION_KEY,
        ) from None

    watermark = data.get("watermark") if isinstance(data, dict) else None
    if not isinstance(watermark, dict):
        raise OpenDataError(
            ILLEGAL_BUFFER,
            "watermark",
            "missing",
            "decrypted JSON has no watermark object",
            "this was not encrypted by WeChat: its open data carries a watermark",
        )
    # The watermark names the app WeChat made this data for; WXBizDataCrypt refuses any other.
    if watermark.get("appid") != appid:
        raise OpenDataError(
            ILLEGAL_BUFFER,
            "watermark",
            "other_appid",
            f"watermark appid {watermark.get('appid')!r} is not this app's appid {appid!r}",
            "the data was encrypted for another appid: the mini-program the user is in is not "
            "the one this server is configured for",
            found=watermark.get("appid"),
        )
    if max_age is not None:
        check_fresh(data, max_age, now)
    return data


def verify_raw_data(raw_data, signature, session_key):
    """Return whether signature == sha1(rawData + session_key), the legacy profile signature."""
    if not all(isinstance(value, str) for value in (raw_data, signature, session_key)):
        return False
    expected = hashlib.sha1((raw_data + session_key).encode("utf-8")).hexdigest()
    # Constant time, so the comparison leaks nothing about how much of a forgery was right.
    return hmac.compare_digest(expected.encode(), signature.encode("utf-8"))


def checksession_signature(session_key):
    """Return the signature wxa/checksession expects: HMAC-SHA256(session_key, "") in hex."""
    # The key is the base64 string itself, not the 16 bytes it decodes to.
    return hmac.new(session_key.encode("utf-8"), b"", hashlib.sha256).hexdigest()


def _decode_16_bytes(value, name, code):
    """Decode session_key or iv: 24 base64 characters that make 16 bytes."""
    if not isinstance(value, str):
        raise OpenDataError(
            code,
            name,
            "missing",
            f"{name} is {type(value).__name__}, not a string",
            f"the {name} was never received or stored",
        )
    # Checked first, as WXBizDataCrypt does, so a truncated value gets the clearest message.
    if len(value) != 24:
        raise OpenDataError(
            code,
            name,
            "length",
            f"{name} is {len(value)} characters, not 24",
            f"the {name} was truncated, or is not the one WeChat gave",
        )
    try:
        decoded = base64.b64decode(value, validate=True)
    except ValueError:  # binascii.Error, and non-ASCII text
        decoded = None
    if decoded is None or len(decoded) != 16:
        cause, likely_cause = _base64_cause(value, name)
        raise OpenDataError(code, name, cause, f"{name} is not base64 of 16 bytes", likely_cause)
    return decoded


def _decode_ciphertext(value):
    if not isinstance(value, str) or not value:
        raise OpenDataError(
            DECODE_BASE64_ERROR,
            "encrypted_data",
            "missing",
            "encryptedData is missing or empty",
            "the mini-program did not send encryptedData",
        )
    try:
        # validate=True: by default b64decode silently drops spaces and decrypts garbage.
        ciphertext = base64.b64decode(value, validate=True)
    except ValueError:
        cause, likely_cause = _base64_cause(value, "encryptedData")
        raise OpenDataError(
            DECODE_BASE64_ERROR,
            "encrypted_data",
            cause,
            "encryptedData is not valid base64",
            likely_cause,
        ) from None
    if not ciphertext or len(ciphertext) % AES.block_size:
        raise OpenDataError(
            ILLEGAL_BUFFER,
            "encrypted_data",
            "blocks",
            f"encryptedData is {len(ciphertext)} bytes, not whole 16-byte blocks",
            "encryptedData was cut short on its way to the server",
        )
    return ciphertext


def _base64_cause(value, name):
    """(cause, likely cause) of base64 that does not decode as it should."""
    if " " in value:
        return (
            "space",
            "'+' in base64 turned into a space by URL-encoding: send it as JSON or encode it",
        )
    if "%" in value:
        return (
            "url_encoded",
            f"the {name} is still URL-encoded (%2B, %2F, %3D): decode it once before use",
        )
    return "changed", f"the {name} was changed on its way, or is not the one WeChat gave"


def check_fresh(data, max_age, now=None):
    """Raise StaleDataError unless decrypted ``data``'s watermark is at most ``max_age``
    seconds old at ``now`` (Unix time; default: now), give or take WeChat's clock drift."""
    timestamp = data["watermark"].get("timestamp")
    now = time.time() if now is None else now
    # WeChat's timestamps are whole seconds; type() also keeps out True, NaN and Infinity.
    if type(timestamp) is not int:
        raise StaleDataError(
            "no_timestamp",
            "watermark has no integer timestamp",
            "this was not encrypted by WeChat: its watermarks carry one",
        )
    age = int(now) - timestamp
    if age > max_age:
        raise StaleDataError(
            "too_old",
            f"watermark timestamp is {age} s old",
            f"the data was produced more than {max_age} s ago: it was kept too long before "
            "being sent, or it is being replayed",
        )
    if -age > FUTURE_SKEW_SECONDS:
        raise StaleDataError(
            "future",
            f"watermark timestamp is {-age} s in the future",
            "this server's clock is behind WeChat's: check its time sync",
        )
