"""Admin: the editors' workspace (content) and the agents' inbox (consultation requests).

Who may do what is set by the groups `setup_groups` creates: 編集者 edit content,
エージェント work requests. Only superusers delete requests or read the access log.
"""

import csv

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from careers import services
from careers.admin_emails import EmailDeliveryAdminMixin
from careers.forms import interest_choices, normalize_phone, to_hiragana
from careers.models import (
    AccessLog,
    ConsultationNote,
    ConsultationRequest,
    DiagnosisAnswer,
    DiagnosisQuestion,
    Faq,
    Office,
    Page,
    Point,
    Role,
    Term,
)
from careers.models.consultations import APPLICANT_FIELDS

AGENTS_GROUP = "エージェント"
EDITORS_GROUP = "編集者"

# Django 6.1's "- Select an option -" has no Japanese translation yet.
BLANK_CHOICE = [("", "選択してください")]


class JapaneseChoicesMixin:
    def formfield_for_choice_field(self, db_field, request, **kwargs):
        field = super().formfield_for_choice_field(db_field, request, **kwargs)
        field.choices = [
            (value, BLANK_CHOICE[0][1] if value == "" else label) for value, label in field.choices
        ]
        return field

    def get_action_choices(self, request, default_choices=None, action_location=None):
        kwargs = {} if action_location is None else {"action_location": action_location}
        return super().get_action_choices(request, default_choices or BLANK_CHOICE, **kwargs)


# --- Editors' workspace ------------------------------------------------------------

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


@admin.register(Office)
class OfficeAdmin(ContentAdmin):
    list_display = ["name", "slug", "catchphrase", "order", "published", "updated_at"]
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


# --- Agents' inbox ---------------------------------------------------------------


def _user_label(user):
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


def interest_labels():
    """`office` / `office/role` key → the label the reader chose (cached with the form's)."""
    labels = {}
    for office_name, options in interest_choices():
        for key, label in options:
            labels[key] = label if "/" not in key else f"{office_name} / {label}"
    return labels


def _interests_text(consultation, labels):
    if not consultation.interests:
        return "—"
    return "、".join(labels.get(key, key) for key in consultation.interests)


# Where a request came from (ConsultationForm.clean_source): `page:<key>` for a guide
# page's button, `diagnosis:<key>,<key>,…` for the 適職診断's result.
SOURCE_KINDS = {"page": "ガイドのページ", "diagnosis": "適職診断の結果"}


def _source_text(consultation, labels):
    kind, _, keys = consultation.source.partition(":")
    if not kind:
        return "相談フォームへ直接"
    names = "、".join(labels.get(key, key) for key in keys.split(",") if key)
    return f"{SOURCE_KINDS.get(kind, kind)}（{names}）"


