import pytest

from tests.factories import ConsultationRequestFactory


@pytest.fixture
def consultation(db):
    """One request with personal data that tests look for (or must not find)."""
    return ConsultationRequestFactory(
        name="山田 花子",
        furigana="やまだ はなこ",
        email="Hanako@Example.com",
        phone="09012345678",
        message="経理に興味があります。",
    )
