"""make bench's benchmark, run for a second per scenario: it runs, and says what it promises."""

import json
import subprocess
import sys

from sqlalchemy import create_engine, inspect

from benchmarks.served import ROOT
from benchmarks.serving import SCENARIOS
from tests.serving.helpers import sqlalchemy_url

PAGE_NAMES = [
    "H5 welcome",
    "H5 about",
    "H5 home (logged in)",
    "H5 profile (snsapi_userinfo)",
    "WeChat consent page (sandbox)",
    "the lab",
]


def test_the_benchmark_measures_every_scenario_and_page(fresh_database_url, tmp_path):
    results_path = tmp_path / "benchmark.json"
    command = [sys.executable, "-m", "benchmarks.serving", "--duration", "1", "--warmup", "0"]
    command += ["--concurrency", "2", "--json", str(results_path)]
    if not fresh_database_url.startswith("sqlite"):  # on SQLite it makes its own file
        command += ["--database-url", fresh_database_url]
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stdout + finished.stderr

    results = json.loads(results_path.read_text())
    runs = results["runs"]
    assert [(run["scenario"], run["concurrency"]) for run in runs] == [
        (scenario.key, 2) for scenario in SCENARIOS
    ]
    for run in runs:
        assert run["flows"] > 0 and run["errors"] == 0, run
        assert run["p50_ms"] <= run["p99_ms"]
        assert run["server_cpu"] > 0
    assert runs[0]["ratio_to_a"] == 1.0
    assert [page["name"] for page in results["pages"]] == PAGE_NAMES
    for page in results["pages"]:
        assert page["first"]["requests"] >= 1 and page["first"]["bytes"] > 0, page
        assert page["repeat"]["requests"] >= 1, page
    assert set(results["targets"]) == {
        "zero errors everywhere",
        "(b) >= 0.8 x (a)",
        "(c) >= 0.2 x (a), logins/s",
        "each H5 page <= 30 KB on a first visit",
        "a repeat visit loads no file again",
    }
    assert results["database"] == ("sqlite" if "sqlite" in fresh_database_url else "postgresql")

    table = finished.stdout
    assert "flows/s" in table and "p99 ms" in table and "wrk cpu" in table
    for scenario in SCENARIOS:
        assert scenario.name in table
    # A scratch database is left as it was found: empty.
    if not fresh_database_url.startswith("sqlite"):
        engine = create_engine(sqlalchemy_url(fresh_database_url))
        assert inspect(engine).get_table_names() == []
        engine.dispose()


def test_the_profile_says_what_a_request_costs_and_where_it_goes():
    command = [sys.executable, "-m", "benchmarks.profile", "login", "--requests", "100"]
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stdout + finished.stderr

    lines = finished.stdout.splitlines()
    assert lines[0].startswith("in process, without the profiler: GET /livez ")
    assert lines[1].startswith("  GET /api/me ") and lines[2].startswith("  a login ")
    assert "× /livez" in lines[1] and "× /livez" in lines[2]
    # The call tree goes down to the login view and the sandbox's jscode2session under it.
    assert "login  webapp/miniapi/views.py" in finished.stdout
    assert "jscode2session  webapp/sandbox/api.py" in finished.stdout
