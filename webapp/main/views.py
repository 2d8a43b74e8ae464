from flask import Blueprint, current_app, jsonify, render_template
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from webapp.extensions import db

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    return render_template("main/index.html", sandbox=current_app.config["SANDBOX_ENABLED"])


@bp.get("/livez")
def livez():
    """Answer 200 while this process serves requests, touching nothing else: a liveness probe
    that restarts the app must not fire because the database is down (that is /healthz's)."""
    return jsonify(status="ok")


@bp.get("/healthz")
def healthz():
    """Answer 200 if the database answers, 503 otherwise: a readiness probe."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        current_app.logger.exception("Health check: database unreachable")
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
