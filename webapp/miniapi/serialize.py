"""How the API shows our records: never a session_key, never a token hash."""

from flask import url_for


def iso(moment):
    """A stored naive-UTC time as ISO 8601 with a Z."""
    return None if moment is None else moment.replace(microsecond=0).isoformat() + "Z"


def user_json(user):
    if user.avatar_id:
        avatar_url = url_for("miniapi.avatar", avatar_id=user.avatar_id, _external=True)
    else:
        avatar_url = user.avatar_url
    phone = None
    if user.phone_number:
        phone = {
            "phoneNumber": user.phone_number,
            "purePhoneNumber": user.pure_phone_number,
            "countryCode": user.phone_country_code,
        }
    return {
        "id": user.id,
        "nickname": user.nickname,
        "avatar_url": avatar_url,
        "phone": phone,
        "unionid": user.unionid,
        "identities": [
            {"appid": identity.appid, "openid": identity.openid} for identity in user.identities
        ],
    }
