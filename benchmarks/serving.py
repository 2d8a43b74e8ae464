"""Throughput and latency of the app under make serve's server, scenario by scenario.

    make bench
    .venv/bin/python -m benchmarks.serving [--database-url URL] [--duration 10]
        [--concurrency 1 8 32 64] [--warmup 3] [--json instance/benchmark.json]

It starts the app as ``make serve`` does (migrations, then gunicorn with gunicorn.conf.py and
its default workers and threads) on a loopback port and a new database: a SQLite file by
default; with ``--database-url``, an empty scratch database that it migrates and empties at
the end. Then, after a warm-up, wrk drives each scenario for ``--duration`` seconds at each
concurrency (that many connections, each a client doing one flow after another):

  (a) GET /livez, a bare JSON endpoint of the same app: the ceiling
  (b) GET /api/me with a bearer token
  (c) a mini-program login: wx.login on the sandbox phone, then POST /api/login, which calls
      jscode2session in-process (three handled requests, two of them over HTTP)
  (d) H5 web authorization from a new browser: /h5/login -> the sandbox's authorize page ->
      /h5/callback -> /h5/ (four requests, and the code exchange in-process)
  (e) a first visit to the lab: the page and every file it loads

A flow is one of these; "ratio" is a scenario's flows per second over (a)'s requests per
second at the same concurrency. Latencies are of single HTTP requests. Before the load,
Chromium visits the H5 pages and the lab for their size and requests on a first and a repeat
visit. wrk's CPU time and the server's are measured for every run: the load generator is not
the bottleneck while it uses a small share of what the server uses.

The server runs with RATELIMIT_ENABLED=false and the sandbox's per-user jscode2session quota
lifted: the benchmark's logins come from two personas, where real traffic has many users.
"""

import argparse
import json
import os
import platform
import runpy
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import requests
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url

from benchmarks.pages import measure_pages
from benchmarks.served import ROOT, ServedApp
from config import SANDBOX_MINIPROGRAM_APPID

WRK = shutil.which("wrk") or "/usr/bin/wrk"
FLOWS_SCRIPT = Path(__file__).with_name("flows.lua")
CLIENT_TIMEOUT = "10s"  # wrk counts a request slower than this as an error
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
LOGIN_PERSONAS = ("xiaoming", "lihua")
TOKEN_PERSONA = "amy"  # (b)'s token: no benchmark login revokes it (single-device policy)
SERVER_SETTINGS = {
    "RATELIMIT_ENABLED": "false",
    "SANDBOX_CODE2SESSION_PER_MINUTE": str(10**9),
}


@dataclass
class Scenario:
    key: str
    name: str
    unit: str  # what one flow is
    requests_per_flow: str  # as printed: HTTP requests, plus in-process calls


@dataclass
class Run:
    scenario: str
    concurrency: int
    seconds: float
    requests: int
    flows: int
    flows_per_second: float
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    ratio_to_a: float
    generator_cpu: float  # wrk's CPU time over the run's wall time (1.0 = one core)
    server_cpu: float  # the same for every process of the server
    # The ratio per CPU second of the server: flows per server CPU second over (a)'s. Less
    # moved than ratio_to_a by other programs taking the CPU during one run and not another.
    cpu_ratio_to_a: float = 0.0


SCENARIOS = (
    Scenario("a", "GET /livez (bare JSON)", "req", "1"),
    Scenario("b", "GET /api/me", "req", "1"),
    Scenario("c", "mini-program login", "login", "2 + 1 in-process"),
    Scenario("d", "H5 web authorization", "round trip", "4 + 1 in-process"),
    Scenario("e", "the lab, first visit", "page view", "1 + assets"),
)


def main(argv=None):
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    database_url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite'}"
    if args.database_url:
        refuse_unless_empty(args.database_url)
    server = ServedApp(database_url, workdir / "server.log", **SERVER_SETTINGS)
    try:
        server.start()
        results = benchmark(server, args)
    finally:
        server.stop()
        if args.database_url:
            empty_database(args.database_url)
    results["database"] = make_url(database_url).get_backend_name()
    print_report(results)
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"\nJSON: {args.json}")
    if args.keep_log:
        print(f"server log: {server.log_path}")
    else:
        shutil.rmtree(workdir)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="", help="an empty scratch database")
    parser.add_argument("--duration", type=int, default=10, help="seconds per run")
    parser.add_argument("--warmup", type=int, default=3, help="seconds per scenario, or 0")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32, 64])
    parser.add_argument("--json", default=str(ROOT / "instance" / "benchmark.json"))
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
    parser.add_argument("--keep-log", action="store_true", help="keep the server's log")
    return parser.parse_args(argv)


