import re
import unicodedata
import uuid

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.utils import timezone

from careers.caching import current_revision
from careers.models import Office, Role
from careers.models.consultations import PREFECTURES, ConsultationRequest

INTEREST_CHOICES_CACHE_KEY = "consultation:interest-choices"
INTEREST_KEY_RE = re.compile(r"^[a-z0-9-]+(?:/[a-z0-9-]+)?$")
KANA_RE = re.compile(r"^[ぁ-ゖー ]+$")
PHONE_RE = re.compile(r"^0\d{9,10}$")
# Hyphens, dashes and long-vowel marks people type between digit groups.
PHONE_SEPARATORS_RE = re.compile(r"[\s\-‐‑‒–—―−ー()（）]")


def interest_choices(revision=None):
    """Published offices and their roles as grouped choices, keyed `office` / `office/role`.

    Cached per content revision (read here unless the caller has it), so the form
    page asks the database only for the revision number.
    """
    if revision is None:
        revision = current_revision()
    key = f"{INTEREST_CHOICES_CACHE_KEY}:{revision}"
    choices = cache.get(key)
    if choices is None:
        roles = list(Role.objects.published())
        choices = [
            (
                office.name,
                [(office.slug, f"{office.name}全般")]
                + [(role.key, role.name) for role in roles if role.office_id == office.pk],
            )
            for office in Office.objects.published()
        ]
        cache.set(key, choices, settings.PAGE_CACHE_SECONDS)
    return choices


def interest_choices_or_fallback(submitted_keys):
    """The interest choices, or, with the database down, just what the reader sent."""
    try:
        return interest_choices()
    except DatabaseError:
        keys = [key for key in submitted_keys if INTEREST_KEY_RE.match(key)]
        return [("選択した部門・職種", [(key, key) for key in keys])]


def to_hiragana(text):
    """Normalise a reading to hiragana: full-width, katakana folded, spaces single."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)
    return " ".join(text.split())


def normalize_phone(text):
    """`090-1234-5678`, `０９０１２３４５６７８` or `+81 90 1234 5678` → `09012345678`."""
    digits = PHONE_SEPARATORS_RE.sub("", unicodedata.normalize("NFKC", text))
    if digits.startswith("+81"):
        digits = "0" + digits[3:]
    return digits


def birth_year_choices():
    this_year = timezone.localdate().year
    return [("", "選択してください")] + [
        (str(year), f"{year}年") for year in range(this_year - 15, this_year - 71, -1)
    ]


class GroupedCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes with each choice group in its own fieldset and legend."""

    template_name = "includes/widgets/grouped_checkboxes.html"


class ConsultationForm(forms.Form):
    """The consultation request. It asks only what an agent needs to reply: never
    本籍, 出生地, family, religion, beliefs or union membership (職業安定法 guidelines).
    """

    name = forms.CharField(
        label="氏名",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text="例: 山田 花子",
    )
    furigana = forms.CharField(
        label="ふりがな",
        max_length=100,
        help_text="ひらがなまたはカタカナで入力してください。例: やまだ はなこ",
    )
    email = forms.EmailField(
        label="メールアドレス",
        max_length=254,
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "inputmode": "email", "spellcheck": "false"}
        ),
        help_text="例: hanako@example.com",
    )
    phone = forms.CharField(
        label="電話番号",
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        help_text="ハイフンはあってもなくても構いません。例: 090-1234-5678",
    )
    birth_year = forms.TypedChoiceField(
        label="生まれ年",
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"autocomplete": "bday-year"}),
    )
    prefecture = forms.ChoiceField(
        label="お住まいの都道府県",
        required=False,
        choices=[("", "選択してください")] + [(p, p) for p in PREFECTURES],
        widget=forms.Select(attrs={"autocomplete": "address-level1"}),
    )
    current_status = forms.ChoiceField(
        label="現在の状況",
        required=False,
        choices=ConsultationRequest.CurrentStatus.choices,
        widget=forms.RadioSelect,
    )
    interests = forms.MultipleChoiceField(
        label="興味のある部門・職種",
        required=False,
        widget=GroupedCheckboxSelectMultiple,
        help_text="いくつでも選べます。",
    )
    timing = forms.ChoiceField(
        label="希望の転職時期",
        required=False,
        choices=[("", "選択してください"), *ConsultationRequest.Timing.choices],
    )
    contact_method = forms.ChoiceField(
        label="希望の連絡方法",
        required=False,
        choices=ConsultationRequest.ContactMethod.choices,
        widget=forms.RadioSelect,
    )
    contact_time = forms.ChoiceField(
        label="連絡を受けやすい時間帯",
        required=False,
        choices=[("", "選択してください"), *ConsultationRequest.ContactTime.choices],
    )
    message = forms.CharField(
        label="相談したいこと",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="2000文字以内。例: 経理に興味があるが未経験でも挑戦できるか知りたい",
    )
    consent = forms.BooleanField(
        label="プライバシーポリシーに同意して送信します",
        error_messages={"required": "送信するには、プライバシーポリシーへの同意が必要です。"},
    )
    # Filled in by bots only: the field is hidden from people and screen readers.
    website = forms.CharField(label="このフィールドは空のままにしてください", required=False)
    token = forms.UUIDField(widget=forms.HiddenInput)
    source = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)

    def __init__(self, *args, interest_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interests"].choices = interest_choices
        self.fields["birth_year"].choices = birth_year_choices()
        for name, field in self.fields.items():
            if name != "consent":
                verb = "選択" if isinstance(field, forms.ChoiceField) else "入力"
                field.error_messages["required"] = f"{field.label}を{verb}してください。"
        self.fields["email"].error_messages["invalid"] = (
            "メールアドレスの形式が正しくありません。例: hanako@example.com"
        )
        self.fields["token"].error_messages["invalid"] = (
            "フォームの有効期限が切れました。もう一度送信してください。"
        )

    @classmethod
    def initial_for(cls, *, interests=(), source=""):
        return {"token": uuid.uuid4(), "interests": list(interests), "source": source}

    def clean_name(self):
        name = " ".join(unicodedata.normalize("NFKC", self.cleaned_data["name"]).split())
        if not name:
            raise forms.ValidationError("氏名を入力してください。")
        return name

    def clean_furigana(self):
        furigana = to_hiragana(self.cleaned_data["furigana"])
        if not KANA_RE.match(furigana):
            raise forms.ValidationError("ふりがなは、ひらがなまたはカタカナで入力してください。")
        return furigana

    def clean_email(self):
        return self.cleaned_data["email"].strip()

    def clean_phone(self):
        phone = normalize_phone(self.cleaned_data["phone"])
        if not PHONE_RE.match(phone):
            raise forms.ValidationError(
                "電話番号は 0 から始まる10桁または11桁の数字で入力してください。例: 090-1234-5678"
            )
        return phone

    def clean_source(self):
        """Only sources this site makes are kept; anything else is dropped, not trusted."""
        source = self.cleaned_data["source"]
        kind, _, key = source.partition(":")
        if kind == "page" and key in self.interest_keys():
            return source
        if kind == "diagnosis":
            keys = self.known_interest_keys(key.split(","))
            return f"diagnosis:{','.join(keys)}" if keys else ""
        return ""

    def interest_keys(self):
        return {key for _, options in self.fields["interests"].choices for key, _ in options}

    def known_interest_keys(self, keys, limit=3):
        """The `keys` that are interests of this form, in order, once each, at most `limit`."""
        known = self.interest_keys()
        return list(dict.fromkeys(key for key in keys if key in known))[:limit]

    @property
    def is_spam(self):
        return bool(self.cleaned_data.get("website"))
