"""The app over real HTTP, and the app's clock under the test's control."""

import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from datetime import timedelta

from werkzeug.serving import make_server


class LiveServer:
    """An app served over real HTTP on a free local port, in a background thread.

    ``LiveServer(app)`` serves one app for its ``with`` block. ``LiveServer()`` serves
    nothing until ``serving(app)``: one server for the whole test session serves each test's
    app in turn, so its address stays the same and the browser contexts made for it can be
    reused (see ContextPool). Leaving either waits (up to 10 s) for the requests still being
    handled: a browser closed a moment ago may have sent one, and its writes must not land
    after the test's rows are deleted (on PostgreSQL, a TRUNCATE beside it can even deadlock).
    """

    def __init__(self, app=None):
        self._app = app
        self._idle = threading.Condition()
        self._in_flight = 0
        self._server = make_server("127.0.0.1", 0, self._counted, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        # A short poll interval: shutdown() waits for the loop to notice.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._thread.join()
        self._wait_until_idle()

    @contextmanager
    def serving(self, app):
        """Serve ``app`` for the ``with`` block, then wait for its last requests."""
        self._app = app
        try:
            yield self
        finally:
            self._app = None
            self._wait_until_idle()

    def _wait_until_idle(self):
        with self._idle:
            self._idle.wait_for(lambda: self._in_flight == 0, timeout=10)

    def _counted(self, environ, start_response):
        """The app being served, counting the requests it is handling."""
        app = self._app
        if app is None:  # between two tests: nobody's request
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"no test is running"]
        with self._idle:
            self._in_flight += 1
        try:
            return app(environ, start_response)
        finally:
            with self._idle:
                self._in_flight -= 1
                self._idle.notify_all()


class Clock:
    """The app's clock, frozen at the start of the test and moved on only by ``advance``."""

    def __init__(self, traveller):
        self._traveller = traveller

    def advance(self, seconds):
        self._traveller.shift(timedelta(seconds=seconds))


class SilentServer:
    """A TCP server on a free local port that accepts every connection and never answers: a
    WeChat or a database that hangs. ``url(scheme, path)`` names it."""

    def __init__(self):
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        self._accepted, self._stop = [], threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def url(self, scheme="http", path=""):
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def _accept(self):
        self._socket.settimeout(0.05)
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._accepted.append(connection)  # kept open, never read, never answered

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        for connection in self._accepted:
            connection.close()
        self._socket.close()


def refused_port():
    """A local port nothing listens on: connecting to it is refused at once."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]


def answered_within(seconds, call):
    """Run ``call()`` in a thread; return its result, or fail if it has not answered within
    ``seconds`` (a bound on a wait, not a speed target)."""
    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(call)
    try:
        return future.result(timeout=seconds)
    except FutureTimeout:
        raise AssertionError(f"no answer within {seconds} s: the wait is not bounded") from None
    finally:
        pool.shutdown(wait=False)  # a call still hanging is left behind, not waited for
