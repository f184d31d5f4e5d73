"""The access log: who viewed, changed, exported or anonymised which request.

Read-only, and for superusers only (no group grants any right on it).
"""

from django.contrib import admin

from careers.admin.site import JapaneseChoicesMixin, ReadOnlyAdminMixin
from careers.models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(JapaneseChoicesMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "user", "action", "request", "detail"]
    list_filter = ["action", ("created_at", admin.DateFieldListFilter)]
    list_select_related = ["user", "request"]
    search_fields = ["request__reference", "user__username"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser
