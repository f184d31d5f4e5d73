"""Forms of the reader's status page: contact preferences and the lost-link form."""

from django import forms

from careers.models import ConsultationRequest

Request = ConsultationRequest


class PreferencesForm(forms.Form):
    """How and when the reader wants to be contacted (their status page)."""

    contact_method = forms.ChoiceField(
        label="希望の連絡方法",
        choices=Request.ContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "希望の連絡方法を選択してください。"},
    )
    contact_time = forms.ChoiceField(
        label="連絡を受けやすい時間帯",
        required=False,
        choices=[("", "指定なし"), *Request.ContactTime.choices],
    )
    phone_unwanted = forms.BooleanField(
        label="電話は不要",
        required=False,
        help_text="選ぶと、担当者からの電話はかかってきません（メールでご連絡します）。",
    )

    @classmethod
    def for_request(cls, consultation: ConsultationRequest, data=None) -> "PreferencesForm":
        """The form, bound to `data` if given, else showing the request's preferences."""
        initial = {
            "contact_method": consultation.contact_method or Request.ContactMethod.EITHER,
            "contact_time": consultation.contact_time,
            "phone_unwanted": consultation.phone_unwanted,
        }
        return cls(data, initial=initial)

    def summary(self) -> list[tuple[str, str]]:
        """(label, value in words) of the cleaned choices, for the confirmation screen."""
        data = self.cleaned_data
        return [
            ("希望の連絡方法", Request.ContactMethod(data["contact_method"]).label),
            (
                "連絡を受けやすい時間帯",
                Request.ContactTime(data["contact_time"]).label
                if data["contact_time"]
                else "指定なし",
            ),
            ("電話は不要", "はい" if data["phone_unwanted"] else "いいえ"),
        ]


class LookupForm(forms.Form):
    """The lost-link form: the address and reference given when applying."""

    email = forms.EmailField(
        label="メールアドレス",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        help_text="お申し込みのときに入力したメールアドレス",
        error_messages={
            "required": "メールアドレスを入力してください。",
            "invalid": "メールアドレスの形式が正しくありません。例: hanako@example.com",
        },
    )
    reference = forms.CharField(
        label="受付番号",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text="受付のメールに書かれた番号。例: K7M2-Q9XP（ハイフンはなくても構いません）",
        error_messages={"required": "受付番号を入力してください。"},
    )
