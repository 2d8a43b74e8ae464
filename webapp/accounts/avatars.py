"""Avatars the user picked with chooseAvatar and sent with wx.uploadFile."""

import secrets

from webapp.accounts.models import Avatar
from webapp.clock import utcnow
from webapp.extensions import db

# Recognise the image by its first bytes: the file name and the declared type are the
# client's word, the bytes are not.
SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}


class AvatarRejected(ValueError):
    pass


def image_type(data):
    for signature, content_type in SIGNATURES.items():
        if data.startswith(signature):
            return content_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def save(user, data, max_bytes):
    """Store the uploaded bytes as the user's avatar; raise AvatarRejected if unfit."""
    if not data:
        raise AvatarRejected("the file is empty")
    if len(data) > max_bytes:
        raise AvatarRejected(f"the file is larger than {max_bytes // 1024} KiB")
    content_type = image_type(data)
    if content_type is None:
        raise AvatarRejected("the file is not a PNG, JPEG, GIF or WebP image")
    avatar = Avatar(
        id=secrets.token_hex(16),
        user_id=user.id,
        content_type=content_type,
        data=data,
        created_at=utcnow(),
    )
    db.session.add(avatar)
    user.avatar_id, user.avatar_url = avatar.id, None
    return avatar


def delete_all(user):
    db.session.query(Avatar).filter_by(user_id=user.id).delete()
    user.avatar_id = user.avatar_url = None