def agents():
    """Who a request can be assigned to: active agents and superusers."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(Q(groups__name=AGENTS_GROUP) | Q(is_superuser=True))
        .distinct()
        .order_by("username")
    )


class AssigneeFilter(admin.SimpleListFilter):
    title = "担当者"
    parameter_name = "assignee"

    def lookups(self, request, model_admin):
        return [
            ("me", "自分"),
            ("none", "未割り当て"),
            *((str(user.pk), _user_label(user)) for user in agents()),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "me":
            return queryset.filter(assignee=request.user)
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if value and value.isdigit():
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


class NoteHistoryInline(admin.TabularInline):
    """Saved notes, read-only: a note is never edited or deleted."""

    model = ConsultationNote
    verbose_name_plural = "対応メモ（記録済み）"
    fields = ["created_at", "author_label", "body"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="記入者")
    def author_label(self, note):
        return _user_label(note.author)


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


CSV_COLUMNS = [
    ("受付番号", lambda r: r.reference),
    ("受付日時", lambda r: f"{timezone.localtime(r.received_at):%Y-%m-%d %H:%M}"),
    ("氏名", lambda r: r.name),
    ("ふりがな", lambda r: r.furigana),
    ("メールアドレス", lambda r: r.email),
    ("電話番号", lambda r: r.phone),
    ("生まれ年", lambda r: r.birth_year or ""),
    ("都道府県", lambda r: r.prefecture),
    ("現在の状況", lambda r: r.get_current_status_display()),
    ("興味のある部門・職種", lambda r: "、".join(r.interests)),
    ("希望の転職時期", lambda r: r.get_timing_display()),
    ("希望の連絡方法", lambda r: r.get_contact_method_display()),
    ("希望の連絡時間帯", lambda r: r.get_contact_time_display()),
    ("相談したいこと", lambda r: r.message),
    ("流入元", lambda r: r.source),
    ("対応状況", lambda r: r.get_status_display()),
    ("担当者", lambda r: _user_label(r.assignee) if r.assignee else ""),
    ("クローズ理由", lambda r: r.get_close_reason_display()),
    (
        "クローズ日時",
        lambda r: f"{timezone.localtime(r.closed_at):%Y-%m-%d %H:%M}" if r.closed_at else "",
    ),
]


def csv_safe(value):
    """Keep a spreadsheet from reading what an applicant typed as a formula."""
    value = str(value)
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


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
        return _user_label(obj.assignee) if obj.assignee_id else "未割り当て"

    @admin.display(description="返信期限")
    def overdue_marker(self, obj):
        if obj.is_overdue():
            return format_html('<strong class="consultation-alert">{}</strong>', "期限超過")
        return ""

    def get_search_results(self, request, queryset, search_term):
        """Each word matches a name, reading, email, reference or phone number;
        a phone number matches however it was typed (`090-1234-5678`, full-width…)."""
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
            format_html('<strong class="consultation-alert">{}</strong>', "重複の可能性あり"),
            links,
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assignee":
            kwargs["queryset"] = agents()
            kwargs["empty_label"] = "未割り当て"
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and request.method == "GET":
            services.record_access(user=request.user, action=AccessLog.Action.VIEW, request=obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        """Status and assignee change through the services (which log the change);
        the applicant's fields are read-only, so nothing else is ever written."""
        data = form.cleaned_data
        if {"status", "close_reason"} & set(form.changed_data):
            services.change_status(
                request=obj,
                status=data["status"],
                by=request.user,
                close_reason=data.get("close_reason") or None,
            )
        if "assignee" in form.changed_data:
            services.assign(request=obj, assignee=data["assignee"], by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not ConsultationNote:
            return super().save_formset(request, form, formset, change)
        for note_form in formset.forms:
            if note_form.instance.pk is None and note_form.has_changed():
                body = note_form.cleaned_data.get("body", "").strip()
                if body:
                    services.add_note(request=form.instance, author=request.user, body=body)
        formset.new_objects = formset.changed_objects = formset.deleted_objects = []

    # --- Actions

    @admin.action(description="選択した相談を自分に割り当てる", permissions=["change"])
    def assign_to_me(self, request, queryset):
        count = 0
        for consultation in queryset.exclude(assignee=request.user):
            services.assign(request=consultation, assignee=request.user, by=request.user)
            count += 1
        self.message_user(request, f"{count} 件を自分に割り当てました。", messages.SUCCESS)

    @admin.action(description="選択した相談をCSVで出力する", permissions=["export"])
    def export_csv(self, request, queryset):
        if not self.has_export_permission(request):  # the action list hides it too
            raise PermissionDenied
        rows = list(queryset.select_related("assignee").order_by("-received_at", "-pk"))
        stamp = timezone.localtime()
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="consultations-{stamp:%Y%m%d-%H%M}.csv"'
        )
        response["Cache-Control"] = "no-store"
        response.write("\ufeff")  # the BOM: Excel then reads the file as UTF-8
        writer = csv.writer(response)
        writer.writerow([header for header, _ in CSV_COLUMNS])
        for row in rows:
            writer.writerow([csv_safe(value(row)) for _, value in CSV_COLUMNS])
        AccessLog.objects.bulk_create(
            AccessLog(
                user=request.user,
                action=AccessLog.Action.EXPORT,
                request=row,
                detail=f"CSV出力（{len(rows)}件）",
            )
            for row in rows
        )
        return response


@admin.register(AccessLog)
class AccessLogAdmin(JapaneseChoicesMixin, admin.ModelAdmin):
    """Read-only, and for superusers only (also in the group permissions: nobody else has any)."""

    list_display = ["created_at", "user", "action", "request", "detail"]
    list_filter = ["action", ("created_at", admin.DateFieldListFilter)]
    list_select_related = ["user", "request"]
    search_fields = ["request__reference", "user__username"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- 適職診断 -------------------------------------------------------------------------


class DiagnosisAnswerInline(admin.StackedInline):
    """2〜4 answers per question; weights are checked against the roles (model clean)."""

    model = DiagnosisAnswer
    extra = 0
    min_num = 2
    max_num = 4
    validate_min = validate_max = True
    fields = ["slug", "label", "reason", "weights", "order"]


@admin.register(DiagnosisQuestion)
class DiagnosisQuestionAdmin(ContentAdmin):
    list_display = ["text", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["text", "slug", "answers__label"]
    inlines = [DiagnosisAnswerInline]
