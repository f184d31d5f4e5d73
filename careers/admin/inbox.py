"""The agents' inbox: consultation requests, worked through the services.

Agents read what the applicant sent (read-only), move the request along the
pipeline, assign it and add notes; each change goes through careers/services.py,
which logs it. Opening a request is logged too. Requests come only from the
public form, and only superusers delete them.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from careers import services
from careers.admin.emails import EmailDeliveryAdminMixin
from careers.admin.exports import consultations_csv
from careers.admin.filters import AssigneeFilter, InterestFilter, OverdueFilter
from careers.admin.site import JapaneseChoicesMixin, ReadOnlyAdminMixin
from careers.japanese import normalize_phone, single_spaced, to_hiragana
from careers.models import AccessLog, ConsultationNote, ConsultationRequest
from careers.models.consultations import APPLICANT_FIELDS
from careers.selectors import assignable_agents, interest_labels
from careers.sources import stored_source
from careers.staff import display_name


def _interests_text(consultation: ConsultationRequest, labels: dict[str, str]) -> str:
    if not consultation.interests:
        return "—"
    return "、".join(labels.get(key, key) for key in consultation.interests)


def _source_text(consultation: ConsultationRequest, labels: dict[str, str]) -> str:
    return stored_source(consultation.source).describe(labels)


def _alert(text: str) -> str:
    return format_html('<strong class="consultation-alert">{}</strong>', text)


class ConsultationRequestAdminForm(forms.ModelForm):
    class Meta:
        model = ConsultationRequest
        fields = ["status", "close_reason", "assignee"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == ConsultationRequest.Status.CLOSED:
            if not cleaned.get("close_reason"):
                self.add_error(
                    "close_reason", "クローズするときは、クローズ理由を選択してください。"
                )
        else:
            cleaned["close_reason"] = ""
        return cleaned


class NoteHistoryInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Saved notes, read-only: a note is never edited or deleted."""

    model = ConsultationNote
    verbose_name_plural = "対応メモ（記録済み）"
    fields = ["created_at", "author_label", "body"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    @admin.display(description="記入者")
    def author_label(self, note):
        return display_name(note.author)


class NewNoteInline(admin.StackedInline):
    """One blank note to add; author and time are filled in on save."""

    model = ConsultationNote
    verbose_name = "対応メモを追加"
    verbose_name_plural = "対応メモを追加"
    fields = ["body"]
    extra = 1
    max_num = 1
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ConsultationRequest)
class ConsultationRequestAdmin(EmailDeliveryAdminMixin, JapaneseChoicesMixin, admin.ModelAdmin):
    form = ConsultationRequestAdminForm
    list_display = [
        "received_at",
        "reference",
        "name",
        "interests_display",
        "source_display",
        "status",
        "assignee_display",
        "overdue_marker",
        "email_alert",
    ]
    list_display_links = ["received_at", "reference", "name"]
    list_filter = [
        "status",
        AssigneeFilter,
        InterestFilter,
        ("received_at", admin.DateFieldListFilter),
        OverdueFilter,
    ]
    list_select_related = ["assignee"]
    list_per_page = 50
    ordering = ["-received_at", "-pk"]
    search_fields = ["name", "furigana", "email", "phone", "reference"]
    search_help_text = "氏名・ふりがな・メールアドレス・電話番号・受付番号で検索できます。"
    actions = ["assign_to_me", "export_csv"]
    inlines = [NoteHistoryInline, NewNoteInline]

    class Media:
        css = {"all": ["css/admin-consultations.css"]}

    # The applicant's own words, read-only; interests shown with their labels.
    applicant_fields = [
        "interests_display" if name == "interests" else name for name in APPLICANT_FIELDS
    ]
    fieldsets = [
        (
            "受付",
            {
                "fields": [
                    "reference",
                    "received_at",
                    "source_display",
                    "consented_at",
                    "email_deliveries_display",
                ]
            },
        ),
        ("相談者が入力した内容", {"fields": applicant_fields}),
        ("重複の可能性", {"fields": ["possible_duplicates"]}),
        (
            "対応",
            {
                "fields": ["status", "close_reason", "assignee", "closed_at", "anonymized_at"],
                "description": "流れ: 新規 → 連絡済み → 面談調整中 → 面談済み → 求人紹介中 → クローズ。"
                "クローズするときはクローズ理由を選んでください。",
            },
        ),
    ]
    readonly_fields = [
        "reference",
        "received_at",
        "source_display",
        "consented_at",
        "email_deliveries_display",
        *applicant_fields,
        "possible_duplicates",
        "closed_at",
        "anonymized_at",
    ]

    # --- Permissions: requests come only from the public form; only superusers delete.

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_export_permission(self, request):
        return request.user.has_perm("careers.export_consultationrequest")

    # --- List

    def get_list_display(self, request):
        labels = interest_labels()  # once per page, not once per row

        @admin.display(description="興味のある部門・職種")
        def interests(obj):
            return _interests_text(obj, labels)

        @admin.display(description="流入元")
        def source(obj):
            return _source_text(obj, labels)

        by_name = {"interests_display": interests, "source_display": source}
        return [by_name.get(name, name) for name in self.list_display]

    @admin.display(description="興味のある部門・職種")
    def interests_display(self, obj):
        return _interests_text(obj, interest_labels())

    @admin.display(description="流入元")
    def source_display(self, obj):
        return _source_text(obj, interest_labels())

    @admin.display(description="担当者", ordering="assignee__username")
    def assignee_display(self, obj):
        return display_name(obj.assignee) if obj.assignee_id else "未割り当て"

    @admin.display(description="返信期限")
    def overdue_marker(self, obj):
        return _alert("期限超過") if obj.is_overdue() else ""

    def get_search_results(self, request, queryset, search_term):
        """Each word matches a name, reading, email, reference or phone number;
        a phone number matches however it was typed (`090-1234-5678`, full-width…).
        The term is normalised as the form normalised what it stores (careers/japanese.py)."""
        search_term = single_spaced(search_term)
        words = search_term.split()
        if not words:
            return queryset, False
        digits = normalize_phone(search_term)
        if digits.isdigit() and len(digits) >= 3:  # `+81 90 1234 5678` is one number
            number = Q(phone__contains=digits) | Q(reference__icontains=search_term.strip())
            return queryset.filter(number), False
        for word in words:
            match = (
                Q(name__icontains=word)
                | Q(furigana__icontains=to_hiragana(word))
                | Q(email__icontains=word)
                | Q(reference__icontains=word.upper())
            )
            digits = normalize_phone(word)
            if digits.isdigit() and len(digits) >= 3:
                match |= Q(phone__contains=digits)
            queryset = queryset.filter(match)
        return queryset, False

    # --- Detail

    @admin.display(description="重複の可能性")
    def possible_duplicates(self, obj):
        others = ConsultationRequest.objects.possible_duplicates_of(obj).order_by("-received_at")
        if not others:
            return "なし"
        links = format_html_join(
            "、",
            '<a href="{}">{}</a>（{}）',
            (
                (
                    reverse("admin:careers_consultationrequest_change", args=[other.pk]),
                    other.reference,
                    f"{timezone.localtime(other.received_at):%Y-%m-%d}",
                )
                for other in others
            ),
        )
        return format_html(
            "{}<br>同じメールアドレスまたは電話番号の相談が90日以内にあります: {}",
            _alert("重複の可能性あり"),
            links,
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assignee":
            kwargs["queryset"] = assignable_agents()
            kwargs["empty_label"] = "未割り当て"
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and request.method == "GET":
            services.record_access(
                user=request.user, action=AccessLog.Action.VIEW, consultation=obj
            )
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
        if "assignee" in form.changed_data:
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
