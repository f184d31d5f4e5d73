"""The editors' workspace: offices (with merits, demerits and FAQs), roles, pages, glossary.

Saving stores a draft; 編集長 publish it (careers/admin/publishing.py). Markdown
fields get markdownx's live preview (careers/markdownx_views.py, the same renderer
readers get), and every field says its limit and counts characters
(careers/admin/aids.py). Merits, demerits and FAQs are edited only inside their
office, so they are drafted and published with it. Lists edit nothing in place:
a stray click there would change the live site.
"""

from django.contrib import admin

from careers.admin.aids import COMPARISON_FIELDS, FieldAidsMixin, OfficeAdminForm
from careers.admin.publishing import DraftAdminMixin
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


class ContentAdmin(DraftAdminMixin, FieldAidsMixin, JapaneseChoicesMixin, admin.ModelAdmin):
    """A publishable record: drafts, limits, Markdown preview."""

    save_on_top = True


class PointInline(FieldAidsMixin, JapaneseChoicesMixin, admin.StackedInline):
    model = Point
    extra = 0
    fields = ["kind", "title", "body", "order"]


class FaqInline(FieldAidsMixin, admin.StackedInline):
    model = Faq
    extra = 0
    fields = ["question", "answer", "order"]


class RoleDayItemInline(FieldAidsMixin, admin.TabularInline):
    model = RoleDayItem
    extra = 0
    fields = ["time", "task", "order"]


class QualificationInline(FieldAidsMixin, admin.StackedInline):
    model = Qualification
    extra = 0
    fields = ["name", "organiser", "level", "shows", "order"]


class RoleFaqInline(FieldAidsMixin, admin.StackedInline):
    """2〜4 questions, as the loader requires."""

    model = RoleFaq
    extra = 0
    max_num = 4
    validate_max = True
    fields = ["question", "answer", "order"]


class FigureInline(FieldAidsMixin, admin.StackedInline):
    """Every number with its source's name, address and as-of date (all required)."""

    model = Figure
    extra = 0
    fields = ["label", "value", "source", "url", "as_of", "order"]


@admin.register(Office)
class OfficeAdmin(ContentAdmin):
    form = OfficeAdminForm
    exclude = ["comparison"]
    list_display = [
        "name",
        "slug",
        "catchphrase",
        "colour",
        "icon",
        "order",
        "published",
        "content_updated_at",
    ]
    list_filter = ["published"]
    search_fields = ["name", "slug"]
    inlines = [PointInline, FaqInline]

    def get_fieldsets(self, request, obj=None):
        fields = [name for name in self.get_fields(request, obj) if name not in COMPARISON_FIELDS]
        description = (
            "比較表（/compare/）の各行に出す短い文です。6項目すべて書くか、すべて空にします。"
        )
        return [
            (None, {"fields": fields}),
            ("比較表の値", {"fields": COMPARISON_FIELDS, "description": description}),
        ]


@admin.register(Role)
class RoleAdmin(ContentAdmin):
    list_display = ["name", "office", "slug", "order", "published", "content_updated_at"]
    list_filter = ["office", "published"]
    list_select_related = ["office"]
    search_fields = ["name", "slug"]
    inlines = [RoleDayItemInline, QualificationInline, RoleFaqInline, FigureInline]


@admin.register(Page)
class PageAdmin(ContentAdmin):
    list_display = ["title", "slug", "content_updated_at"]
    search_fields = ["title", "slug"]


@admin.register(Term)
class TermAdmin(ContentAdmin):
    list_display = ["term", "reading", "slug", "order"]
    search_fields = ["term", "reading", "slug"]
