from webapp import create_app


def test_landing_page_links_to_the_sandbox(client):
    page = client.get("/").get_data(as_text=True)
    assert "微信授权实验室" in page
    assert 'href="/sandbox/"' in page


def test_healthz_checks_the_database(client):
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok"}


def test_livez_answers_without_the_database():
    client = create_app({"DATABASE_URL": "sqlite:////nonexistent/folder/none.sqlite"}).test_client()
    assert client.get("/livez").get_json() == {"status": "ok"}
    assert client.get("/healthz").status_code == 503
