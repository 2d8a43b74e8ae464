"""The sandbox WeChat: a local stand-in for WeChat's servers and for the WeChat app's decisions.

The developer server never imports this package: it reaches the sandbox over HTTP, at the base
URLs in its configuration, exactly as it would reach WeChat.
"""

from webapp import errors
from webapp.sandbox import api, console, device, oauth_pages, webauth, whitelist
from webapp.sandbox.cli import sandbox_cli


def init_app(app):
    _check_settings(app.config)
    whitelist.init_app(app)
    app.register_blueprint(console.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(device.bp)
    app.register_blueprint(oauth_pages.bp)
    # Each lane answers errors in its own shape: WeChat's errcode for the server APIs, the wx
    # API's errMsg for the phone.
    errors.register_lane(app, api.bp.url_prefix + "/", api.answer_http_error)
    errors.register_lane(app, device.bp.url_prefix + "/", device.answer_http_error)
    app.cli.add_command(sandbox_cli)


def _check_settings(config):
    domain = config["SANDBOX_WEB_AUTH_DOMAIN"]
    if domain:
        try:
            webauth.parse_domain(domain)
        except ValueError as error:
            raise RuntimeError(
                f"Refusing to start with these settings:\n  - SANDBOX_WEB_AUTH_DOMAIN: {error}"
            ) from None