def benchmark(server, args):
    token = api_token(server.url)
    pages = measure_pages(server.url, args.chromium)
    lab = next(page for page in pages if page.path == "/lab/")
    # Its files (scripts, styles, the persona pictures, the mini-program's modules), not the
    # calls its scripts then make.
    lab_files = [
        path
        for path in lab.first.paths
        if path.startswith(("/static/", "/sandbox/avatar/", "/lab/miniprogram/"))
    ]
    wrk_args = {
        "a": ["get", "/livez"],
        "b": ["get", "/api/me", token],
        "c": ["login", *LOGIN_PERSONAS],
        "d": ["h5", "xiaoming", "lihua", "amy"],
        "e": ["page", "/lab/", *lab_files],
    }
    top = max(args.concurrency)
    for scenario in SCENARIOS if args.warmup else ():  # pools, caches, first logins
        wrk(server, wrk_args[scenario.key], top, args.warmup)

    runs = []
    print(HEADER)
    for concurrency in args.concurrency:
        ceiling = None
        for scenario in SCENARIOS:
            run = measure(server, scenario, wrk_args[scenario.key], concurrency, args.duration)
            ceiling = ceiling or run
            run.ratio_to_a = _ratio(run.flows_per_second, ceiling.requests_per_second)
            run.cpu_ratio_to_a = _ratio(
                _ratio(run.flows_per_second, run.server_cpu),
                _ratio(ceiling.requests_per_second, ceiling.server_cpu),
            )
            runs.append(run)
            print(format_run(run), flush=True)
    return {
        "machine": machine(),
        "settings": {
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "concurrency": args.concurrency,
            **server_sizing(server),
            "client_timeout": CLIENT_TIMEOUT,
            "server_environment": SERVER_SETTINGS,
        },
        "scenarios": [asdict(scenario) for scenario in SCENARIOS],
        "runs": [asdict(run) for run in runs],
        "pages": [page.as_dict() for page in pages],
        "targets": targets(runs, pages),
    }


def _ratio(part, whole):
    return round(part / whole, 3) if whole else 0.0


def api_token(base_url):
    """Log the token persona in once, as a mini-program would; return its token."""
    code = requests.post(
        f"{base_url}/sandbox/device/login",
        json={"appid": SANDBOX_MINIPROGRAM_APPID, "user": TOKEN_PERSONA},
        timeout=10,
    ).json()["code"]
    answer = requests.post(f"{base_url}/api/login", json={"code": code}, timeout=10).json()
    return answer["data"]["token"]


def wrk(server, scenario_args, concurrency, seconds):
    """Run wrk; return (its JSON summary, the server's CPU seconds meanwhile)."""
    command = [
        WRK,
        f"--threads={concurrency}",  # one connection per thread: see flows.lua
        f"--connections={concurrency}",
        f"--duration={seconds}s",
        f"--timeout={CLIENT_TIMEOUT}",
        f"--script={FLOWS_SCRIPT}",
        server.url,
        "--",
        *scenario_args,
    ]
    server_cpu = cpu_seconds(server.group_pids())
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = process.communicate()
    # communicate() has reaped wrk; its resource usage is in our children's totals since.
    server_cpu = cpu_seconds(server.group_pids()) - server_cpu
    if process.returncode != 0:
        raise RuntimeError(f"wrk failed ({process.returncode}): {err or out}")
    summary = json.loads(out.strip().splitlines()[-1])
    return summary, server_cpu


def measure(server, scenario, scenario_args, concurrency, seconds):
    before = os.times()
    summary, server_cpu = wrk(server, scenario_args, concurrency, seconds)
    after = os.times()
    generator_cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    wall = summary["duration_us"] / 1e6
    errors = (
        summary["socket_errors"]
        + summary["http_errors"]
        + summary["timeouts"]
        + summary["flow_failures"]
    )
    return Run(
        scenario=scenario.key,
        concurrency=concurrency,
        seconds=round(wall, 2),
        requests=summary["requests"],
        flows=summary["flows"],
        flows_per_second=round(summary["flows"] / wall, 1),
        requests_per_second=round(summary["requests"] / wall, 1),
        p50_ms=round(summary["latency_us"]["p50"] / 1000, 2),
        p99_ms=round(summary["latency_us"]["p99"] / 1000, 2),
        errors=errors,
        ratio_to_a=0.0,
        generator_cpu=round(generator_cpu / wall, 2),
        server_cpu=round(server_cpu / wall, 2),
    )


