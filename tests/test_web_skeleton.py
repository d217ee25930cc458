"""The app factory, health check, languages and error pages."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from evalapp import create_app


def test_factory_takes_test_config_and_reads_no_environment(app: Flask, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("EVALAPP_DATABASE_URL", "sqlite:////nonexistent/ignored.db")
    assert app.config["DATABASE_URL"] != "sqlite:////nonexistent/ignored.db"
    assert app.config["TESTING"] is True


def test_environment_configures_a_real_app(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("EVALAPP_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    monkeypatch.setenv("EVALAPP_RATER_SECRET", "from-env")
    monkeypatch.delenv("EVALAPP_SECRET_KEY", raising=False)
    application = create_app()
    assert application.config["DATABASE_URL"].endswith("env.db")
    assert application.config["RATER_SECRET"] == "from-env"
    assert len(application.config["SECRET_KEY"]) == 64


def test_generated_secret_is_kept_in_the_instance_folder(tmp_path) -> None:  # type: ignore[no-untyped-def]
    config = {"DATABASE_URL": "sqlite://", "INSTANCE_PATH": tmp_path}
    first, second = create_app(config), create_app(config)
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_healthz_checks_the_database(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unreachable_database(tmp_path) -> None:  # type: ignore[no-untyped-def]
    broken = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/missing/dir/x.db",
                         "INSTANCE_PATH": tmp_path, "TESTING": True})
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "error"


def test_home_page_is_chinese_by_default(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "青年观察员评议" in page
    assert 'lang="zh-CN"' in page


def test_accept_language_picks_english(client: FlaskClient) -> None:
    page = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert "Youth observer evaluation" in page


def test_accept_language_zh_cn_tag_maps_to_chinese(client: FlaskClient) -> None:
    page = client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert "青年观察员评议" in page.get_data(as_text=True)


def _csrf_token(client: FlaskClient) -> str:
    page = client.get("/").get_data(as_text=True)
    return page.split('name="csrf_token" value="')[1].split('"')[0]


def test_chosen_language_is_remembered_over_the_browser(client: FlaskClient) -> None:
    token = _csrf_token(client)
    response = client.post("/language", data={"language": "en", "next": "/",
                                              "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    page = client.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "Youth observer evaluation" in page


def test_language_choice_never_redirects_off_site(client: FlaskClient) -> None:
    token = _csrf_token(client)
    response = client.post("/language", data={"language": "en", "next": "//evil.example/",
                                              "csrf_token": token})
    assert response.headers["Location"] == "/"


def test_language_post_without_csrf_token_is_refused(client: FlaskClient) -> None:
    response = client.post("/language", data={"language": "en"})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)


def test_unknown_language_is_a_clear_400(client: FlaskClient) -> None:
    token = _csrf_token(client)
    response = client.post("/language", data={"language": "xx", "csrf_token": token})
    assert response.status_code == 400


def test_404_page_in_both_languages(client: FlaskClient) -> None:
    zh = client.get("/nowhere")
    en = client.get("/nowhere", headers={"Accept-Language": "en"})
    assert zh.status_code == en.status_code == 404
    assert "页面不存在" in zh.get_data(as_text=True)
    assert "Page not found" in en.get_data(as_text=True)


def test_api_errors_are_json(client: FlaskClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json == {"error": "页面不存在", "status": 404}


def test_upload_over_the_limit_is_413(client: FlaskClient) -> None:
    response = client.post("/language", data=b"x" * (20 * 1024 * 1024 + 1),
                           content_type="application/octet-stream")
    assert response.status_code == 413
    assert "20 MB" in response.get_data(as_text=True)


def test_forbidden_and_server_errors_render_pages(app: Flask) -> None:
    from flask import abort

    @app.get("/test-forbidden")
    def forbidden():  # type: ignore[no-untyped-def]
        abort(403)

    @app.get("/test-crash")
    def crash():  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    client = app.test_client()
    assert "无权访问" in client.get("/test-forbidden").get_data(as_text=True)
    crashed = client.get("/test-crash", headers={"Accept-Language": "en"})
    assert crashed.status_code == 500
    assert "Something went wrong" in crashed.get_data(as_text=True)
    assert "boom" not in crashed.get_data(as_text=True)
