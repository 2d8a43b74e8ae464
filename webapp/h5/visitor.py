"""flask-login's view of an H5 visitor: a live WebSession, found by the token in the cookie."""

from flask_login import UserMixin

from webapp.accounts import web_sessions
from webapp.extensions import login_manager


class Visitor(UserMixin):
    def __init__(self, session_row, token):
        self.session_row, self.user, self._token = session_row, session_row.user, token

    def get_id(self):
        """What flask-login keeps in the cookie: the session's token, never the user id, so
        ending the session on the server logs this browser out."""
        return self._token


@login_manager.user_loader
def load_visitor(token):
    row = web_sessions.find_live(token)
    return None if row is None else Visitor(row, token)
