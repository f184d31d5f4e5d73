"""The agents' inbox: consultation requests, worked through the services.

Agents read what the applicant sent (read-only), move the request along the
pipeline, log contacts, reply and add notes; each change goes through the
services, which log it. Opening a request is logged too. Requests come only from
the public form, and only superusers delete them.

Who sees what (careers/staff.py, the privacy policy's promise): an agent sees the
requests nobody has taken and their own, and may take an untaken one; a lead
(エージェント責任者) sees all, assigns and exports. A request the user may not see
answers 404, wherever it is asked for.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from django.utils import timezone

from careers import services
from careers.admin.contacts import contact_view
from careers.admin.emails import EmailDeliveryAdminMixin
from careers.admin.exports import consultations_csv
from careers.admin.filters import (
    AssigneeFilter,
    EmailProblemFilter,
    InterestFilter,
    OverdueFilter,
    StatusFilter,
    WaitingFilter,
)
from careers.admin.inbox_forms import ConsultationRequestAdminForm, NewNoteInline
from careers.admin.inbox_list import InboxListMixin, email_link, phone_link, preferences_text
from careers.admin.replies import reply_view
from careers.admin.reports import report_view
from careers.admin.site import JapaneseChoicesMixin
from careers.admin.timeline import timeline
from careers.models import AccessLog, ConsultationNote, ConsultationRequest
from careers.models.consultations import APPLICANT_FIELDS
from careers.preferences import call_concerns
from careers.selectors import assignable_agents, interest_labels, visible_consultations
from careers.sources import stored_source
from careers.staff import display_name, may_see_request

# The applicant's own words, read-only; shown with links and labels.
SHOWN_AS = {"interests": "interests_display", "phone": "phone_display", "email": "email_display"}
APPLICANT_DISPLAY = [SHOWN_AS.get(name, name) for name in APPLICANT_FIELDS]


def _interests_text(obj: ConsultationRequest, labels: dict[str, str]) -> str:
    return "、".join(labels.get(key, key) for key in obj.interests) or "—"


@admin.register(ConsultationRequest)
class ConsultationRequestAdmin(
    EmailDeliveryAdminMixin, InboxListMixin, JapaneseChoicesMixin, admin.ModelAdmin
):
    form = ConsultationRequestAdminForm
    change_form_template = "admin/careers/consultationrequest/change_form.html"
    list_display = [
        "reply_by_display",
        "received_at",
        "reference",
        "name",
        "preferences_display",
        "phone_display",
        "interests_display",
        "source_display",
        "status",
        "assignee_display",
        "duplicates",
        "email_alert",
    ]
    list_display_links = ["received_at", "reference", "name"]
    list_filter = [
        StatusFilter,
        AssigneeFilter,
        OverdueFilter,
        WaitingFilter,
        EmailProblemFilter,
        InterestFilter,
        ("received_at", admin.DateFieldListFilter),
    ]
    list_select_related = ["assignee"]
    list_per_page = 50
    search_fields = ["name", "furigana", "email", "phone", "reference"]
    search_help_text = (
        "氏名・ふりがな・メールアドレス・電話番号・受付番号（ハイフンなしも可）で検索できます。"
    )
    actions = ["assign_to_me", "export_csv"]
    inlines = [NewNoteInline]

    class Media:
        css = {"all": ["css/admin-consultations.css"]}

    # 対応 first: what the agent changes, and its errors, at the top of the page.
    fieldsets = [
        (
            "対応",
            {
                "fields": ["status", "close_reason", "assignee", "closed_at", "anonymized_at"],
                "description": "流れ: 新規 → 連絡済み → 面談調整中 → 面談済み → 求人紹介中 → クローズ。"
                "クローズするときはクローズ理由を選んでください。",
            },
        ),
        ("受付", {"fields": ["reference", "received_at", "source_display", "consented_at"]}),
        ("相談者が入力した内容", {"fields": APPLICANT_DISPLAY}),
        ("重複の可能性", {"fields": ["possible_duplicates"]}),
    ]
    readonly_fields = [
        "reference",
        "received_at",
        "source_display",
        "consented_at",
        *APPLICANT_DISPLAY,
        "possible_duplicates",
        "closed_at",
        "anonymized_at",
    ]

    # --- Who sees and does what

    def get_queryset(self, request):
        return visible_consultations(request.user, super().get_queryset(request))

    def _visible_or_404(self, request, object_id) -> ConsultationRequest:
        obj = self.get_object(request, unquote(object_id))
        if obj is None:  # missing, or a colleague's: the same answer
            raise Http404("no such request")
        return obj

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._visible_or_404(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._visible_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is not None and obj.anonymized_at is not None:
            # Erased (by the reader or by retention): it stays a record, read-only, so
            # nothing personal can be written back into it (notes, contacts, replies).
            return False
        return allowed and (obj is None or may_see_request(request.user, obj.assignee_id))

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_export_permission(self, request):
        return request.user.has_perm("careers.export_consultationrequest")

    def has_assign_permission(self, request):
        return request.user.has_perm("careers.assign_consultationrequest")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields if self.has_assign_permission(request) else [*fields, "assignee_display"]

    def get_fieldsets(self, request, obj=None):
        if self.has_assign_permission(request):
            return self.fieldsets
        work = dict(self.fieldsets[0][1])
        work["fields"] = [
            "assignee_display" if name == "assignee" else name for name in work["fields"]
        ]
        return [("対応", work), *self.fieldsets[1:]]

    def get_urls(self):
        def request_view(view):
            def wrapper(request, object_id):
                obj = self._visible_or_404(request, object_id)
                if not self.has_change_permission(request, obj):
                    raise PermissionDenied
                return view(self, request, obj)

            return self.admin_site.admin_view(wrapper)

        return [
            path("<path:object_id>/reply/", request_view(reply_view), name="consultation_reply"),
            path(
                "<path:object_id>/contact/", request_view(contact_view), name="consultation_contact"
            ),
            path("report/", self.admin_site.admin_view(self.report), name="consultation_report"),
            *super().get_urls(),
        ]

    def report(self, request):
        if not request.user.has_perm("careers.view_all_consultationrequest"):
            raise PermissionDenied
        return report_view(self, request)

    # --- List and detail columns

    def get_list_display(self, request):
        labels = interest_labels()  # once per page, not once per row

        @admin.display(description="興味のある部門・職種")
        def interests(obj):
            return _interests_text(obj, labels)

        @admin.display(description="流入元")
        def source(obj):
            return stored_source(obj.source).describe(labels)

        by_name = {
            "interests_display": interests,
            "source_display": source,
        }
        return [by_name.get(name, name) for name in self.list_display]

    @admin.display(description="興味のある部門・職種")
    def interests_display(self, obj):
        return _interests_text(obj, interest_labels())

    @admin.display(description="流入元")
    def source_display(self, obj):
        return stored_source(obj.source).describe(interest_labels())

    @admin.display(description="担当者", ordering="assignee__username")
    def assignee_display(self, obj):
        return display_name(obj.assignee) if obj.assignee_id else "未割り当て"

    @admin.display(description="重複の可能性")
    def possible_duplicates(self, obj):
        return self.duplicates_detail(obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assignee":
            kwargs["queryset"] = assignable_agents()
            kwargs["empty_label"] = "未割り当て"
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = display_name
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            if request.method == "GET":
                services.record_access(
                    user=request.user, action=AccessLog.Action.VIEW, consultation=obj
                )
            context |= {
                "timeline": timeline(obj),
                "preferences": preferences_text(obj),
                "call_concerns": call_concerns(obj, timezone.now()),
                "phone_link": phone_link(obj.phone),
                "email_link": email_link(obj.email),
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        """Status and assignee change through the services (which log the change);
        the applicant's fields are read-only, so nothing else is ever written."""
        data = form.cleaned_data
        if {"status", "close_reason"} & set(form.changed_data):
            services.change_status(
                consultation=obj,
                status=data["status"],
                by=request.user,
                close_reason=data.get("close_reason") or None,
            )
        if "assignee" in form.changed_data and self.has_assign_permission(request):
            services.assign(consultation=obj, assignee=data["assignee"], by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not ConsultationNote:
            return super().save_formset(request, form, formset, change)
        for note_form in formset.forms:
            if note_form.instance.pk is None and note_form.has_changed():
                body = note_form.cleaned_data.get("body", "").strip()
                if body:
                    services.add_note(consultation=form.instance, author=request.user, body=body)
        formset.new_objects = formset.changed_objects = formset.deleted_objects = []

    # --- Actions

    @admin.action(description="選択した相談を自分に割り当てる", permissions=["change"])
    def assign_to_me(self, request, queryset):
        """Agents take requests nobody has; leads may take any they see."""
        if not self.has_assign_permission(request):
            queryset = queryset.filter(assignee__isnull=True)
        count = 0
        for consultation in queryset.exclude(assignee=request.user):
            services.assign(consultation=consultation, assignee=request.user, by=request.user)
            count += 1
        self.message_user(request, f"{count} 件を自分に割り当てました。", messages.SUCCESS)

    @admin.action(description="選択した相談をCSVで出力する", permissions=["export"])
    def export_csv(self, request, queryset):
        if not self.has_export_permission(request):  # the action list hides it too
            raise PermissionDenied
        return consultations_csv(queryset, user=request.user)
