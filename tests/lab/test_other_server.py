"""The force-refresh pitfall's second server: /lab/api/other-server/force-refresh forces a
stable_token refresh against the lab's own sandbox, reports WeChat's answer without the token,
and refuses to touch a real WeChat."""

from sqlalchemy import select

from webapp.extensions import db
from webapp.sandbox.models import AccessToken

FORCE = "/lab/api/other-server/force-refresh"


def test_it_forces_a_refresh_and_never_shows_the_token(app, client, clock):
    body = client.post(FORCE).get_json()

    assert body == {"errcode": 0, "expires_in": 7200}
    with app.app_context():
        forced = db.session.scalars(select(AccessToken).where(AccessToken.forced)).all()
    assert len(forced) == 1 and forced[0].token not in str(body)

    clock.advance(10)
    assert client.post(FORCE).get_json()["errcode"] == 45011  # WeChat: 30 s apart


def test_it_never_forces_a_real_apps_refresh(make_app):
    client = make_app(WECHAT_API_BASE="https://api.weixin.qq.com").test_client()

    response = client.post(FORCE)

    assert response.status_code == 409 and response.get_json()["code"] == 40900
