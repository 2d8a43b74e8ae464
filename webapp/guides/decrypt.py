"""The decrypt page's checks: webapp.wechat.crypto's verdict, told one check at a time.

``crypto.decrypt`` is the one place that decides; this module only reads where it stopped
(the error's ``check`` and ``cause``) and shows every check before that point as passed, the
one it stopped at as failed, with its likely cause in Chinese, and the rest as not reached.
Nothing here is stored or logged: the values live for one request.
"""

import base64
import binascii
import hashlib
import json
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from webapp.wechat import crypto

# WeChat's WXBizDataCrypt demo, in every language's sample (and in tests/wechat/conftest.py).
OFFICIAL_EXAMPLE = {
    "appid": "wx4f4bc4dec97d474b",
    "session_key": "tiihtNczf5v6AKRyjwEUhQ==",
    "iv": "r7BXXKkLb8qrSNn05n0qiA==",
    "encrypted_data": (
        "CiyLU1Aw2KjvrjMdj8YKliAjtP4gsMZMQmRzooG2xrDcvSnxIMXFufNstNGTyaGS"
        "9uT5geRa0W4oTOb1WT7fJlAC+oNPdbB+3hVbJSRgv+4lGOETKUQz6OYStslQ142d"
        "NCuabNPGBzlooOmB231qMM85d2/fV6ChevvXvQP8Hkue1poOFtnEtpyxVLW1zAo6"
        "/1Xx1COxFvrc2d7UL/lmHInNlxuacJXwu0fjpXfz/YqYzBIBzD6WUfTIF9GRHpOn"
        "/Hz7saL8xz+W//FRAUid1OksQaQx4CMs8LOddcQhULW4ucetDf96JcR3g0gfRK4P"
        "C7E/r7Z6xNrXd2UIeorGj5Ef7b1pJAYB6Y5anaHqZ9J6nKEBvB4DnNLIVWSgARns"
        "/8wR2SiRS7MNACwTyrGvt9ts8p12PKFdlqYTopNHR1Vf7XjfhQlVsAJdNiKdYmYV"
        "oKlaRv85IfVunYzO0IKXsyl7JCUjCpoG20f0a04COwfneQAGGwd5oa+T8yO5hzuy"
        "Db/XcxxmK01EpqOyuxINew=="
    ),
}

# Form fields and the most characters each may have. Real open data is a few hundred to a few
# thousand characters; anything far longer is not WeChat's, and is refused before any work.
FIELD_LIMITS = {
    "appid": 64,
    "session_key": 200,
    "iv": 200,
    "encrypted_data": 20_000,
    "raw_data": 20_000,
    "signature": 200,
    "max_age": 12,
}
FIELD_LABELS = {
    "appid": "appid",
    "session_key": "session_key",
    "iv": "iv",
    "encrypted_data": "encryptedData",
    "raw_data": "rawData",
    "signature": "signature",
    "max_age": "max_age",
}
MAX_AGE_LIMIT = 10**9  # seconds: some 31 years, more than any watermark's age
CHINA_TIME = timezone(timedelta(hours=8))

PASS, FAIL, SKIP = "pass", "fail", "skip"

ROTATED = (
    "session_key 已经换过了：拿到这段数据之后、发给服务器之前，小程序又调用了一次 wx.login，"
    "服务器存下了新的 session_key，而微信当初是用旧的那个加密的（-41003 最常见的原因）。"
    "也可能是你填的 session_key 根本不是这个用户的。解决：先把数据发给服务器，再考虑 wx.login；"
    "或者让用户重新点一次按钮。"
)
WRONG_IV = (
    "多半是 session_key 已经轮换（小程序在拿到数据后又调用了 wx.login）。"
    "也可能 iv 和 encryptedData 不是同一次调用返回的：iv 错了，只有开头 16 字节会解坏，"
    "JSON 因此读不出来。"
)


@dataclass
class Check:
    key: str
    title: str  # what is checked, in a few words
    status: str = SKIP
    detail: str = ""  # what we saw (passed) or what went wrong (failed)
    cause: str = ""  # the likely cause, in Chinese (failed only)
    code: int | None = None  # the WXBizDataCrypt code (failed only)
    original: str = ""  # what crypto.py raised or returned, as code (the page shows it as is)


@dataclass
class Report:
    checks: list = field(default_factory=list)
    plaintext: str | None = None  # pretty-printed JSON
    decrypted: bool = False
    signature_checked: bool = False

    @property
    def passed(self):
        return all(check.status != FAIL for check in self.checks)


