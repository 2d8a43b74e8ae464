"""Response headers every page runs under: a strict Content-Security-Policy and friends."""

from flask import current_app

# No inline scripts or styles anywhere; only this origin's files. frame-ancestors 'self' lets the
# lab show the H5 pages in its web-view iframe and nobody else frame them.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "frame-ancestors 'self'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


def set_security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def has_endpoint(name):
    """Whether this app serves ``name`` (the sandbox is off in production)."""
    return name in current_app.view_functions


def init_app(app):
    app.after_request(set_security_headers)
    app.jinja_env.globals["has_endpoint"] = has_endpoint
