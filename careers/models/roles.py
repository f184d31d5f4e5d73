"""What a role page shows beyond its text: a sample day, qualifications, FAQs and
figures, each with its source.

Each belongs to one role, is edited inline on the role in admin and is written
in the role's file of content/ (see content/README.md).
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from markdownx.models import MarkdownxField

from careers.models.base import RenderedMarkdownModel
from careers.models.content import Role

# A figure's as-of date: a day (2025-06-08) or a month (2025-12).
AS_OF_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?$")
# A time of day in the sample day: 9:00, 13:30.
TIME_RE = re.compile(r"^([01]?\d|2[0-3]):[0-5]\d$")


def validate_as_of(value: str) -> None:
    """Raise ValidationError unless `value` is YYYY-MM-DD or YYYY-MM."""
    if not AS_OF_RE.match(value or ""):
        raise ValidationError("年月日（2025-06-08）か年月（2025-12）で書いてください")


def validate_time(value: str) -> None:
    """Raise ValidationError unless `value` is a time of day such as 9:00 or 13:30."""
    if not TIME_RE.match(value or ""):
        raise ValidationError("時刻は 9:00 や 13:30 の形で書いてください")


def as_of_label(value: str) -> str:
    """`2025-06-08` → 「2025年6月8日」, `2025-12` → 「2025年12月」 (as validated above)."""
    match = AS_OF_RE.match(value)
    if not match:
        return value
    year, month, day = match.groups()
    label = f"{year}年{int(month)}月"
    return f"{label}{int(day)}日" if day else label


class RoleDayItem(models.Model):
    """One moment of the role's sample day (1日の流れ)."""

    role = models.ForeignKey(
        Role, on_delete=models.CASCADE, related_name="day_items", verbose_name="職種"
    )
    time = models.CharField("時刻", max_length=5, validators=[validate_time], help_text="例: 9:00")
    task = models.CharField("していること", max_length=100)
    order = models.PositiveSmallIntegerField("表示順", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "1日の流れ"
        ordering = ["role", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(task=""), name="role_day_item_task_not_empty"),
        ]

    def __str__(self):
        return f"{self.time} {self.task}"

    @property
    def datetime(self) -> str:
        """The time as HTML's <time datetime> wants it: 9:00 → 09:00."""
        hours, _, minutes = self.time.partition(":")
        return f"{int(hours):02d}:{minutes}" if hours.isdigit() else self.time


class Qualification(models.Model):
    """A qualification that helps in the role (役立つ資格)."""

    role = models.ForeignKey(
        Role, on_delete=models.CASCADE, related_name="qualifications", verbose_name="職種"
    )
    name = models.CharField("資格名", max_length=100)
    organiser = models.CharField("実施団体", max_length=100)
    level = models.CharField("レベル", max_length=100, help_text="例: 3級（入門）〜2級")
    shows = models.CharField("採用する側に伝わること", max_length=200)
    order = models.PositiveSmallIntegerField("表示順", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "役立つ資格"
        ordering = ["role", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="qualification_name_not_empty"),
        ]

    def __str__(self):
        return self.name


class RoleFaq(RenderedMarkdownModel):
    markdown_fields = ("answer",)

    role = models.ForeignKey(
        Role, on_delete=models.CASCADE, related_name="faqs", verbose_name="職種"
    )
    question = models.CharField("質問", max_length=200)
    answer = MarkdownxField("回答")
    answer_html = models.TextField(blank=True, editable=False)
    order = models.PositiveSmallIntegerField("表示順", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "職種のよくある質問"
        ordering = ["role", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(question=""), name="role_faq_question_not_empty"),
        ]

    def __str__(self):
        return self.question


class Figure(models.Model):
    """A number a reader could act on, always with where it comes from and when."""

    role = models.ForeignKey(
        Role, on_delete=models.CASCADE, related_name="figures", verbose_name="職種"
    )
    label = models.CharField("何の数字か", max_length=100)
    value = models.CharField("数字", max_length=50, help_text="例: 42.4%")
    source = models.CharField("出典の名前", max_length=200)
    url = models.URLField("出典のURL", max_length=500)
    as_of = models.CharField(
        "時点", max_length=10, validators=[validate_as_of], help_text="例: 2025-06-08 / 2025-12"
    )
    order = models.PositiveSmallIntegerField("表示順", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "出典つきの数字"
        ordering = ["role", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(value=""), name="figure_value_not_empty"),
            models.CheckConstraint(condition=~Q(source=""), name="figure_source_not_empty"),
            models.CheckConstraint(condition=~Q(url=""), name="figure_url_not_empty"),
            models.CheckConstraint(condition=~Q(as_of=""), name="figure_as_of_not_empty"),
        ]

    def __str__(self):
        return f"{self.label}: {self.value}"

    @property
    def as_of_label(self) -> str:
        return as_of_label(self.as_of)
