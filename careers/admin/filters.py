"""List filters of the agents' inbox (the right-hand column of the request list)."""

from django.contrib import admin

from careers.models import ConsultationRequest
from careers.selectors import (
    assignable_agents,
    interest_labels,
    waiting_for_reader,
    with_email_problems,
)
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


class StatusFilter(admin.SimpleListFilter):
    """対応状況; open requests (not クローズ) unless another choice is made."""

    title = "対応状況"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("open", "対応中（クローズ以外）"),
            *ConsultationRequest.Status.choices,
            ("all", "すべて"),
        ]

    def value(self):
        return super().value() or "open"

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value()
        if value == "open":
            return queryset.exclude(status=ConsultationRequest.Status.CLOSED)
        if value in ConsultationRequest.Status.values:
            return queryset.filter(status=value)
        return queryset


class WaitingFilter(admin.SimpleListFilter):
    """Open requests whose latest contact left the next move to the reader (不在, 伝言, 返事待ち)."""

    title = "相談者の返事待ち"
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [("yes", "返事待ち")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return waiting_for_reader(queryset)
        return queryset


class EmailProblemFilter(admin.SimpleListFilter):
    title = "メール"
    parameter_name = "email_problem"

    def lookups(self, request, model_admin):
        return [("yes", "未送信・送信結果不明あり")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return with_email_problems(queryset)
        return queryset
