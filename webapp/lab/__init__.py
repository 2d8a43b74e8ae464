"""The lab: what learners click through."""

from webapp.lab import recorder
from webapp.lab.views import bp


def init_app(app):
    app.register_blueprint(bp)
    recorder.init_app(app)
