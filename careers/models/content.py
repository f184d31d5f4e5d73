"""The guide's editorial content: offices, their roles, merits and demerits, FAQs and pages.

Every Markdown field is stored twice: the editor's source and the sanitised HTML
rendered from it when the record is saved, so pages never render Markdown.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from markdownx.models import MarkdownxField

from careers.identity import Colour, Icon
from careers.models.base import LoadedContentModel, RenderedMarkdownModel
from careers.models.limits import (
    OFFICE_SUMMARY_LENGTH,
    PAGE_SUMMARY_LENGTH,
    ROLE_SUMMARY_LENGTH,
    validate_catchphrase,
    validate_comparison,
    validate_reading,
)

# Rows of the comparison table: key in Office.comparison (and in an office's
# front matter) → what the row compares, in the order the table shows them.
COMPARISON_CRITERIA = (
    ("revenue", "売上との関わり"),
    ("customer_contact", "お客さんとの接点"),
    ("expertise", "求められる専門性"),
    ("visibility", "成果の見えやすさ"),
    ("workstyle", "働き方（残業・休日）の傾向"),
    ("entry", "未経験からの入りやすさ"),
)
COMPARISON_KEYS = tuple(key for key, _ in COMPARISON_CRITERIA)


class OfficeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True).order_by("order", "pk")


class Office(LoadedContentModel):
    markdown_fields = ("body",)
    glossary_fields = ("body",)

    slug = models.SlugField("スラッグ", unique=True, help_text="URL に使う英小文字（例: middle）")
    name = models.CharField("名前", max_length=50)
    catchphrase = models.CharField(
        "ひとことで",
        max_length=20,
        validators=[validate_catchphrase],
        help_text="括弧なしの一語（例: 攻め、中間、守り）",
    )
    summary = models.CharField(
        "要約",
        max_length=200,
        validators=[MaxLengthValidator(OFFICE_SUMMARY_LENGTH)],
        help_text=f"{OFFICE_SUMMARY_LENGTH}字以内",
    )
    body = MarkdownxField("本文", blank=True)
    body_html = models.TextField(blank=True, editable=False)
    comparison = models.JSONField(
        "比較表の値", default=dict, blank=True, validators=[validate_comparison]
    )
    colour = models.CharField(
        "色",
        max_length=10,
        choices=Colour,
        default=Colour.BLUE,
        help_text="カード・見出し・図で使う色",
    )
    icon = models.CharField("アイコン", max_length=10, choices=Icon, default=Icon.ARROW)
    order = models.PositiveSmallIntegerField("表示順", default=0)
    published = models.BooleanField("公開", default=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    objects = OfficeQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "部門"
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="office_name_not_empty"),
            models.CheckConstraint(condition=~Q(slug=""), name="office_slug_not_empty"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("careers:office", args=[self.slug])


class RoleQuerySet(models.QuerySet):
    def published(self):
        return (
            self.filter(published=True, office__published=True)
            .select_related("office")
            .order_by("office__order", "order", "pk")
        )


class Role(LoadedContentModel):
    markdown_fields = ("body", "suited_for", "skills", "career_path", "entry_routes")
    glossary_fields = ("body",)

    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="roles", verbose_name="部門"
    )
    slug = models.SlugField("スラッグ", help_text="部門の中で一意の英小文字（例: risk-management）")
    name = models.CharField("職種名", max_length=50)
    summary = models.CharField(
        "要約",
        max_length=200,
        validators=[MaxLengthValidator(ROLE_SUMMARY_LENGTH)],
        help_text=f"{ROLE_SUMMARY_LENGTH}字以内",
    )
    body = MarkdownxField("仕事内容", blank=True)
    body_html = models.TextField(blank=True, editable=False)
    suited_for = MarkdownxField("向いている人", blank=True)
    suited_for_html = models.TextField(blank=True, editable=False)
    skills = MarkdownxField("役立つスキル・資格", blank=True)
    skills_html = models.TextField(blank=True, editable=False)
    career_path = MarkdownxField("キャリアパス", blank=True)
    career_path_html = models.TextField(blank=True, editable=False)
    entry_routes = MarkdownxField("未経験からの入り方", blank=True)
    entry_routes_html = models.TextField(blank=True, editable=False)
    # The career map (careers/career_map.py): role keys (`office/role`) and free text.
    next_roles = models.JSONField(
        "次に進む職種",
        default=list,
        blank=True,
        help_text='職種のキーのリスト（例: ["middle/sales-planning"]）',
    )
    related_roles = models.JSONField(
        "スキルが近い職種",
        default=list,
        blank=True,
        help_text='職種のキーのリスト（例: ["back/hr-labor"]）',
    )
    next_steps = models.JSONField(
        "そのほかの進路",
        default=list,
        blank=True,
        help_text='サイトにない職種名のリスト（例: ["経営企画"]）',
    )
    order = models.PositiveSmallIntegerField("表示順", default=0)
    published = models.BooleanField("公開", default=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    objects = RoleQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "職種"
        ordering = ["office__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["office", "slug"], name="role_slug_unique_in_office"),
            models.CheckConstraint(condition=~Q(name=""), name="role_name_not_empty"),
            models.CheckConstraint(condition=~Q(slug=""), name="role_slug_not_empty"),
        ]

    def __str__(self):
        return f"{self.office.name} / {self.name}"

    def get_absolute_url(self):
        return reverse("careers:role", args=[self.office.slug, self.slug])

    @property
    def key(self):
        """`<office>/<role>`: how links and forms name a role."""
        return f"{self.office.slug}/{self.slug}"

    def clean(self):
        from careers.career_map import link_problems

        known = {role.key for role in Role.objects.select_related("office")}
        errors = {}
        for field in ("next_roles", "related_roles"):
            own_key = self.key if self.office_id else ""
            problems = link_problems(getattr(self, field), known, own_key=own_key)
            if problems:
                errors[field] = problems
        if not isinstance(self.next_steps, list) or not all(
            isinstance(step, str) and step.strip() for step in self.next_steps
        ):
            errors["next_steps"] = ["文字列のリストで書いてください"]
        if errors:
            raise ValidationError(errors)


class Point(RenderedMarkdownModel):
    """A merit or a demerit of working in an office."""

    markdown_fields = ("body",)

    class Kind(models.TextChoices):
        MERIT = "merit", "メリット"
        DEMERIT = "demerit", "デメリット"

    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="points", verbose_name="部門"
    )
    kind = models.CharField("種類", max_length=10, choices=Kind)
    title = models.CharField("見出し", max_length=100)
    body = MarkdownxField("本文")
    body_html = models.TextField(blank=True, editable=False)
    order = models.PositiveSmallIntegerField("表示順", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "メリット・デメリット"
        ordering = ["office__order", "kind", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["merit", "demerit"]), name="point_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="point_title_not_empty"),
        ]

    def __str__(self):
        return f"{self.office.name}の{self.get_kind_display()}: {self.title}"


class Faq(RenderedMarkdownModel):
    markdown_fields = ("answer",)

    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="faqs", verbose_name="部門"
    )
    question = models.CharField("質問", max_length=200)
    answer = MarkdownxField("回答")
    answer_html = models.TextField(blank=True, editable=False)
    order = models.PositiveSmallIntegerField("表示順", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "よくある質問"
        ordering = ["office__order", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(question=""), name="faq_question_not_empty"),
        ]

    def __str__(self):
        return self.question


class Page(LoadedContentModel):
    """A free-standing text such as the home introduction or why to consult an agent."""

    markdown_fields = ("body",)

    slug = models.SlugField("スラッグ", unique=True)
    title = models.CharField("見出し", max_length=100)
    summary = models.CharField(
        "要約",
        max_length=200,
        validators=[MaxLengthValidator(PAGE_SUMMARY_LENGTH)],
        help_text=f"{PAGE_SUMMARY_LENGTH}字以内",
    )
    body = MarkdownxField("本文", blank=True)
    body_html = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "ページ"
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="page_title_not_empty"),
        ]

    def __str__(self):
        return self.title


class Term(LoadedContentModel):
    """A glossary entry; content pages link a term's first mention to its anchor."""

    markdown_fields = ("definition",)

    slug = models.SlugField(
        "スラッグ", unique=True, help_text="用語集のアンカー名（例: compliance）"
    )
    term = models.CharField("用語", max_length=50)
    reading = models.CharField("よみがな", max_length=100, validators=[validate_reading])
    definition = MarkdownxField("説明")
    definition_html = models.TextField(blank=True, editable=False)
    order = models.PositiveSmallIntegerField("表示順", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "用語"
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(term=""), name="term_not_empty"),
        ]

    def __str__(self):
        return self.term

    def get_absolute_url(self):
        return reverse("careers:glossary") + f"#{self.slug}"
