def test_landing_page_links_to_the_sandbox(client):
    page = client.get("/").get_data(as_text=True)
    assert "微信授权实验室" in page
    assert 'href="/sandbox/"' in page


def test_healthz_checks_the_database(client):
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok"}
