"""A snapshot page's identity is virtual: its openid and its unionid (which WeChat's own example
includes, and which every snapshot visitor may share). The H5 side never makes an account of
it, and never links one by it."""

import html
import re
from urllib.parse import urlsplit

from sqlalchemy import func, select

from tests.support import MINIPROGRAM_APPID, OFFICIAL_ACCOUNT_APPID, Phone
from webapp.accounts.models import Identity, User, WebSession
from webapp.extensions import db
from webapp.sandbox.models import WebToken
from webapp.sandbox.webauth import token_unionid


def snapshot_visit(app, persona):
    """``persona`` opens /h5/profile from a snapshot page: follow the redirects to WeChat and
    into the snapshot page's frame. Return the H5 page the frame shows, and the token's fields
    WeChat sent (read back from the sandbox, as the callback saw them)."""
    browser = app.test_client()
    browser.set_cookie("sandbox_user", persona)
    assert browser.post("/sandbox/open/snapshot-mode", json={"on": True}).status_code == 200

    to_wechat = browser.get("/h5/login?scope=snsapi_userinfo&next=/h5/profile")
    snapshot = browser.get(to_wechat.headers["Location"].split("#")[0])
    frame = html.unescape(re.search(r'<iframe[^>]*src="([^"]+)"', snapshot.text).group(1))
    callback = urlsplit(frame)
    return browser.get(f"{callback.path}?{callback.query}")


def rows(app):
    with app.app_context():
        return {
            "users": db.session.scalar(select(func.count()).select_from(User)),
            "identities": sorted(
                db.session.execute(select(Identity.appid, Identity.user_id)).all()
            ),
            "web_sessions": db.session.scalar(select(func.count()).select_from(WebSession)),
        }


def test_a_snapshot_visit_makes_no_account_and_links_none(app, client):
    # lihua already uses the mini-program: a real user, with her real unionid.
    code = Phone(client, user="lihua").login()
    assert client.post("/api/login", json={"code": code}).get_json()["code"] == 0
    before = rows(app)
    assert before["identities"] == [(MINIPROGRAM_APPID, 1)]

    pages = [snapshot_visit(app, persona) for persona in ("xiaoming", "lihua", "xiaoming")]

    for page in pages:
        assert page.status_code == 200
        assert "你正在浏览快照页" in page.text
    assert rows(app) == before, "no user, no identity, no session: nothing linked by unionid"


def test_the_snapshot_visitors_did_get_a_unionid_to_be_tempted_by(app, client):
    """The trap is real: the token WeChat sent carried one, shared by both visitors."""
    snapshot_visit(app, "xiaoming")
    snapshot_visit(app, "lihua")

    with app.app_context():
        tokens = db.session.scalars(
            select(WebToken).where(WebToken.appid == OFFICIAL_ACCOUNT_APPID)
        ).all()
        assert len(tokens) == 2 and all(token.snapshot for token in tokens)
        assert len({token_unionid(token) for token in tokens}) == 1
