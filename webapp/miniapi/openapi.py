"""The OpenAPI 3 description of the mini-program API, served at /api/openapi.json and rendered
at /api/docs. A test checks that it names every /api route and nothing else.

Its words are for the learner, so they are Chinese; names of fields, APIs and values stay as
they are spelled. Descriptions use the CommonMark that OpenAPI allows, and only two parts of it:
`inline code` and "- " list lines (the docs page renders those). Responses are listed by status.
"""

import re

from markupsafe import Markup, escape

from webapp.miniapi.errors import ERRORS, EXPLAINED

BEARER = [{"bearerAuth": []}]


def _obj(required=(), **properties):
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


def _string(description, **extra):
    return {"type": "string", "description": description, **extra}


# What json_body accepts for a string field: not empty, not only whitespace, no NUL (no
# database keeps it). The pattern asks for one character that is neither space nor control.
TEXT = {
    "type": "string",
    "minLength": 1,
    "pattern": "^[^\\u0000]*[^\\s\\u0000-\\u001f][^\\u0000]*$",
}


def _text(description=None, **extra):
    """A string the server refuses empty or blank (400), as the document must say."""
    return {**TEXT, **({"description": description} if description else {}), **extra}


def _json_body(schema, required=True):
    return {"required": required, "content": {"application/json": {"schema": schema}}}


def _success(data_schema, description="成功"):
    envelope = _obj(
        ["code", "msg", "data"],
        code={"type": "integer", "enum": [0]},
        msg={"type": "string", "enum": ["ok"]},
        data=data_schema,
    )
    return {
        "200": {"description": description, "content": {"application/json": {"schema": envelope}}}
    }


