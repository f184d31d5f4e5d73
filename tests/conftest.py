import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

# The SMTP relay (aiosmtpd) and the task worker for the email tests.
pytest_plugins = ["tests.mail_server"]


def pytest_sessionstart(session):
    """Stop at once, in one clear line, when PostgreSQL is not there."""
    import psycopg

    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.exit(
            "テストは PostgreSQL で実行します。DATABASE_URL を postgres://… にしてください。", 2
        )
    try:
        psycopg.connect(
            host=db["HOST"],
            port=db["PORT"] or 5432,
            user=db["USER"],
            password=db["PASSWORD"],
            dbname=db["NAME"],
            connect_timeout=3,
        ).close()
    except psycopg.OperationalError:
        pytest.exit(
            f"PostgreSQL ({db['HOST']}:{db['PORT'] or 5432}) に接続できません。"
            "起動するか DATABASE_URL を設定してください。",
            2,
        )


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache: the consultation form caches its
    choices there and the rate limit counts there."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def real_content(db):
    """The repository's own content/ loaded into the test database."""
    from careers.content import load

    load(settings.BASE_DIR / "content")
    assert connection.vendor == "postgresql"
