"""WeChat Auth Lab: the application factory."""

import logging
import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import webapp.models  # noqa: F401  (every table in the metadata, for the migrations)
from config import CONFIGS
from webapp import assets, database, errors, lab, limits, redact, sandbox, security
from webapp.extensions import csrf, db, login_manager, migrate
from webapp.guides import bp as guides_bp
from webapp.h5 import bp as h5_bp
from webapp.main import bp as main_bp
from webapp.miniapi import bp as miniapi_bp
from webapp.wechat.cli import wechat_cli


def create_app(test_config=None):
    """Create the whole lab: developer server, sandbox WeChat and pages."""
    app = _create_base_app(test_config)
    app.register_blueprint(main_bp)
    app.register_blueprint(miniapi_bp)
    app.register_blueprint(h5_bp)
    login_manager.init_app(app)
    login_manager.login_view = "h5.login"
    csrf.init_app(app)
    if app.config["SANDBOX_ENABLED"]:
        sandbox.init_app(app)
        # The lab and the guides drive the sandbox's phone, so they come with it.
        lab.init_app(app)
        app.register_blueprint(guides_bp)
    limits.init_app(app)  # last: it wraps the views registered above
    return app


def create_sandbox_app(test_config=None):
    """Create an app that is only the sandbox WeChat, a stand-in for someone else's backend."""
    app = _create_base_app(test_config)
    sandbox.init_app(app)
    return app


STATIC_FOLDER = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "static")


def _create_base_app(test_config):
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder=STATIC_FOLDER,
        # /static/<a hash of the files>/...: see webapp/assets.py
        static_url_path=f"/static/{assets.folder_version(STATIC_FOLDER)}",
    )
    if test_config is None:
        config_class = CONFIGS[os.environ.get("APP_CONFIG", "default")]
        settings = config_class.from_env()
    else:
        config_class = CONFIGS["testing"]
        settings = {**config_class.from_env(), **test_config}
    config_class.check(settings)
    app.config.from_mapping(settings)

    os.makedirs(app.instance_path, exist_ok=True)
    url = database.url_from_config(app)
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    app.config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS", database.engine_options(url, app.config["DATABASE_TIMEOUT"])
    )
    if app.config["PROXY_HOPS"]:
        # Behind that many reverse proxies, trust their X-Forwarded-* headers (and only then:
        # without a proxy, anyone could send them).
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    redact.install_log_filter(logging.getLogger("werkzeug"))
    redact.install_log_filter(app.logger)

    db.init_app(app)
    migrate.init_app(app, db)
    errors.init_app(app)
    security.init_app(app)
    assets.init_app(app)
    app.cli.add_command(wechat_cli)
    return app
