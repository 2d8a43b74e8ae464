"""A schema-driven fuzzer: Schemathesis reads the OpenAPI document the app serves and throws
generated requests at every /api operation (valid and invalid bodies, headers, path values).
It fails on any 5xx, and on any answer the document does not describe (a status, a content
type or a body that breaks the schema).

Bounded and repeatable for CI: a fixed seed (derandomize) and FUZZ_EXAMPLES cases per
operation. For a longer hunt: FUZZ_EXAMPLES=500 python -m pytest tests/miniapi/test_fuzz.py
"""

import os
import tempfile

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support import MINIPROGRAM_APPID
from webapp import create_app

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))


@schemathesis.check
def documented_input_is_not_bad_input(ctx, response, case):
    """A request the document calls valid must never be refused as malformed (40000): that
    would mean the document allows what the server refuses, as "" once was for code."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return None
    if response.status_code == 400 and response.json().get("code") == 40000:
        raise AssertionError(
            f"the document allows this request, the server refused it: {response.json()['msg']}"
        )
    return None


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    documented_input_is_not_bad_input,
]
CASES = []  # (operation, positive?, status) of every case sent, for the figures


@pytest.fixture(scope="module", autouse=True)
def figures():
    """Print how many cases ran (pytest -s shows it): the figures of a fuzz run."""
    yield
    if CASES:
        operations = {operation for operation, _, _ in CASES}
        positive = sum(1 for _, is_positive, _ in CASES if is_positive)
        print(
            f"\nfuzz: {len(CASES)} cases ({positive} valid per the document, "
            f"{len(CASES) - positive} invalid) over {len(operations)} operations"
        )


@pytest.fixture
def bearer(app):
    """A live token, renewed when a generated /api/logout revoked it."""
    client = app.test_client()

    def log_in():
        code = client.post("/sandbox/device/login", json={"appid": MINIPROGRAM_APPID}).get_json()
        answer = client.post("/api/login", json={"code": code["code"]}).get_json()
        return {"Authorization": f"Bearer {answer['data']['token']}"}

    holder = {"headers": log_in(), "renew": log_in}
    return holder


# The document as the app serves it (serving it touches no database, so this app's is never
# created); the cases are then sent to each test's own app, on the test database.
DOCUMENT_ONLY = f"sqlite:///{os.path.join(tempfile.gettempdir(), 'never-created.sqlite')}"
schema = schemathesis.openapi.from_wsgi(
    "/api/openapi.json", create_app({"DATABASE_URL": DOCUMENT_ONLY})
)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,  # the same cases every run
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_api_operation_answers_as_documented(case, app, bearer):
    if case.operation.definition.raw.get("security") and "Authorization" not in (
        case.headers or {}
    ):
        case.headers = {**(case.headers or {}), **bearer["headers"]}

    response = case.call_and_validate(checks=CHECKS, app=app)

    positive = case.meta is not None and case.meta.generation.mode.is_positive
    CASES.append((case.operation.label, positive, response.status_code))
    if case.path == "/api/logout" and response.status_code == 200:
        bearer["headers"] = bearer["renew"]()
