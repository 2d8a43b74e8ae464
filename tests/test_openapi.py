"""The OpenAPI document names every /api route, and only those."""

import re

from openapi_spec_validator import validate

from tests.support import MINIPROGRAM_APPID


def api_routes(app):
    """(path, METHOD) of every /api route, with Flask's <name> written as OpenAPI's {name}."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = rule.rule.replace("<", "{").replace(">", "}")
            routes |= {(path, method) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return routes


def documented_operations(document):
    return {
        (path, method.upper()) for path, methods in document["paths"].items() for method in methods
    }


def test_the_document_is_valid_openapi_3(client):
    validate(client.get("/api/openapi.json").get_json())


def test_every_route_is_documented_and_every_operation_exists(app, client):
    document = client.get("/api/openapi.json").get_json()
    assert api_routes(app) == documented_operations(document)


def test_the_docs_page_lists_every_operation_and_error(client):
    page = client.get("/api/docs").get_data(as_text=True)
    document = client.get("/api/openapi.json").get_json()
    for path, method in documented_operations(document):
        assert (
            f'<span class="method method-{method.lower()}">{method}</span> <code>{path}</code>'
            in page
        )
    assert "<code>40900</code>" in page  # the double-tap answer is documented


def test_every_operation_lists_its_responses_in_order_of_status(client):
    document = client.get("/api/openapi.json").get_json()
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            statuses = list(operation["responses"])
            assert statuses == sorted(statuses), (method, path, statuses)


def test_no_response_lists_a_code_twice(client):
    """POST /api/webview/ticket names too_many_requests (its own rate limit), as every token
    operation does: the document still lists 42901 once."""
    document = client.get("/api/openapi.json").get_json()
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            for status, response in operation["responses"].items():
                codes = re.findall(r"^- `(\d+)`", response["description"], re.M)
                assert len(codes) == len(set(codes)), (method, path, status, codes)
    ticket = document["paths"]["/api/webview/ticket"]["post"]["responses"]["429"]
    assert re.findall(r"^- `(\d+)`", ticket["description"], re.M) == ["42901"]


def test_every_error_is_explained_for_the_learner():
    from webapp.miniapi.errors import ERRORS, EXPLAINED

    assert set(EXPLAINED) == set(ERRORS)


def test_the_docs_page_renders_the_descriptions_markdown(client):
    """`code` becomes <code>, "- " lines become a list: no raw backtick is left."""
    page = client.get("/api/docs").get_data(as_text=True)

    assert "`" not in page
    assert "<li><code>40900</code>：" in page  # the double tap, in /api/login's 409 response
    assert "<code>Authorization: Bearer &lt;token&gt;</code>" in page


def string_fields(document):
    """(path, field, schema) of every string field of every JSON request body."""
    for path, methods in document["paths"].items():
        for operation in methods.values():
            content = operation.get("requestBody", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema", {})
            for field, field_schema in schema.get("properties", {}).items():
                if field_schema.get("type") == "string":
                    yield path, field, field_schema


def test_where_the_server_refuses_an_empty_string_the_document_does_too(client):
    """A client generated from the document must not send what the server answers 40000."""
    code = client.post("/sandbox/device/login", json={"appid": MINIPROGRAM_APPID}).get_json()
    token = client.post("/api/login", json={"code": code["code"]}).get_json()["data"]["token"]
    document = client.get("/api/openapi.json").get_json()
    refused = []

    for path, field, schema in string_fields(document):
        answer = client.post(path, json={field: ""}, headers={"Authorization": f"Bearer {token}"})
        if answer.status_code == 400 and answer.get_json()["code"] == 40000:
            refused.append(field)
            assert schema.get("minLength", 0) >= 1, (path, field)

    # The four fields a fuzzer once found documented as allowing "".
    assert {"code", "nickname", "encryptedData", "rawData"} <= set(refused)
