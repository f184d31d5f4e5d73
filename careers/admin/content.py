"""The editors' workspace: offices, roles, merits and demerits, FAQs, pages, glossary.

Markdown fields get markdownx's live preview (careers/markdownx_views.py, the
same renderer readers get); saving re-renders the stored HTML (model save).
"""

from django.contrib import admin
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from careers.admin.site import JapaneseChoicesMixin
from careers.models import (
    Faq,
    Figure,
    Office,
    Page,
    Point,
    Qualification,
    Role,
    RoleDayItem,
    RoleFaq,
    Term,
)

MARKDOWN_WIDGET = {MarkdownxField: {"widget": AdminMarkdownxWidget}}


class ContentAdmin(JapaneseChoicesMixin, admin.ModelAdmin):
    """Markdown fields get the live preview; saving re-renders the HTML (model save)."""

    formfield_overrides = MARKDOWN_WIDGET
    save_on_top = True


class PointInline(JapaneseChoicesMixin, admin.StackedInline):
    model = Point
    extra = 0
    formfield_overrides = MARKDOWN_WIDGET
    fields = ["kind", "title", "body", "order"]


class FaqInline(admin.StackedInline):
    model = Faq
    extra = 0
    formfield_overrides = MARKDOWN_WIDGET
    fields = ["question", "answer", "order"]


class RoleDayItemInline(admin.TabularInline):
    model = RoleDayItem
    extra = 0
    fields = ["time", "task", "order"]


class QualificationInline(admin.StackedInline):
    model = Qualification
    extra = 0
    fields = ["name", "organiser", "level", "shows", "order"]


class RoleFaqInline(admin.StackedInline):
    """2〜4 questions, as the loader requires."""

    model = RoleFaq
    extra = 0
    max_num = 4
    validate_max = True
    formfield_overrides = MARKDOWN_WIDGET
    fields = ["question", "answer", "order"]


class FigureInline(admin.StackedInline):
    """Every number with its source's name, address and as-of date (all required)."""

    model = Figure
    extra = 0
    fields = ["label", "value", "source", "url", "as_of", "order"]


@admin.register(Office)
class OfficeAdmin(ContentAdmin):
    list_display = [
        "name",
        "slug",
        "catchphrase",
        "colour",
        "icon",
        "order",
        "published",
        "updated_at",
    ]
    list_editable = ["order", "published"]
    list_filter = ["published"]
    search_fields = ["name", "slug"]
    inlines = [PointInline, FaqInline]


@admin.register(Role)
class RoleAdmin(ContentAdmin):
    list_display = ["name", "office", "slug", "order", "published", "updated_at"]
    list_editable = ["order", "published"]
    list_filter = ["office", "published"]
    list_select_related = ["office"]
    search_fields = ["name", "slug"]
    inlines = [RoleDayItemInline, QualificationInline, RoleFaqInline, FigureInline]


@admin.register(Point)
class PointAdmin(ContentAdmin):
    list_display = ["title", "office", "kind", "order"]
    list_editable = ["order"]
    list_filter = ["office", "kind"]
    list_select_related = ["office"]
    search_fields = ["title"]


@admin.register(Faq)
class FaqAdmin(ContentAdmin):
    list_display = ["question", "office", "order"]
    list_editable = ["order"]
    list_filter = ["office"]
    list_select_related = ["office"]
    search_fields = ["question"]


@admin.register(Page)
class PageAdmin(ContentAdmin):
    list_display = ["title", "slug", "updated_at"]
    search_fields = ["title", "slug"]


@admin.register(Term)
class TermAdmin(ContentAdmin):
    list_display = ["term", "reading", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["term", "reading", "slug"]