def cpu_seconds(pids):
    """User and system CPU seconds used so far by these processes (Linux /proc)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:  # it exited meanwhile
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLOCK_TICKS


def server_sizing(server):
    """Workers and threads per worker, as gunicorn.conf.py chose them for the server."""
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))  # reads WORKERS, THREADS
    return {
        "workers": server.log().count("Booting worker with pid"),
        "threads": settings["threads"],
    }


def targets(runs, pages):
    """The issue's targets, each with whether this run met it."""
    by_key = {(run.scenario, run.concurrency): run for run in runs}
    concurrencies = sorted({run.concurrency for run in runs})
    h5_pages = [page for page in pages if page.name.startswith("H5")]
    return {
        # A run in which no flow finished proves nothing about errors.
        "zero errors everywhere": all(run.errors == 0 and run.flows > 0 for run in runs),
        "(b) >= 0.8 x (a)": all(by_key["b", c].ratio_to_a >= 0.8 for c in concurrencies),
        "(c) >= 0.2 x (a), logins/s": all(by_key["c", c].ratio_to_a >= 0.2 for c in concurrencies),
        "each H5 page <= 30 KB on a first visit": all(
            page.first.bytes <= 30 * 1024 for page in h5_pages
        ),
        "a repeat visit loads no file again": all(
            page.repeat.asset_requests == 0 for page in pages
        ),
    }


def machine():
    load = os.getloadavg()
    return {
        "cpus": os.cpu_count(),
        "load_average_at_end": [round(value, 2) for value in load],
        "python": platform.python_version(),
        "platform": platform.platform(),
        "time": time.strftime("%Y-%m-%d %H:%M:%S %z"),
    }


HEADER = (
    f"{'':3}{'scenario':<24}{'c':>4}{'flows/s':>10}{'unit':>12}{'req/s':>9}{'p50 ms':>9}"
    f"{'p99 ms':>9}{'errors':>8}{'ratio':>7}{'wrk cpu':>9}{'srv cpu':>9}{'r/cpu':>7}"
)


def format_run(run):
    scenario = next(s for s in SCENARIOS if s.key == run.scenario)
    return (
        f"{scenario.key:<3}{scenario.name:<24}{run.concurrency:>4}{run.flows_per_second:>10.1f}"
        f"{scenario.unit:>12}{run.requests_per_second:>9.1f}{run.p50_ms:>9.2f}{run.p99_ms:>9.2f}"
        f"{run.errors:>8}{run.ratio_to_a:>7.2f}{run.generator_cpu:>9.2f}{run.server_cpu:>9.2f}"
        f"{run.cpu_ratio_to_a:>7.2f}"
    )


def print_report(results):
    settings, machine_ = results["settings"], results["machine"]
    print(
        f"\n{results['database']}, {settings['workers']} workers x {settings['threads']} threads, "
        f"{machine_['cpus']} CPUs, "
        f"load average at the end {machine_['load_average_at_end']}, "
        f"{settings['duration_s']:g} s per run"
    )
    print(HEADER)
    for run in results["runs"]:
        print(format_run(Run(**run)))
    print(
        "ratio: flows/s over (a)'s req/s at the same c; cpu: CPU seconds per second of the run "
        "(1.00 = one core) of wrk and of the server;\nr/cpu: the ratio per server CPU second "
        "(less moved by other programs on the machine)"
    )
    print(f"\n{'page':<32}{'first visit':>22}{'repeat visit':>24}")
    for page in results["pages"]:
        first, repeat = page["first"], page["repeat"]
        print(
            f"{page['name']:<32}{first['bytes'] / 1024:>8.1f} KB {first['requests']:>3} req"
            f" ({first['asset_requests']:>2} files){repeat['bytes'] / 1024:>8.1f} KB"
            f" {repeat['requests']:>3} req ({repeat['asset_requests']:>2} files)"
        )
    print()
    for target, met in results["targets"].items():
        print(f"{'met ' if met else 'MISSED'}  {target}")


def refuse_unless_empty(database_url):
    """Stop unless the scratch database has no tables: the benchmark empties it at the end."""
    engine = create_engine(_sqlalchemy_url(database_url))
    try:
        tables = inspect(engine).get_table_names()
    finally:
        engine.dispose()
    if tables:
        sys.exit(
            f"{make_url(database_url).render_as_string()} has tables ({', '.join(tables[:5])}"
            f"{', ...' if len(tables) > 5 else ''}): give the benchmark an empty scratch database; "
            "it drops every table it made when it ends."
        )


def empty_database(database_url):
    """Drop every table the migrations made, with their own downgrades."""
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "flask"), "--app", "webapp", "db", "downgrade", "base"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        check=True,
        capture_output=True,
    )
    engine = create_engine(_sqlalchemy_url(database_url))
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    engine.dispose()


def _sqlalchemy_url(database_url):
    for prefix in ("postgres://", "postgresql://"):
        if database_url.startswith(prefix):
            return "postgresql+psycopg://" + database_url[len(prefix) :]
    return database_url


if __name__ == "__main__":
    main()
