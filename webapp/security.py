"""Response headers every page runs under: a strict Content-Security-Policy and friends."""

from flask import current_app, request


def content_security_policy(script_sources=(), image_sources=()):
    """No inline scripts or styles anywhere; only this origin's files, and the extra sources
    given. frame-ancestors 'self' lets the lab show the H5 pages in its web-view iframe and
    nobody else frame them."""
    return "; ".join(
        [
            "default-src 'self'",
            " ".join(["script-src 'self'", *script_sources]),
            "style-src 'self'",
            " ".join(["img-src 'self' data:", *image_sources]),
            "frame-ancestors 'self'",
            "base-uri 'none'",
            "object-src 'none'",
        ]
    )


CONTENT_SECURITY_POLICY = content_security_policy()


# Paths whose answers may carry a token, a ticket, a code or someone's data: no cache keeps
# them (a shared computer's browser, a proxy). A view that sets its own Cache-Control (an
# avatar, immutable under a random id) keeps it.
PRIVATE_PREFIXES = ("/api/", "/h5/", "/lab/", "/sandbox/", "/guide/decrypt")


def set_security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    # frame-ancestors' counterpart for old web-views that only know this header.
    response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.path.startswith(PRIVATE_PREFIXES) and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"
    if current_app.config["HSTS_SECONDS"]:
        # Production is served over https only (behind its proxy): browsers should never try
        # plain http again.
        response.headers.setdefault(
            "Strict-Transport-Security", f"max-age={current_app.config['HSTS_SECONDS']}"
        )
    return response


def has_endpoint(name):
    """Whether this app serves ``name`` (the sandbox is off in production)."""
    return name in current_app.view_functions


def init_app(app):
    app.after_request(set_security_headers)
    app.jinja_env.globals["has_endpoint"] = has_endpoint
