"""List filters of the agents' inbox (the right-hand column of the request list)."""

from django.contrib import admin

from careers.selectors import assignable_agents, interest_labels
from careers.staff import display_name


class AssigneeFilter(admin.SimpleListFilter):
    title = "担当者"
    parameter_name = "assignee"

    def lookups(self, request, model_admin):
        return [
            ("me", "自分"),
            ("none", "未割り当て"),
            *((str(user.pk), display_name(user)) for user in assignable_agents()),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "me":
            return queryset.filter(assignee=request.user)
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if value and value.isascii() and value.isdigit():  # "²" and "٣" are digits too
            return queryset.filter(assignee_id=int(value))
        return queryset


class InterestFilter(admin.SimpleListFilter):
    title = "興味のある部門・職種"
    parameter_name = "interest"

    def lookups(self, request, model_admin):
        return list(interest_labels().items())

    def queryset(self, request, queryset):
        if self.value():
            return queryset.interested_in(self.value())
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = "返信期限"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "期限超過（新規のまま）")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue()
        return queryset