def read_form(form):
    """Return (values, problems): the submitted fields, stripped, and what is wrong with them."""
    values, problems = {}, []
    for name, limit in FIELD_LIMITS.items():
        value = form.get(name, "")
        value = value.strip() if isinstance(value, str) else ""
        if len(value) > limit:
            problems.append(
                f"{FIELD_LABELS[name]} 有 {len(value)} 个字符，超过了 {limit}："
                "这不像微信给的值，没有处理。"
            )
            value = ""
        values[name] = value
    if problems:
        return values, problems

    wants_decrypt = bool(values["encrypted_data"] or values["iv"])
    wants_signature = bool(values["raw_data"] or values["signature"])
    if not wants_decrypt and not wants_signature:
        problems.append(
            "什么都没填：请填入 encryptedData 和 iv（解密），或者 rawData 和 signature"
            "（验签），或者两组都填。session_key 两者都要用。"
        )
        return values, problems
    missing = []
    if not values["session_key"]:
        missing.append("session_key")
    if wants_decrypt:
        missing += [
            FIELD_LABELS[name] for name in ("appid", "iv", "encrypted_data") if not values[name]
        ]
    if wants_signature:
        missing += [FIELD_LABELS[name] for name in ("raw_data", "signature") if not values[name]]
    if missing:
        problems.append("还缺：" + "、".join(missing) + "。")
    if values["max_age"] and not (
        values["max_age"].isascii()
        and values["max_age"].isdigit()
        and int(values["max_age"]) <= MAX_AGE_LIMIT
    ):
        problems.append(f"max_age 应该是 0 到 {MAX_AGE_LIMIT} 之间的整数（秒），或者留空。")
    return values, problems


def run(values, now=None):
    """Run every check the values allow and return the Report."""
    report = Report()
    now = time.time() if now is None else now
    if values["encrypted_data"]:
        _decrypt_checks(report, values, now)
    if values["raw_data"]:
        _signature_check(report, values)
    return report


def _decrypt_checks(report, values, now):
    max_age = int(values["max_age"]) if values["max_age"] else None
    titles = {
        "session_key": "session_key：24 个字符的 base64，解出 16 字节（AES-128 的密钥）",
        "iv": "iv：24 个字符的 base64，解出 16 字节",
        "encrypted_data": "encryptedData：合法的 base64，长度是 16 字节的整数倍",
        "aes": "AES-128-CBC 解密，PKCS#7 填充正确",
        "json": "解出的明文是 UTF-8 的 JSON",
        "watermark": f"watermark.appid 等于 {values['appid']}",
        "age": "watermark.timestamp 不早于 max_age 秒前（可选）",
    }
    checks = {key: Check(key, titles[key]) for key in crypto.CHECKS}
    report.checks.extend(checks.values())
    try:
        data = crypto.decrypt(
            values["session_key"], values["encrypted_data"], values["iv"], values["appid"]
        )
    except crypto.OpenDataError as error:
        _stopped_at(checks, error, values)
        checks["age"].detail = "前面的检查没有通过，没有走到这一步。"
        return

    report.decrypted = True
    report.plaintext = json.dumps(data, ensure_ascii=False, indent=2)
    for key in crypto.CHECKS[:-1]:
        checks[key].status = PASS
        checks[key].detail = _passed_detail(key, values, data)
    timestamp = data["watermark"].get("timestamp")
    if max_age is None:
        checks["age"].detail = (
            "没有填 max_age，不检查。"
            + _when(timestamp)
            + " 官方示例的时间戳是 2016 年的：检查新鲜度的代码必须能关掉这一项。"
        )
        return
    try:
        crypto.check_fresh(data, max_age, now)
    except crypto.StaleDataError as error:
        _fail(checks["age"], error, values)
        checks["age"].detail += " " + _when(timestamp)
    else:
        checks["age"].status = PASS
        checks[
            "age"
        ].detail = f"{_when(timestamp)} 距现在 {int(now) - timestamp} 秒，不超过 {max_age} 秒。"


def _stopped_at(checks, error, values):
    """The checks before the one ``error`` names passed; that one failed."""
    for key, check in checks.items():
        if key == error.check:
            _fail(check, error, values)
            return
        check.status = PASS
        check.detail = _passed_detail(key, values)


