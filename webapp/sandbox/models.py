"""The sandbox WeChat's state. All of it lives in the database so that several server
processes share one WeChat; personas and apps are fixed data (directory.py)."""

from datetime import datetime

from sqlalchemy import Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db


class OneTimeCode(db.Model):
    """A code WeChat hands to the phone for the server to redeem once, within minutes:
    ``login`` from wx.login (32 alphanumerics), ``phone`` from the getPhoneNumber button
    (64 hex), ``oauth`` from web authorization (with its scope, and whether the user was on
    a snapshot page), ``consent`` for one consent page, whose 允许 or 拒绝 counts once."""

    __tablename__ = "sandbox_one_time_code"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    appid: Mapped[str] = mapped_column(String(32))
    persona: Mapped[str] = mapped_column(String(32))
    scope: Mapped[str | None] = mapped_column(String(20))
    snapshot: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class SessionKey(db.Model):
    """A session_key. At most one per (appid, persona) has ended_at unset and is unexpired."""

    __tablename__ = "sandbox_session_key"
    __table_args__ = (Index("ix_sandbox_session_key_owner", "appid", "persona"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    appid: Mapped[str] = mapped_column(String(32))
    persona: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(24))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str | None] = mapped_column(String(16))  # rotated | reset | cleared


class AccessToken(db.Model):
    """A server access_token. ``kind`` is "token" (/cgi-bin/token) or "stable"
    (/cgi-bin/stable_token): WeChat keeps the two apart."""

    __tablename__ = "sandbox_access_token"
    __table_args__ = (Index("ix_sandbox_access_token_app", "appid", "kind"),)
    token: Mapped[str] = mapped_column(String(160), primary_key=True)
    appid: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(8))
    forced: Mapped[bool] = mapped_column(default=False)  # a stable_token force_refresh
    issued_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    superseded_at: Mapped[datetime | None]  # a newer token was issued: 5 minutes left
    invalidated_at: Mapped[datetime | None]  # a forced stable_token refresh: dead at once


class AuthSetting(db.Model):
    """One scope's answer in a persona's authSetting for one app."""

    __tablename__ = "sandbox_auth_setting"
    __table_args__ = (UniqueConstraint("appid", "persona", "scope"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    appid: Mapped[str] = mapped_column(String(32))
    persona: Mapped[str] = mapped_column(String(32))
    scope: Mapped[str] = mapped_column(String(40))
    granted: Mapped[bool]
    updated_at: Mapped[datetime]


class PrivacyAgreement(db.Model):
    """A persona agreed to a mini-program's privacy guide (enforced since 2023-10-17): until
    then every privacy API fails with errno 104. Cleared with the authorization data."""

    __tablename__ = "sandbox_privacy_agreement"
    __table_args__ = (UniqueConstraint("appid", "persona"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    appid: Mapped[str] = mapped_column(String(32))
    persona: Mapped[str] = mapped_column(String(32))
    agreed_at: Mapped[datetime]


class PhoneNumberQuota(db.Model):
    """Successful getPhoneNumber calls charged to a mini-program (paid since 2023-08-28; the
    allowance is SANDBOX_PHONE_NUMBER_QUOTA, 1000 trial calls by default)."""

    __tablename__ = "sandbox_phone_number_quota"
    appid: Mapped[str] = mapped_column(String(32), primary_key=True)
    used: Mapped[int]


class InjectedFault(db.Model):
    """Make the next ``remaining`` calls of one API answer ``errcode``."""

    __tablename__ = "sandbox_fault"
    id: Mapped[int] = mapped_column(primary_key=True)
    api: Mapped[str] = mapped_column(String(40), index=True)
    errcode: Mapped[int]
    remaining: Mapped[int]
    created_at: Mapped[datetime]


class QuotaCounter(db.Model):
    """Calls of one API by one subject within one minute, for WeChat's 45011 quota."""

    __tablename__ = "sandbox_quota_counter"
    api: Mapped[str] = mapped_column(String(40), primary_key=True)
    subject: Mapped[str] = mapped_column(String(80), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(primary_key=True)
    count: Mapped[int]


class WebGrant(db.Model):
    """A persona's consent to a service account's snsapi_userinfo, remembered for a while."""

    __tablename__ = "sandbox_web_grant"
    __table_args__ = (Index("ix_sandbox_web_grant_owner", "appid", "persona"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    appid: Mapped[str] = mapped_column(String(32))
    persona: Mapped[str] = mapped_column(String(32))
    granted_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class WebDenial(db.Model):
    """A refusal on the consent page: until ``until`` a new request fails without a page."""

    __tablename__ = "sandbox_web_denial"
    __table_args__ = (Index("ix_sandbox_web_denial_owner", "appid", "persona"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    appid: Mapped[str] = mapped_column(String(32))
    persona: Mapped[str] = mapped_column(String(32))
    denied_at: Mapped[datetime]
    until: Mapped[datetime]


class WebToken(db.Model):
    """A web-authorization access_token and its refresh_token (one row per authorization)."""

    __tablename__ = "sandbox_web_token"
    access_token: Mapped[str] = mapped_column(String(160), primary_key=True)
    refresh_token: Mapped[str] = mapped_column(String(160), unique=True)
    appid: Mapped[str] = mapped_column(String(32))
    persona: Mapped[str] = mapped_column(String(32), index=True)
    scope: Mapped[str] = mapped_column(String(20))
    snapshot: Mapped[bool] = mapped_column(default=False)
    issued_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    refresh_expires_at: Mapped[datetime]
