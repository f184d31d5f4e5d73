"""The inbox list's columns and search, mixed into the request admin (inbox.py).

Ordered by urgency: 新規 first, then by reply-by time (careers/business_days.py:
a later receipt is never due earlier, so receipt order is reply-by order). Each
row shows the reply-by date and whether it is overdue, the reader's contact
preferences, the phone (`tel:`) and address (`mailto:`), and possible duplicates
naming what differs (careers/duplicates.py, one query for the page).
"""

from django.contrib import admin
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from careers.duplicates import possible_duplicates
from careers.japanese import (
    format_phone,
    normalize_phone,
    normalize_reference,
    phone_uri,
    single_spaced,
    to_hiragana,
)
from careers.models import ConsultationRequest

Status = ConsultationRequest.Status


def alert(text: str) -> str:
    return format_html('<strong class="consultation-alert">{}</strong>', text)


def preferences_text(obj: ConsultationRequest) -> str:
    """`メールのみ・平日の夜（18〜21時）・電話は不要` (「指定なし」 for what was not chosen)."""
    parts = [
        obj.get_contact_method_display() or "連絡方法の指定なし",
        obj.get_contact_time_display() or "時間帯の指定なし",
    ]
    if obj.phone_unwanted:
        parts.append("電話は不要")
    return "・".join(parts)


def phone_link(digits: str) -> str:
    uri = phone_uri(digits)
    return format_html('<a href="{}">{}</a>', uri, format_phone(digits)) if uri else digits or "—"


def email_link(address: str) -> str:
    return format_html('<a href="mailto:{}">{}</a>', address, address) if address else "—"


class InboxListMixin:
    def get_ordering(self, request):
        urgency = Case(When(status=Status.NEW, then=Value(0)), default=Value(1))
        return [urgency.asc(), "received_at", "pk"]

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # The page's duplicates in one query, kept on the rows the list renders.
        found = possible_duplicates(list(changelist.result_list))
        for row in changelist.result_list:
            row.duplicate_flags = found.get(row.pk, [])
        return changelist

    @admin.display(description="返信期限", ordering="received_at")
    def reply_by_display(self, obj):
        if obj.status != Status.NEW:
            return "—"
        due = f"{obj.reply_due_at():%m/%d %H:%M}"
        return format_html("{}<br>{}", due, alert("期限超過")) if obj.is_overdue() else due

    @admin.display(description="連絡の希望")
    def preferences_display(self, obj):
        if obj.anonymized_at:
            return "—"
        text = preferences_text(obj)
        return alert(text) if obj.declines_calls else text

    @admin.display(description="電話番号")
    def phone_display(self, obj):
        return phone_link(obj.phone)

    @admin.display(description="メールアドレス")
    def email_display(self, obj):
        return email_link(obj.email)

    @admin.display(description="重複の可能性")
    def duplicates(self, obj):
        found = getattr(obj, "duplicate_flags", ())
        if not found:
            return ""
        rows = format_html_join(
            "<br>", "{}（{}）", ((d.other.reference, d.describe()) for d in found)
        )
        return format_html("{}<br>{}", alert("重複の可能性"), rows)

    def duplicates_detail(self, obj):
        """The request page's list of possible duplicates, linked (or 「なし」)."""
        found = possible_duplicates([obj]).get(obj.pk)
        if not found:
            return "なし"
        links = format_html_join(
            "、",
            '<a href="{}">{}</a>（{}、{}）',
            (
                (
                    reverse("admin:careers_consultationrequest_change", args=[d.other.pk]),
                    d.other.reference,
                    f"{d.other.received_at:%Y-%m-%d}",
                    d.describe(),
                )
                for d in found
            ),
        )
        return format_html(
            "{}<br>90日以内に同じ人かもしれない相談があります: {}", alert("重複の可能性あり"), links
        )

    def get_search_results(self, request, queryset, search_term):
        """Each word matches a name, reading, email, reference or phone number; a
        reference with or without its hyphen, a phone number however it was typed
        (`090-1234-5678`, full-width, `+81 90…`). The term is normalised as the
        form normalised what it stores (careers/japanese.py)."""
        search_term = single_spaced(search_term)
        words = search_term.split()
        if not words:
            return queryset, False
        digits = normalize_phone(search_term)
        if digits.isdigit() and len(digits) >= 3:  # `+81 90 1234 5678` is one number
            number = Q(phone__contains=digits) | Q(reference=normalize_reference(search_term))
            return queryset.filter(number), False
        for word in words:
            reference = normalize_reference(word)
            match = (
                Q(name__icontains=word)
                | Q(furigana__icontains=to_hiragana(word))
                | Q(email__icontains=word)
                | Q(reference__icontains=reference)
            )
            digits = normalize_phone(word)
            if digits.isdigit() and len(digits) >= 3:
                match |= Q(phone__contains=digits)
            queryset = queryset.filter(match)
        return queryset, False
