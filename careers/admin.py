from django.contrib import admin

from careers.models import Faq, Office, Page, Point, Role, Term


class PointInline(admin.StackedInline):
    model = Point
    extra = 0


class FaqInline(admin.StackedInline):
    model = Faq
    extra = 0


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order", "published", "updated_at"]
    list_editable = ["order", "published"]
    inlines = [PointInline, FaqInline]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["name", "office", "slug", "order", "published", "updated_at"]
    list_editable = ["order", "published"]
    list_filter = ["office", "published"]
    list_select_related = ["office"]


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "updated_at"]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["term", "reading", "slug", "order"]
    list_editable = ["order"]
