"""The consultation form: what a reader sends, validated and normalised for storage."""

import re
import uuid

from django import forms
from django.utils import timezone

from careers.japanese import normalize_phone, single_spaced, to_hiragana
from careers.models.consultations import PREFECTURES, ConsultationRequest
from careers.selectors import GroupedChoices
from careers.sources import Source

KANA_RE = re.compile(r"^[ぁ-ゖー ]+$")
PHONE_RE = re.compile(r"^0\d{9,10}$")


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

    def __init__(self, *args, interest_choices: GroupedChoices, **kwargs):
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
    def initial_for(cls, *, interests: tuple[str, ...] = (), source: Source | None = None) -> dict:
        """Initial data of a new form: a fresh one-time token, preselected interests, source."""
        return {"token": uuid.uuid4(), "interests": list(interests), "source": str(source or "")}

    def clean_name(self):
        name = single_spaced(self.cleaned_data["name"])
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
        return str(Source.parse(self.cleaned_data["source"], known_keys=self.interest_keys()))

    def interest_keys(self) -> set[str]:
        """Every interest key (`office`, `office/role`) this form offers."""
        return {key for _, options in self.fields["interests"].choices for key, _ in options}

    @property
    def is_spam(self):
        return bool(self.cleaned_data.get("website"))
