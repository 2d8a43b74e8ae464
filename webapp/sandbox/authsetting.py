"""authSetting: the permission answers WeChat keeps on the phone, per persona and app.

Never asked: wx.authorize pops a sheet. Granted: passes silently. Denied: fails at once with no
sheet, until the user flips it in the settings page or the data is cleared.
"""

from sqlalchemy import select

from webapp.clock import utcnow
from webapp.extensions import db
from webapp.sandbox.models import AuthSetting

# The scopes wx.authorize accepts today, with the line the consent sheet shows.
SCOPES = {
    "scope.userLocation": "获取你的位置信息",
    "scope.userFuzzyLocation": "获取你的模糊地理位置",
    "scope.record": "使用你的麦克风",
    "scope.camera": "使用你的摄像头",
    "scope.bluetooth": "使用你的蓝牙",
    "scope.writePhotosAlbum": "保存图片或视频到你的相册",
    "scope.addPhoneContact": "添加到你的通讯录",
    "scope.addPhoneCalendar": "添加到你的日历",
    "scope.werun": "获取你的微信运动步数",
}
WITHDRAWN_SCOPES = {"scope.userInfo"}  # answered by getUserProfile and the fill-in ability now
# No longer need authorization: wx.authorize succeeds at once, with no sheet and no record.
SETTLED_SCOPES = {"scope.address", "scope.invoice", "scope.invoiceTitle"}
# Only the settings page turns it on ("使用小程序期间和离开后"); wx.authorize cannot ask for it.
SETTINGS_ONLY_SCOPES = {"scope.userLocationBackground"}


def answer(appid, persona_id, scope):
    """True (granted), False (denied) or None (never asked)."""
    row = _row(appid, persona_id, scope)
    return None if row is None else row.granted


def record(appid, persona_id, scope, granted):
    row = _row(appid, persona_id, scope)
    if row is None:
        row = AuthSetting(appid=appid, persona=persona_id, scope=scope)
        db.session.add(row)
    row.granted, row.updated_at = granted, utcnow()


def auth_setting(appid, persona_id):
    """The authSetting object of wx.getSetting: only scopes asked so far."""
    rows = db.session.scalars(
        select(AuthSetting)
        .where(AuthSetting.appid == appid, AuthSetting.persona == persona_id)
        .order_by(AuthSetting.scope)
    )
    return {row.scope: row.granted for row in rows}


def clear(appid, persona_id):
    return db.session.execute(
        AuthSetting.__table__.delete().where(
            AuthSetting.appid == appid, AuthSetting.persona == persona_id
        )
    ).rowcount


def _row(appid, persona_id, scope):
    return db.session.scalar(
        select(AuthSetting).where(
            AuthSetting.appid == appid,
            AuthSetting.persona == persona_id,
            AuthSetting.scope == scope,
        )
    )
