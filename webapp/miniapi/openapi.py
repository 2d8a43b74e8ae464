"""The OpenAPI 3 description of the mini-program API, served at /api/openapi.json and rendered
at /api/docs. A test checks that it names every /api route and nothing else."""

from webapp.miniapi.errors import ERRORS

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


def _success(data_schema, description="ok"):
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
    """Responses for the named errors of errors.ERRORS, grouped by HTTP status."""
    by_status = {}
    for name in names:
        status, code, msg = ERRORS[name]
        by_status.setdefault(str(status), []).append(f"{code} {msg}")
    return {
        status: {
            "description": "; ".join(lines),
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        for status, lines in by_status.items()
    }


def _operation(summary, description, responses, *, body=None, auth=True, errors=()):
    operation = {
        "summary": summary,
        "description": description,
        "responses": {**responses, **_errors(*errors)},
    }
    if auth:
        operation["security"] = BEARER
        # too_many_requests: guessed tokens are rate-limited (webapp/limits.py).
        operation["responses"].update(
            _errors(
                "token_missing",
                "token_invalid",
                "token_expired",
                "token_revoked",
                "too_many_requests",
            )
        )
    operation["responses"].update(_errors("database_unavailable"))
    if body is not None:
        operation["requestBody"] = body
    return operation


USER = {"$ref": "#/components/schemas/User"}
NICKNAME = _text("1 to 32 characters (surrounding spaces are trimmed)", maxLength=32)
USER_DATA = _obj(["user"], user=USER)
WECHAT_FAILURES = ("wechat_rejected", "wechat_unavailable", "wechat_rate_limited")

DOCUMENT = {
    "openapi": "3.0.3",
    "info": {
        "title": "WeChat Auth Lab: mini-program API",
        "version": "1.0.0",
        "description": (
            "The developer server's API for the mini-program. Log in with a wx.login code, then "
            "send the token as `Authorization: Bearer <token>`. Every answer is an envelope "
            "`{code, msg, data}`: code 0 is success; an error's code is its HTTP status times "
            "100 plus a number. A 401 means: clear the stored token and log in again."
        ),
    },
    "components": {
        "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": _obj(
                ["code", "msg"],
                code={"type": "integer"},
                msg={"type": "string"},
                data={"type": "object", "description": "details, when there are any"},
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
                "Log in with a wx.login code",
                "Exchanges the code with code2Session, keeps the session_key on the server and "
                "returns our own token. Single-device policy (the default) revokes the user's "
                "other "
                "tokens. The same code sent twice (a double tap) answers 409 to the second "
                "request, "
                "which the client ignores: the first request holds the token.",
                _success(
                    _obj(
                        ["token", "token_type", "expires_in", "expires_at", "is_new_user", "user"],
                        token={"type": "string"},
                        token_type={"type": "string", "enum": ["Bearer"]},
                        expires_in={"type": "integer"},
                        expires_at=_string("ISO 8601, UTC"),
                        is_new_user={"type": "boolean"},
                        user=USER,
                    )
                ),
                body=_json_body(
                    _obj(
                        ["code"],
                        code=_text("from wx.login, valid 5 minutes, once"),
                        device=_text("a label for the token; defaults to the User-Agent"),
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
                "The logged-in user",
                "The user and the token of this request.",
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
                "Log out",
                "Revokes this token, or with `all: true` every token of the user.",
                _success(_obj(["revoked"], revoked={"type": "integer"})),
                body=_json_body(_obj(all={"type": "boolean"}), required=False),
                errors=("bad_request",),
            )
        },
        "/api/session/check": {
            "post": _operation(
                "Is our session_key still live?",
                "Asks WeChat (wxa/checksession) whether the session_key we hold is the user's live "
                "one. `stale` means wx.login ran again since: log in again before sending "
                "encrypted "
                "data.",
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
                "Save the avatar and nickname the user chose",
                "The fill-in ability (base library 2.21.2+): the avatar from "
                '`<button open-type="chooseAvatar">` uploaded with wx.uploadFile (file field '
                "`avatar`, PNG/JPEG/GIF/WebP, at most 1 MiB) and/or the nickname from "
                '`<input type="nickname">`, as a form field or JSON.',
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
            "delete": _operation(
                "Reset the stored profile", "Forgets nickname and avatar.", _success(USER_DATA)
            ),
        },
        "/api/profile/legacy": {
            "post": _operation(
                "Save a getUserProfile payload (legacy)",
                "Checks `signature = sha1(rawData + session_key)`, decrypts encryptedData with the "
                "session_key and checks the watermark appid. Since 2022-11-08 WeChat returns "
                "微信用户 "
                "and a gray avatar here.",
                _success(
                    _obj(
                        ["user", "notes"],
                        user=USER,
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
                "summary": "An uploaded avatar",
                "description": (
                    "Served by this server, so the page never loads a third-party image."
                ),
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
                        "description": "the image",
                        "content": {"image/*": {"schema": {"type": "string", "format": "binary"}}},
                    },
                    **_errors("not_found"),
                },
            }
        },
        "/api/phone": {
            "post": _operation(
                "Bind the phone number by code",
                "The getPhoneNumber button's `code` (64 hex, 5 minutes, once; not the wx.login "
                "code) exchanged with wxa/business/getuserphonenumber.",
                _success(USER_DATA),
                body=_json_body(_obj(["code"], code=_text("e.detail.code of getPhoneNumber"))),
                errors=("bad_request", "phone_code_invalid", *WECHAT_FAILURES),
            ),
            "delete": _operation(
                "Unbind the phone number", "Forgets the number.", _success(USER_DATA)
            ),
        },
        "/api/phone/legacy": {
            "post": _operation(
                "Bind the phone number by decrypting (legacy)",
                "Decrypts the button's encryptedData with the session_key. If wx.login ran after "
                "the button was tapped, the key has rotated and decryption fails (-41003).",
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
                "A one-time ticket for the web-view",
                "Open `url` as the web-view's src: the H5 page redeems the ticket once, within "
                "`expires_in` seconds, and logs the same user in.",
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
                "summary": "This document",
                "responses": {
                    "200": {"description": "OpenAPI 3", "content": {"application/json": {}}}
                },
            }
        },
        "/api/docs": {
            "get": {
                "summary": "This document as a page",
                "responses": {"200": {"description": "HTML", "content": {"text/html": {}}}},
            }
        },
    },
}


def operations():
    """(path, method, operation) for every documented operation, in document order."""
    for path, methods in DOCUMENT["paths"].items():
        for method, operation in methods.items():
            yield path, method.upper(), operation
