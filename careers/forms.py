"""The consultation form: what a reader sends, validated and normalised for storage."""

import uuid

from django import forms
from django.http import QueryDict
from django.utils import timezone

from careers.form_fields import NormalizedCharField, NormalizedEmailField
from careers.japanese import (
    PhoneNumberError,
    free_text,
    is_reading,
    japanese_phone_number,
    normalize_email,
    single_spaced,
    to_hiragana,
)
from careers.models.consultations import PREFECTURES, ConsultationRequest
from careers.selectors import GroupedChoices
from careers.sources import Source

PHONE_ERRORS = {
    "format": "電話番号は数字とハイフンで入力してください。例: 090-1234-5678",
    "foreign": "日本国内の電話番号を入力してください。例: 090-1234-5678",
    "impossible": "この電話番号は存在しない番号です。桁数と先頭の番号をご確認ください"
    "（携帯電話は070・080・090で始まる11桁、固定電話は市外局番から10桁）。",
}


# Fields stored after NFKC, which may lengthen a text: say how it was counted.
FOLDED_LENGTH_NOTE = dict.fromkeys(
    ("name", "furigana"), "。「㍿」のような文字は「株式会社」のように4文字と数えます"
)


def column_length(name: str) -> int:
    """The most characters ConsultationRequest.<name> holds: the form checks the
    stored value against it, so the database never refuses one."""
    return ConsultationRequest._meta.get_field(name).max_length


def prefecture_choices() -> list[tuple[str, str]]:
    """The 47 prefectures (careers.models.consultations.PREFECTURES) after a blank choice."""
    return [("", "選択してください")] + [(p, p) for p in PREFECTURES]


def birth_year_choices() -> list[tuple[str, str]]:
    """Birth years offered: 15 to 70 years before this year, newest first."""
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

    name = NormalizedCharField(
        label="氏名",
        normalize=single_spaced,
        max_length=column_length("name"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text="例: 山田 花子",
    )
    furigana = NormalizedCharField(
        label="ふりがな",
        normalize=to_hiragana,
        max_length=column_length("furigana"),
        help_text="ひらがなまたはカタカナで入力してください。外国のお名前の「・」「＝」も使えます。"
        "例: やまだ はなこ",
    )
    email = NormalizedEmailField(
        label="メールアドレス",
        normalize=normalize_email,
        max_length=column_length("email"),
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "inputmode": "email", "spellcheck": "false"}
        ),
        help_text="例: hanako@example.com",
    )
    # The browser's limit: spaces and hyphens make a number longer than its stored digits.
    phone = NormalizedCharField(
        label="電話番号",
        normalize=single_spaced,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        help_text="メールが届かないときや、面談の日時を確かめるときの連絡に使います。"
        "ハイフンはあってもなくても構いません。例: 090-1234-5678",
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
        # Callables (here and for birth years): each form copies its fields, and a
        # list of 48 choices cost more to copy than the rest of a POST's form work.
        choices=prefecture_choices,
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
    message = NormalizedCharField(
        label="相談したいこと",
        normalize=free_text,
        required=False,
        max_length=column_length("message"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="2000文字以内。例: 経理に興味があるが未経験でも挑戦できるか知りたい",
    )
    consent = forms.BooleanField(
        label="プライバシーポリシーに同意して送信します",
        error_messages={"required": "送信するには、プライバシーポリシーへの同意が必要です。"},
    )
    # Filled in by bots only: the field is hidden from people and screen readers.
    website = NormalizedCharField(
        label="このフィールドは空のままにしてください", normalize=single_spaced, required=False
    )
    token = forms.UUIDField(widget=forms.HiddenInput)
    source = NormalizedCharField(
        normalize=single_spaced,
        required=False,
        max_length=column_length("source"),
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, interest_choices: GroupedChoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interests"].choices = interest_choices
        self.fields["birth_year"].choices = birth_year_choices
        for name, field in self.fields.items():
            if name != "consent":
                verb = "選択" if isinstance(field, forms.ChoiceField) else "入力"
                field.error_messages["required"] = f"{field.label}を{verb}してください。"
                field.error_messages["max_length"] = (
                    f"{field.label}は%(limit_value)d文字以内で入力してください"
                    f"（いまは%(show_value)d文字です{FOLDED_LENGTH_NOTE.get(name, '')}）。"
                )
        self.fields["email"].error_messages["invalid"] = (
            "メールアドレスの形式が正しくありません。例: hanako@example.com"
        )
        self.fields["token"].error_messages["invalid"] = (
            "フォームの有効期限が切れました。もう一度送信してください。"
        )

    @classmethod
    def initial_for(cls, *, interests: tuple[str, ...] = (), source: Source | None = None) -> dict:
        """Initial data of a new form: a fresh one-time token, preselected interests, source."""
        return {"token": uuid.uuid4(), "interests": list(interests), "source": str(source or "")}

    @classmethod
    def initial_from(cls, data: QueryDict) -> dict:
        """What a reader sent (`request.POST`), as initial data of an unchecked form."""
        return {
            name: data.getlist(name) if isinstance(field, forms.MultipleChoiceField) else value
            for name, field in cls.base_fields.items()
            if (value := data.get(name)) is not None
        }

    def clean_furigana(self):
        furigana = self.cleaned_data["furigana"]
        if not is_reading(furigana):
            raise forms.ValidationError("ふりがなは、ひらがなまたはカタカナで入力してください。")
        return furigana

    def clean_message(self):
        """Optional, but a message typed with nothing visible in it is not one."""
        message = self.cleaned_data["message"]
        if not message and self.data.get(self.add_prefix("message"), "").strip():
            raise forms.ValidationError(
                "相談したいことに見える文字がありません。内容を入力するか、空欄にしてください。"
            )
        return message

    def clean_phone(self):
        try:
            return japanese_phone_number(self.cleaned_data["phone"])
        except PhoneNumberError as error:
            raise forms.ValidationError(PHONE_ERRORS[error.reason]) from error

    def clean_source(self):
        """Only sources this site makes are kept; anything else is dropped, not trusted."""
        return str(Source.parse(self.cleaned_data["source"], known_keys=self.interest_keys()))

    def interest_keys(self) -> set[str]:
        """Every interest key (`office`, `office/role`) this form offers."""
        return {key for _, options in self.fields["interests"].choices for key, _ in options}

    @property
    def is_spam(self):
        return bool(self.cleaned_data.get("website"))
