"""Consultation requests sent by job seekers and worked by career agents."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from careers.business_days import overdue_cutoff, reply_by
from careers.japanese import email_key

# Letters and digits that cannot be confused when read over the phone (no 0/O, 1/I/L).
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 8


def new_reference():
    """A short reference like `K7M2-Q9XP`: not the row id, and not guessable."""
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return f"{code[:4]}-{code[4:]}"


PREFECTURES = [
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県",
    "茨城県", "栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県",
    "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県",
    "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県",
    "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県",
    "徳島県", "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県",
    "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県", "海外",
]  # fmt: skip


DUPLICATE_WINDOW = timedelta(days=90)


class ConsultationRequestQuerySet(models.QuerySet):
    def overdue(self, now=None):
        return self.filter(
            status=ConsultationRequest.Status.NEW, received_at__lt=overdue_cutoff(now)
        )

    def possible_duplicates_of(self, request):
        """Other requests within 90 days with the same email address or phone number."""
        same_person = Q()
        if request.email_normalized:
            same_person |= Q(email_normalized=request.email_normalized)
        if request.phone:
            same_person |= Q(phone=request.phone)
        if not same_person:  # anonymised: nothing left to match on
            return self.none()
        return (
            self.filter(same_person)
            .filter(
                received_at__gte=request.received_at - DUPLICATE_WINDOW,
                received_at__lte=request.received_at + DUPLICATE_WINDOW,
            )
            .exclude(pk=request.pk)
        )

    def interested_in(self, key):
        # Interests are a JSON list of keys made of [a-z0-9-/] only, so the quoted
        # key matches exactly one element; this works on PostgreSQL and SQLite alike.
        return self.filter(interests__icontains=f'"{key}"')


# What the applicant fills in, in form order: stored as sent, never edited by agents.
APPLICANT_FIELDS = (
    "name",
    "furigana",
    "email",
    "phone",
    "birth_year",
    "prefecture",
    "current_status",
    "interests",
    "timing",
    "contact_method",
    "contact_time",
    "message",
)


class ConsultationRequest(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "新規"
        CONTACTED = "contacted", "連絡済み"
        SCHEDULING = "scheduling", "面談調整中"
        INTERVIEWED = "interviewed", "面談済み"
        INTRODUCING = "introducing", "求人紹介中"
        CLOSED = "closed", "クローズ"

    class CurrentStatus(models.TextChoices):
        EMPLOYED = "employed", "在職中"
        UNEMPLOYED = "unemployed", "離職中"
        STUDENT = "student", "学生"
        OTHER = "other", "その他"

    class Timing(models.TextChoices):
        SOON = "soon", "すぐにでも"
        WITHIN_3_MONTHS = "3months", "3か月以内"
        WITHIN_6_MONTHS = "6months", "半年以内"
        WITHIN_A_YEAR = "1year", "1年以内"
        UNDECIDED = "undecided", "未定・情報収集中"

    class ContactMethod(models.TextChoices):
        # The reader's words on the status page (issue 14): 「電話も可」 is not 「電話で」.
        EMAIL = "email", "メールのみ"
        PHONE = "phone", "電話も可"
        EITHER = "either", "どちらでも"

    class ContactTime(models.TextChoices):
        WEEKDAY_DAYTIME = "weekday_day", "平日の日中（9〜18時）"
        WEEKDAY_EVENING = "weekday_evening", "平日の夜（18〜21時）"
        WEEKEND = "weekend", "土日祝"
        ANYTIME = "anytime", "いつでもよい"

    class CloseReason(models.TextChoices):
        PLACED = "placed", "転職決定"
        PLACED_ELSEWHERE = "placed_elsewhere", "他社で決定"
        UNREACHABLE = "unreachable", "連絡がつかない"
        WITHDRAWN = "withdrawn", "本人の希望で終了"
        NOT_APPLICABLE = "not_applicable", "対象外・重複"

    reference = models.CharField("受付番号", max_length=9, unique=True, default=new_reference)
    # One per rendered form: a double click, a reload or a second tab sending the
    # same form finds this token taken and gets the first request back.
    submission_token = models.UUIDField(unique=True, editable=False)
    received_at = models.DateTimeField("受付日時", default=timezone.now, db_index=True)
    source = models.CharField("流入元", max_length=100, blank=True)

    # What the applicant wrote.
    name = models.CharField("氏名", max_length=100)
    furigana = models.CharField("ふりがな", max_length=100)
    email = models.EmailField("メールアドレス")
    phone = models.CharField("電話番号", max_length=15, help_text="数字のみに正規化して保存")
    birth_year = models.PositiveSmallIntegerField("生まれ年", null=True, blank=True)
    prefecture = models.CharField("都道府県", max_length=10, blank=True)
    current_status = models.CharField(
        "現在の状況", max_length=20, choices=CurrentStatus, blank=True
    )
    interests = models.JSONField("興味のある部門・職種", default=list, blank=True)
    timing = models.CharField("希望の転職時期", max_length=20, choices=Timing, blank=True)
    contact_method = models.CharField(
        "希望の連絡方法", max_length=20, choices=ContactMethod, blank=True
    )
    contact_time = models.CharField(
        "希望の連絡時間帯", max_length=20, choices=ContactTime, blank=True
    )
    message = models.TextField("相談したいこと", max_length=2000, blank=True)
    # Set by the reader on their status page: agents are asked why before logging a call.
    phone_unwanted = models.BooleanField("電話は不要", default=False)
    consented_at = models.DateTimeField("プライバシーポリシー同意日時")

    # For matching repeat requests: the email's japanese.email_key(); the phone is stored as digits.
    email_normalized = models.CharField(max_length=254, editable=False, db_index=True)

    # The agents' work.
    status = models.CharField("対応状況", max_length=20, choices=Status, default=Status.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_consultations",
        verbose_name="担当者",
    )
    closed_at = models.DateTimeField("クローズ日時", null=True, blank=True)
    close_reason = models.CharField("クローズ理由", max_length=20, choices=CloseReason, blank=True)
    anonymized_at = models.DateTimeField("匿名化日時", null=True, blank=True, editable=False)
    # SHA-256 of the random key signed into the reader's status link
    # (careers/status_links.py); "" when no link works.
    status_key_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)

    objects = ConsultationRequestQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "転職相談"
        ordering = ["-received_at"]
        permissions = [
            ("export_consultationrequest", "CSVで出力できる"),
            ("view_all_consultationrequest", "すべての相談を閲覧できる（担当外を含む）"),
            ("assign_consultationrequest", "担当者を割り当てられる"),
        ]
        indexes = [
            models.Index(fields=["status", "-received_at"], name="consultation_status_received"),
            models.Index(fields=["phone"], name="consultation_phone"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(reference=""), name="consultation_reference_set"),
            # A closed request always says why; an open one has no reason yet.
            models.CheckConstraint(
                condition=(Q(status="closed") & ~Q(close_reason=""))
                | (~Q(status="closed") & Q(close_reason="")),
                name="consultation_closed_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.reference}（{self.received_at:%Y-%m-%d}）"

    def save(self, *args, **kwargs):
        self.email_normalized = email_key(self.email)
        super().save(*args, **kwargs)

    def reply_due_at(self):
        """When the first reply is due: an aware Asia/Tokyo datetime (careers/business_days.py)."""
        return reply_by(self.received_at)

    def is_overdue(self, now=None):
        return self.status == self.Status.NEW and self.received_at < overdue_cutoff(now)

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    @property
    def declines_calls(self) -> bool:
        """Whether the reader asked not to be phoned: 「電話は不要」 or メールのみ."""
        return self.phone_unwanted or self.contact_method == self.ContactMethod.EMAIL


class ConsultationNote(models.Model):
    """An agent's note on a request. Notes are a record: never edited once saved."""

    request = models.ForeignKey(
        ConsultationRequest,
        on_delete=models.CASCADE,
        related_name="notes",
        verbose_name="転職相談",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="consultation_notes",
        verbose_name="記入者",
    )
    body = models.TextField("メモ", max_length=4000)
    created_at = models.DateTimeField("記入日時", default=timezone.now, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "対応メモ"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.request.reference} のメモ（{timezone.localtime(self.created_at):%Y-%m-%d %H:%M}）"

    def save(self, *args, **kwargs):
        # A note is a record of what was known and done at the time.
        if not self._state.adding:
            raise ValueError("A consultation note cannot be changed once saved.")
        super().save(*args, **kwargs)


class AccessLog(models.Model):
    """Who looked at or exported which request. `detail` never holds personal data."""

    class Action(models.TextChoices):
        VIEW = "view", "閲覧"
        EXPORT = "export", "CSV出力"
        CHANGE = "change", "変更"
        PURGE = "purge", "匿名化"
        SEND = "send", "メール送信"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultation_access_logs",
        verbose_name="ユーザー",
    )
    action = models.CharField("操作", max_length=20, choices=Action)
    request = models.ForeignKey(
        ConsultationRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_logs",
        verbose_name="転職相談",
    )
    detail = models.CharField("詳細", max_length=200, blank=True)
    # The reader on their status page (no account): shown as 本人.
    by_reader = models.BooleanField("本人による操作", default=False)
    created_at = models.DateTimeField("日時", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "閲覧・出力記録"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return (
            f"{self.get_action_display()}（{timezone.localtime(self.created_at):%Y-%m-%d %H:%M}）"
        )
