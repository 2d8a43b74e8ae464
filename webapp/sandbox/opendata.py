"""What the WeChat client does to open data before handing it to the mini-program:
encrypt it with the session_key and sign rawData. The developer server undoes this in
webapp/wechat/crypto.py; the two never share code, as WeChat and your server would not."""

import base64
import hashlib
import hmac
import json
import secrets

from Crypto.Cipher import AES
from Crypto.Util.Padding import pad

from webapp.clock import epoch_seconds


def watermark(appid):
    """The watermark WeChat adds to open data: whose it is, and when (Unix seconds, UTC)."""
    return {"timestamp": epoch_seconds(), "appid": appid}


def encrypt(session_key, data):
    """AES-128-CBC with PKCS#7 padding; key = base64-decoded session_key, a fresh random iv.

    Return (encryptedData, iv), both base64, as the wx API hands them to the mini-program.
    """
    key = base64.b64decode(session_key)
    iv = secrets.token_bytes(16)
    plaintext = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    ciphertext = AES.new(key, AES.MODE_CBC, iv).encrypt(pad(plaintext, AES.block_size))
    return base64.b64encode(ciphertext).decode(), base64.b64encode(iv).decode()


def raw_data(user_info):
    """The rawData string: the userInfo JSON exactly as signed."""
    return json.dumps(user_info, ensure_ascii=False, separators=(",", ":"))


def raw_data_signature(raw, session_key):
    """signature = sha1(rawData + session_key), lowercase hex."""
    return hashlib.sha1((raw + session_key).encode()).hexdigest()


def checksession_signature(session_key):
    """HMAC-SHA256 keyed with the session_key string as it is, over the empty message."""
    return hmac.new(session_key.encode(), b"", hashlib.sha256).hexdigest()
