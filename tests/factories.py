import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from careers.models import Faq, Office, Page, Point, Role


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"office-{n}")
    name = factory.Sequence(lambda n: f"部門{n}")
    catchphrase = "中間"
    summary = "部門の要約です。"
    body = "部門の**本文**です。"
    order = factory.Sequence(lambda n: n)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    office = factory.SubFactory(OfficeFactory)
    slug = factory.Sequence(lambda n: f"role-{n}")
    name = factory.Sequence(lambda n: f"職種{n}")
    summary = "職種の要約です。"
    body = "職種の仕事内容です。"
    suited_for = "- 数字が好きな人"
    skills = "- 日商簿記"
    career_path = "担当 → 主任"
    order = factory.Sequence(lambda n: n)


class PointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Point

    office = factory.SubFactory(OfficeFactory)
    kind = Point.Kind.MERIT
    title = factory.Sequence(lambda n: f"ポイント{n}")
    body = "ポイントの本文です。"
    order = factory.Sequence(lambda n: n)


class FaqFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Faq

    office = factory.SubFactory(OfficeFactory)
    question = factory.Sequence(lambda n: f"質問{n}ですか？")
    answer = "回答です。"
    order = factory.Sequence(lambda n: n)


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"page-{n}")
    title = factory.Sequence(lambda n: f"ページ{n}")
    summary = "ページの要約です。"
    body = "ページの本文です。"


class ConsultationRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "careers.ConsultationRequest"

    submission_token = factory.Faker("uuid4", cast_to=None)
    name = factory.Sequence(lambda n: f"相談者{n}")
    furigana = "そうだん たろう"
    email = factory.Sequence(lambda n: f"person{n}@example.com")
    phone = factory.Sequence(lambda n: f"090{n:08d}")
    interests = factory.LazyFunction(list)
    consented_at = factory.LazyFunction(timezone.now)


STAFF_PASSWORD = "correct-horse-battery"


class StaffFactory(factory.django.DjangoModelFactory):
    """A staff user (スタッフ権限) with a known password, in `group` if given (its name).

    The group must exist: request the `staff_groups` fixture first.
    """

    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    is_staff = True
    password = factory.django.Password(STAFF_PASSWORD)

    @factory.post_generation
    def group(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))
