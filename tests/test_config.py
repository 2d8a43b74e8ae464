"""Configuration: read from the environment when the app is created; production refuses the
sandbox's public credentials; the lab's recording can be turned off."""

import pytest
from sqlalchemy import func, select

from config import Config
from webapp import create_app
from webapp.extensions import db
from webapp.lab.models import Exchange

REAL = {
    "SECRET_KEY": "a-long-random-production-key",
    "MINIPROGRAM_APPID": "wx0000000000000001",
    "MINIPROGRAM_SECRET": "real-mini-program-secret",
    "OFFICIAL_ACCOUNT_APPID": "wx0000000000000002",
    "OFFICIAL_ACCOUNT_SECRET": "real-service-account-secret",
}


@pytest.fixture
def production_env(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_CONFIG", "production")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'production.sqlite'}")
    return monkeypatch


def test_every_setting_is_read_from_the_environment_as_its_type():
    settings = Config.from_env(
        {
            "SANDBOX_CODE2SESSION_PER_MINUTE": "7",
            "SANDBOX_ENABLED": "false",
            "WECHAT_RETRY_BACKOFF": "0.5",
            "WECHAT_API_BASE": "https://x",
        }
    )

    assert settings["SANDBOX_CODE2SESSION_PER_MINUTE"] == 7
    assert settings["SANDBOX_ENABLED"] is False
    assert settings["WECHAT_RETRY_BACKOFF"] == 0.5
    assert settings["WECHAT_API_BASE"] == "https://x"


def test_production_refuses_the_sandbox_credentials_and_the_default_key(production_env):
    with pytest.raises(RuntimeError) as refused:
        create_app()

    message = str(refused.value)
    for name in (
        "SECRET_KEY",
        "MINIPROGRAM_APPID",
        "MINIPROGRAM_SECRET",
        "OFFICIAL_ACCOUNT_APPID",
        "OFFICIAL_ACCOUNT_SECRET",
    ):
        assert name in message


def test_production_names_only_what_is_still_wrong(production_env):
    for name, value in REAL.items():
        production_env.setenv(name, value)
    production_env.delenv("MINIPROGRAM_SECRET")

    with pytest.raises(RuntimeError) as refused:
        create_app()

    assert "MINIPROGRAM_SECRET" in str(refused.value)
    assert "SECRET_KEY is" not in str(refused.value)


def test_production_with_real_credentials_talks_to_wechat_and_mounts_no_sandbox(production_env):
    for name, value in REAL.items():
        production_env.setenv(name, value)

    app = create_app()
    client = app.test_client()

    assert app.config["WECHAT_API_BASE"] == "https://api.weixin.qq.com"
    assert app.config["LAB_RECORDING"] is False
    for path in ("/sandbox/", "/sandbox/api/sns/jscode2session", "/lab/", "/guide/"):
        assert client.get(path).status_code == 404
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok"}


def exchanges_after_a_phone_call(app):
    client = app.test_client()
    client.set_cookie("lab_trace", "trace-for-this-test")
    client.post("/sandbox/device/login", json={"appid": "wx5d1c4a0f3e2b7a91"})
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Exchange))


def test_the_lab_records_exchanges_of_a_lab_trace(app):
    assert exchanges_after_a_phone_call(app) == 1


def test_recording_turned_off_records_nothing(make_app):
    app = make_app(LAB_RECORDING=False)

    assert exchanges_after_a_phone_call(app) == 0
