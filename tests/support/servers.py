"""The app over real HTTP, and the app's clock under the test's control."""

import threading
from datetime import timedelta

from werkzeug.serving import make_server


class LiveServer:
    """The app served over real HTTP on a free local port, in a background thread."""

    def __init__(self, app):
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        # A short poll interval: shutdown() waits for the loop to notice, once per test.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._thread.join()


class Clock:
    """The app's clock, frozen at the start of the test and moved on only by ``advance``."""

    def __init__(self, traveller):
        self._traveller = traveller

    def advance(self, seconds):
        self._traveller.shift(timedelta(seconds=seconds))
