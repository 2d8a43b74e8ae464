"""WeChat Auth Lab: the application factory."""

import logging
import os

from flask import Flask

from webapp import database, errors, redact, security
from webapp.extensions import csrf, db, login_manager
from webapp.wechat.cli import wechat_cli


def create_app(test_config=None):
    """Create the whole lab: developer server, sandbox WeChat and pages."""
    app = _create_base_app(test_config)

    from webapp import lab
    from webapp.guides import bp as guides_bp
    from webapp.h5 import bp as h5_bp
    from webapp.main import bp as main_bp
    from webapp.miniapi import bp as miniapi_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(miniapi_bp)
    app.register_blueprint(h5_bp)
    login_manager.init_app(app)
    login_manager.login_view = "h5.login"
    csrf.init_app(app)
    if app.config["SANDBOX_ENABLED"]:
        _register_sandbox(app)
        # The lab and the guides drive the sandbox's phone, so they come with it.
        lab.init_app(app)
        app.register_blueprint(guides_bp)
    return app


def create_sandbox_app(test_config=None):
    """Create an app that is only the sandbox WeChat, a stand-in for someone else's backend."""
    app = _create_base_app(test_config)
    _register_sandbox(app)
    return app


def _create_base_app(test_config):
    from config import CONFIGS

    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
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
    app.config["SQLALCHEMY_DATABASE_URI"] = database.url_from_config(app)
    # Error messages of the database would otherwise quote the values of a failed statement.
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"hide_parameters": True})
    redact.install_log_filter(logging.getLogger("werkzeug"))
    redact.install_log_filter(app.logger)

    db.init_app(app)
    database.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    app.cli.add_command(wechat_cli)
    return app


def _register_sandbox(app):
    from webapp import sandbox

    sandbox.init_app(app)
