"""The app as ``make serve`` runs it, started from Python: for the serving tests and make bench.

``make serve`` applies the migrations, then starts gunicorn with gunicorn.conf.py. Here it runs
as a subprocess in a process group of its own (make, gunicorn's arbiter and its workers), so
``stop()`` and ``kill()`` reach every process of it and nothing outlives the caller.
"""

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
# `make -o FILE` treats FILE as up to date: the virtualenv is not reinstalled before serving.
SERVE = ["make", "--no-print-directory", "-o", ".venv/.runtime", "serve"]
POLL_INTERVAL = 0.05  # seconds between two looks at /healthz while the server starts
# Settings of the caller's environment that must not leak into the server's (WORKERS and
# THREADS do: `WORKERS=3 THREADS=8 make bench` measures another sizing).
NOT_INHERITED = ("APP_CONFIG", "DATABASE_URL", "HOST", "PORT")


class ServerFailed(RuntimeError):
    """The server exited, or did not answer in time; the message ends with its log."""


def free_port():
    """A TCP port on the loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServedApp:
    """``make serve`` on ``database_url`` at a free loopback port, its output in ``log_path``.

    ``workers`` overrides gunicorn.conf.py's default; ``settings`` are more environment
    variables for the server (any key of config.py, THREADS). Use as a context manager, or
    call start() and stop() (or kill()) yourself.
    """

    def __init__(self, database_url, log_path, *, workers=None, **settings):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(log_path)
        self.environ = {
            **{k: v for k, v in os.environ.items() if k not in NOT_INHERITED},
            "DATABASE_URL": database_url,
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            **({"WORKERS": str(workers)} if workers else {}),
            **{name: str(value) for name, value in settings.items()},
        }
        self.process = None

    def start(self, timeout=60):
        """Start the server and return once /healthz answers 200 (or raise ServerFailed)."""
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                SERVE,
                cwd=ROOT,
                env=self.environ,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: make, arbiter, workers
            )
        self._wait_until_healthy(timeout)
        return self

    def _wait_until_healthy(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:  # not listening yet, or too busy to answer
                pass
            try:  # the pause between two looks, cut short if the server exits
                code = self.process.wait(timeout=POLL_INTERVAL)
            except subprocess.TimeoutExpired:
                continue
            raise ServerFailed(f"make serve exited with {code}\n{self.log()}")
        self.kill()
        raise ServerFailed(f"no answer from {self.url}/healthz in {timeout} s\n{self.log()}")

    def stop(self, timeout=15):
        """Stop gracefully (SIGTERM to the group), or kill it after ``timeout`` seconds."""
        if self._signal(signal.SIGTERM):
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()

    def kill(self):
        """SIGKILL every process of the server at once, as a crash or an OOM kill would."""
        if self._signal(signal.SIGKILL):
            self.process.wait()

    def _signal(self, signum):
        if self.process is None:
            return False
        try:
            os.killpg(self.process.pid, signum)
        except ProcessLookupError:  # the whole group is gone already
            return False
        return True

    def group_pids(self):
        """The pids in the server's process group now: make, the arbiter and the workers."""
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                # Fields after the command name, which may hold spaces: state ppid pgrp ...
                if int(stat.rpartition(")")[2].split()[2]) == self.process.pid:
                    pids.append(int(entry.name))
        return pids

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
