import copy
import io

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from careers.staff import AGENT_LEADS_GROUP, AGENTS_GROUP, EDITORS_GROUP, EDITORS_IN_CHIEF_GROUP
from tests.factories import STAFF_PASSWORD, OfficeFactory, RoleFactory, StaffFactory

# The SMTP relay (aiosmtpd) and the task worker for the email tests.
pytest_plugins = ["tests.mail_server"]

# Property-based tests: no deadline (no timing assertions; the machine is shared), no
# example database left in the work tree. Tests that post through the client share
# the function-scoped `db` fixture across examples on purpose: each checks its own rows.
hypothesis_settings.register_profile(
    "project",
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
hypothesis_settings.load_profile("project")


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


@pytest.fixture(scope="session")
def content_rows(django_db_setup, django_db_blocker):
    """The repository's own content/, loaded once per session: the rows it makes.

    Loaded (validated, rendered, glossary-linked) in a transaction that is rolled
    back, so the database stays empty for tests that don't ask for content.
    """
    from careers.content import load
    from careers.models import CONTENT_MODELS, ContentRevision

    with django_db_blocker.unblock(), transaction.atomic():
        load(settings.BASE_DIR / "content")
        rows = [(model, list(model.objects.all())) for model in (*CONTENT_MODELS, ContentRevision)]
        transaction.set_rollback(True)
    return rows


def insert_content(rows):
    """Write `content_rows` back as they were (same primary keys, no re-rendering)."""
    for model, records in rows:
        model.objects.bulk_create(copy.deepcopy(records))


@pytest.fixture
def real_content(db, content_rows):
    """The repository's own content/ in the test database (PostgreSQL)."""
    insert_content(content_rows)
    assert connection.vendor == "postgresql"


@pytest.fixture
def staff_groups(db):
    """The 編集者, 編集長, エージェント and エージェント責任者 groups with their permissions (`setup_groups`)."""
    call_command("setup_groups", stdout=io.StringIO())


@pytest.fixture
def editor(staff_groups):
    return StaffFactory(username="editor", group=EDITORS_GROUP)


@pytest.fixture
def editor_in_chief(staff_groups):
    """A 編集長: reviews, publishes, schedules and rolls back."""
    return StaffFactory(username="chief", group=EDITORS_IN_CHIEF_GROUP, email="chief@example.com")


@pytest.fixture
def agent(staff_groups):
    return StaffFactory(username="agent", group=AGENTS_GROUP)


@pytest.fixture
def lead(staff_groups):
    """An エージェント責任者: sees every request, assigns, exports."""
    return StaffFactory(username="lead", group=AGENT_LEADS_GROUP)


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("boss", password=STAFF_PASSWORD)


@pytest.fixture
def middle_and_back_roles(db):
    """Two offices and three roles the consultation form offers as interests."""
    middle = OfficeFactory(slug="middle", name="ミドルオフィス", order=2)
    back = OfficeFactory(slug="back", name="バックオフィス", order=3)
    return {
        "risk": RoleFactory(office=middle, slug="risk-management", name="リスク管理"),
        "legal": RoleFactory(office=middle, slug="legal-compliance", name="法務・コンプライアンス"),
        "accounting": RoleFactory(office=back, slug="accounting-finance", name="経理・財務"),
    }