def _signature_check(report, values):
    report.signature_checked = True
    check = Check("signature", "signature 等于 sha1(rawData + session_key)")
    report.checks.append(check)
    expected = hashlib.sha1(
        (values["raw_data"] + values["session_key"]).encode("utf-8")
    ).hexdigest()
    if crypto.verify_raw_data(values["raw_data"], values["signature"], values["session_key"]):
        check.status = PASS
        check.detail = f"按这个 session_key 算出的签名 {expected} 与你填的一致。"
        return
    check.status = FAIL
    check.detail = f"你填的是 {values['signature']}，按这个 session_key 算出的是 {expected}。"
    check.cause = (
        "session_key 已经换过（小程序在拿到数据后又调用了 wx.login），或者 rawData 在路上被改过："
        "它必须是微信给的那个字符串，一个字节都不能变——不要把它解析成对象再序列化回去。"
    )
    check.original = "crypto.verify_raw_data(raw_data, signature, session_key) → False"


def _fail(check, error, values):
    check.status = FAIL
    check.code = error.code
    # The exception as the server's code sees it; its English likely cause is shown above in
    # Chinese (check.cause), so it is not repeated here.
    check.original = f"{type(error).__name__}({error.code}, {error.reason!r})"
    check.detail, check.cause = _explain(check.key, error, values)


def _explain(key, error, values):
    """(what went wrong, its likely cause) in Chinese, for the check that failed."""
    cause = error.cause
    if key in ("session_key", "iv"):
        if cause == "length":
            return (
                f"{key} 有 {len(values[key])} 个字符，应该是 24 个。",
                f"{key} 被截断了，或者根本不是微信给的那个值"
                "（把 openid、code 或别的字段填进来了？）。",
            )
        if cause == "missing":
            return f"没有收到 {key}。", f"{key} 没有传到服务器，或没有保存下来。"
        return f"{key} 不是 16 字节的 base64。", BASE64_CAUSES[cause]
    if key == "encrypted_data":
        if cause == "blocks":
            return (
                "encryptedData 的字节数不是 16 的整数倍。",
                "encryptedData 在发往服务器的路上被截断了。",
            )
        return "encryptedData 不是合法的 base64。", BASE64_CAUSES[cause]
    if key == "aes":
        return "解密后的填充不对：用的密钥不是加密时的那一把。", ROTATED
    if key == "json":
        return "解密出的字节不是 UTF-8 的 JSON。", WRONG_IV
    if key == "watermark":
        if cause == "missing":
            return (
                "解出的 JSON 里没有 watermark。",
                "这不是微信加密的数据：微信的开放数据总带着 watermark。",
            )
        return (
            f"水印里的 appid 是 {error.found}，不是你填的 {values['appid']}。",
            "数据是为另一个 appid 加密的：用户所在的小程序不是这台服务器配置的那个，"
            "或者这里的 appid 填错了。",
        )
    if cause == "future":
        return ("水印时间在未来。", "这台服务器的时钟比微信的慢：检查时间同步。")
    if cause == "no_timestamp":
        return (
            "水印里没有整数的 timestamp。",
            "这不是微信加密的数据：微信的水印总带着时间戳。",
        )
    return (
        "水印时间太早，超过了 max_age。",
        "数据在发给服务器之前放了太久，或者是被重放的旧数据。",
    )


# Why base64 did not decode (crypto's cause), in Chinese.
BASE64_CAUSES = {
    "space": (
        "base64 里的“+”在 URL 编码时变成了空格（表单或查询串里没有编码）："
        "用 JSON 发送，或者先 encodeURIComponent。"
    ),
    "url_encoded": "这个值还是 URL 编码过的（%2B、%2F、%3D）：先解码一次再用。",
    "changed": "这个值在路上被改过，或者不是微信给的那个。",
}


def _passed_detail(key, values, data=None):
    if key in ("session_key", "iv"):
        return f"{len(values[key])} 个字符 → 16 字节。"
    if key == "encrypted_data":
        size = len(_b64(values["encrypted_data"]))
        return f"{len(values['encrypted_data'])} 个字符 → {size} 字节 = {size // 16} 个 AES 块。"
    if key == "aes":
        return "填充正确：密钥和 iv 与加密时的一致。"
    if key == "json":
        return "是一个 JSON 对象。" if data is not None else "是 UTF-8 的 JSON。"
    if key == "watermark":
        return f"水印 appid 是 {values['appid']}：数据确实是给这个小程序的。"
    return ""


def _when(timestamp):
    if type(timestamp) is not int:
        return ""
    try:
        moment = datetime.fromtimestamp(timestamp, CHINA_TIME)
    except (OverflowError, OSError, ValueError):
        return f"水印时间戳 {timestamp}。"
    return f"水印时间 {moment:%Y-%m-%d %H:%M:%S}（北京时间）。"


def _b64(value):
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return b""
