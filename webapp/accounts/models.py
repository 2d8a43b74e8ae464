"""Users, their WeChat identities, and what we issue to them."""

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db


class User(db.Model):
    """One person, however many WeChat apps they reached us through."""

    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    unionid: Mapped[str | None] = mapped_column(String(64), unique=True)
    nickname: Mapped[str | None] = mapped_column(String(64))
    avatar_id: Mapped[str | None] = mapped_column(String(32))  # an uploaded Avatar
    avatar_url: Mapped[str | None] = mapped_column(String(512))  # or one WeChat gave
    phone_number: Mapped[str | None] = mapped_column(String(32))
    pure_phone_number: Mapped[str | None] = mapped_column(String(32))
    phone_country_code: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime]

    identities: Mapped[list["Identity"]] = relationship(
        back_populates="user", order_by="Identity.id"
    )


class Identity(db.Model):
    """A user as one WeChat app knows them: (appid, openid). The mini-program's identity also
    holds the session_key of the user's latest login, which never leaves this server."""

    __tablename__ = "identity"
    __table_args__ = (UniqueConstraint("appid", "openid"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    appid: Mapped[str] = mapped_column(String(32))
    openid: Mapped[str] = mapped_column(String(64))
    unionid: Mapped[str | None] = mapped_column(String(64))
    session_key: Mapped[str | None] = mapped_column(String(64))
    session_key_updated_at: Mapped[datetime | None]
    # What /sns/userinfo said, for a service-account identity authorized with snsapi_userinfo.
    nickname: Mapped[str | None] = mapped_column(String(64))
    avatar_url: Mapped[str | None] = mapped_column(String(512))
    created_at: Mapped[datetime]

    user: Mapped[User] = relationship(back_populates="identities")


class ApiToken(db.Model):
    """A bearer token of the mini-program API. Only its SHA-256 is stored."""

    __tablename__ = "api_token"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    identity_id: Mapped[int] = mapped_column(ForeignKey("identity.id"))
    device: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoke_reason: Mapped[str | None] = mapped_column(String(32))

    user: Mapped[User] = relationship()
    identity: Mapped[Identity] = relationship()


class WebSession(db.Model):
    """A login of the H5 pages. The browser's session cookie holds a random token whose hash
    is this row, so the server can end it: a signed cookie alone could not be revoked."""

    __tablename__ = "web_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    identity_id: Mapped[int | None] = mapped_column(ForeignKey("identity.id"))
    method: Mapped[str] = mapped_column(String(20))  # snsapi_base | snsapi_userinfo | bridge
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str | None] = mapped_column(String(32))

    user: Mapped[User] = relationship()
    identity: Mapped[Identity | None] = relationship()


class LoginClaim(db.Model):
    """The hash of a wx.login code we are redeeming or have redeemed: a second request with
    the same code (a double tap) is recognised as a duplicate instead of reaching WeChat.
    See accounts/login_claims.py."""

    __tablename__ = "login_claim"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime]  # when the request working on it claimed it
    finished_at: Mapped[datetime | None]  # when that login issued its token


class WebViewTicket(db.Model):
    """A one-time ticket that logs the mini-program's user into the H5 pages of a web-view."""

    __tablename__ = "webview_ticket"
    ticket_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class Avatar(db.Model):
    """An avatar the user chose (chooseAvatar) and uploaded; kept in the database so every
    server process can serve it."""

    __tablename__ = "avatar"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    content_type: Mapped[str] = mapped_column(String(32))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]