def _errors(*names):
    """Responses for the named errors of errors.ERRORS, grouped by HTTP status: one list line
    per code, with what it means."""
    by_status = {}
    for name in names:
        status, code, _ = ERRORS[name]
        by_status.setdefault(str(status), []).append(f"- `{code}`：{EXPLAINED[name]}")
    return {
        status: {
            "description": "\n".join(lines),
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        for status, lines in by_status.items()
    }


# Every operation that takes a token; too_many_requests: guessed tokens are rate-limited
# (webapp/limits.py).
TOKEN_ERRORS = (
    "token_missing",
    "token_invalid",
    "token_expired",
    "token_revoked",
    "too_many_requests",
)


def _operation(summary, description, responses, *, body=None, auth=True, errors=()):
    names = (*errors, *TOKEN_ERRORS) if auth else errors
    names = (*names, "database_unavailable")  # any operation, when the database is away
    names = dict.fromkeys(names)  # once each: an operation may name a token error of its own
    operation = {
        "summary": summary,
        "description": description,
        "responses": dict(sorted({**responses, **_errors(*names)}.items())),
    }
    if auth:
        operation["security"] = BEARER
    if body is not None:
        operation["requestBody"] = body
    return operation


USER = {"$ref": "#/components/schemas/User"}
NICKNAME = _text("1 到 32 个字符（首尾空格会去掉）", maxLength=32)
USER_DATA = _obj(["user"], user=USER)
WECHAT_FAILURES = ("wechat_rejected", "wechat_unavailable", "wechat_rate_limited")

DOCUMENT = {
    "openapi": "3.0.3",
    "info": {
        "title": "微信授权实验室：小程序 API",
        "version": "1.0.0",
        "description": (
            "开发者服务器给小程序的 JSON 接口。先用 wx.login 的 code 登录，之后每个请求带上 "
            "`Authorization: Bearer <token>`。每个回答都是一个信封 `{code, msg, data}`："
            "`code` 为 0 "
            "表示成功；出错时 `code` 是“我们的 code”，等于 HTTP 状态 × 100 + 序号（400 的几种错误是"
            " "
            "40000、40001……，401 是 40100……），`msg` 是写给开发者的英文说明。它和微信的 `errcode` "
            "是两套编号：我们的 40001 是“wx.login 的 code 无效”，微信的 40001 是“access_token 无效”"
            "。"
            "收到 401 就删掉存着的 token，重新登录。"
        ),
    },
    "components": {
        "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": _obj(
                ["code", "msg"],
                code={"type": "integer"},
                msg={"type": "string"},
                data={"type": "object", "description": "有细节时才有，例如微信的 errcode"},
            ),
            "User": _obj(
                ["id", "identities"],
                id={"type": "integer"},
                nickname={"type": "string", "nullable": True},
                avatar_url={"type": "string", "nullable": True},
                phone=_obj(
                    phoneNumber={"type": "string"},
                    purePhoneNumber={"type": "string"},
                    countryCode={"type": "string"},
                )
                | {"nullable": True},
                unionid={"type": "string", "nullable": True},
                identities={
                    "type": "array",
                    "items": _obj(appid={"type": "string"}, openid={"type": "string"}),
                },
            ),
        },
    },
    "paths": {
        "/api/login": {
            "post": _operation(
                "用 wx.login 的 code 登录",
                "用 code 调 code2Session，把 session_key 留在服务器上，返回我们自己的 token。"
                "默认的单设备策略会吊销这个用户在其他设备上的 token。同一个 code 发两次（连点两下）"
                "时，第二个请求得到 409，客户端不用理会它：token 在第一个请求的回答里。",
                _success(
                    _obj(
                        ["token", "token_type", "expires_in", "expires_at", "is_new_user", "user"],
                        token={"type": "string"},
                        token_type={"type": "string", "enum": ["Bearer"]},
                        expires_in={"type": "integer"},
                        expires_at=_string("过期时间，ISO 8601，UTC"),
                        is_new_user={"type": "boolean"},
                        user=USER,
                    )
                ),
                body=_json_body(
                    _obj(
                        ["code"],
                        code=_text("wx.login 得到的 code：5 分钟内有效，只能用一次"),
                        device=_text("设备名，只用来显示；不填就取 User-Agent"),
                    )
                ),
                auth=False,
                errors=(
                    "bad_request",
                    "wechat_code_invalid",
                    "account_blocked",
                    "code_already_used",
                    "payload_too_large",
                    "too_many_requests",
                    *WECHAT_FAILURES,
                ),
            ),
        },
        "/api/me": {
            "get": _operation(
                "当前登录的用户",
                "这个请求的用户和 token 的信息。",
                _success(
                    _obj(
                        ["user", "token"],
                        user=USER,
                        token=_obj(
                            device={"type": "string"},
                            created_at={"type": "string"},
                            expires_at={"type": "string"},
                        ),
                    )
                ),
            )
        },
        "/api/logout": {
            "post": _operation(
                "退出登录",
                "吊销这个 token；带 `all: true` 时吊销这个用户所有设备上的 token。",
                _success(_obj(["revoked"], revoked={"type": "integer"})),
                body=_json_body(_obj(all={"type": "boolean"}), required=False),
                errors=("bad_request",),
            )
        },
        "/api/session/check": {
            "post": _operation(
                "我们存的 session_key 还有效吗？",
                "用 wxa/checksession 问微信：服务器存的 session_key 还是不是这个用户最新的那一个。"
                "`stale` 表示之后又调过 wx.login：发送加密数据之前要重新登录。",
                _success(
                    _obj(
                        ["session_key"],
                        session_key={"type": "string", "enum": ["live", "stale"]},
                        updated_at={"type": "string"},
                        explanation={"type": "string"},
                    )
                ),
                errors=("no_session_key", *WECHAT_FAILURES),
            )
        },
        "/api/profile": {
            "post": _operation(
                "保存用户自己选的头像和昵称",
                '头像昵称填写能力（基础库 2.21.2 起）：`<button open-type="chooseAvatar">` 选的头像'
                "用 "
                "wx.uploadFile 上传（文件字段 `avatar`，PNG、JPEG、GIF 或 WebP，最大 1 MiB），"
                '和/或 `<input type="nickname">` 填的昵称（表单字段或 JSON）。',
                _success(USER_DATA),
                body={
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": _obj(
                                avatar={"type": "string", "format": "binary"},
                                nickname=NICKNAME,
                            )
                            | {"minProperties": 1}  # one of them at least
                        },
                        "application/json": {"schema": _obj(["nickname"], nickname=NICKNAME)},
                    },
                },
                errors=("bad_request", "avatar_rejected", "payload_too_large"),
            ),
            "delete": _operation("删除保存的资料", "忘掉昵称和头像。", _success(USER_DATA)),
        },
        "/api/profile/legacy": {
            "post": _operation(
                "保存 getUserProfile 的数据（旧方式）",
                "核对 `signature = sha1(rawData + session_key)`，用 session_key 解密 encryptedData"
                "，"
                "检查水印里的 appid。2022-11-08 之后微信在这里只给“微信用户”和灰色头像："
                "这份匿名资料不会覆盖用户自己选的头像和昵称（`saved` 为 false）。",
                _success(
                    _obj(
                        ["user", "saved", "notes"],
                        user=USER,
                        saved={
                            "type": "boolean",
                            "description": "是否保存了这份资料；匿名资料不保存",
                        },
                        notes={"type": "array", "items": {"type": "string"}},
                    )
                ),
                body=_json_body(
                    _obj(
                        ["rawData", "signature", "encryptedData", "iv"],
                        rawData=_text(),
                        signature=_text(),
                        encryptedData=_text(),
                        iv=_text(),
                    )
                ),
                errors=("bad_request", "signature_mismatch", "decrypt_failed", "no_session_key"),
            )
        },
        "/api/avatars/{avatar_id}": {
            "get": {
                "summary": "上传的头像",
                "description": "由这台服务器提供，页面不必加载第三方的图片。",
                "parameters": [
                    {
                        "name": "avatar_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "图片",
                        "content": {"image/*": {"schema": {"type": "string", "format": "binary"}}},
                    },
                    **_errors("not_found"),
                },
            }
        },
        "/api/phone": {
            "post": _operation(
                "用手机号 code 绑定手机号",
                "getPhoneNumber 按钮给的 `code`（64 位十六进制，5 分钟，一次；不是 wx.login 的 code"
                "），"
                "服务器用 wxa/business/getuserphonenumber 换出号码。",
                _success(USER_DATA),
                body=_json_body(_obj(["code"], code=_text("getPhoneNumber 按钮的 e.detail.code"))),
                errors=("bad_request", "phone_code_invalid", *WECHAT_FAILURES),
            ),
            "delete": _operation("解绑手机号", "忘掉这个号码。", _success(USER_DATA)),
        },
        "/api/phone/legacy": {
            "post": _operation(
                "解密绑定手机号（旧方式）",
                "用 session_key 解密按钮给的 encryptedData。如果点按钮之后又调了 wx.login，"
                "session_key 已经换了，解密失败（解密错误码 -41003）。",
                _success(USER_DATA),
                body=_json_body(
                    _obj(
                        ["encryptedData", "iv"],
                        encryptedData=_text(),
                        iv=_text(),
                    )
                ),
                errors=("bad_request", "decrypt_failed", "no_session_key"),
            )
        },
        "/api/webview/ticket": {
            "post": _operation(
                "给 web-view 的一次性票据",
                "把 `url` 设为 web-view 的 src：H5 页面在 `expires_in` 秒内兑换一次票据，"
                "登录的是同一个用户。",
                _success(
                    _obj(
                        ["ticket", "expires_in", "url"],
                        ticket={"type": "string"},
                        expires_in={"type": "integer"},
                        url={"type": "string"},
                    )
                ),
                errors=("too_many_requests",),
            )
        },
        "/api/openapi.json": {
            "get": {
                "summary": "这份文档（JSON）",
                "responses": {
                    "200": {"description": "OpenAPI 3 文档", "content": {"application/json": {}}}
                },
            }
        },
        "/api/docs": {
            "get": {
                "summary": "这份文档（网页）",
                "responses": {"200": {"description": "网页", "content": {"text/html": {}}}},
            }
        },
    },
}


def operations():
    """(path, method, operation) for every documented operation, in document order."""
    for path, methods in DOCUMENT["paths"].items():
        for method, operation in methods.items():
            yield path, method.upper(), operation


_INLINE_CODE = re.compile(r"`([^`]+)`")


def to_html(text):
    """Render a description: `code` as <code>, a run of "- " lines as a list, the rest as
    paragraphs. Everything else is text, escaped."""
    html, items = [], []
    for line in text.splitlines() or [""]:
        inline = Markup(_INLINE_CODE.sub(r"<code>\1</code>", str(escape(line))))
        if line.startswith("- "):
            items.append(Markup("<li>{}</li>").format(inline[2:]))
            continue
        if items:
            html.append(Markup("<ul>{}</ul>").format(Markup("").join(items)))
            items = []
        if line.strip():
            html.append(Markup("<p>{}</p>").format(inline))
    if items:
        html.append(Markup("<ul>{}</ul>").format(Markup("").join(items)))
    return Markup("").join(html)
