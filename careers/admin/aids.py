"""Editing aids of the editors' workspace: limits said and counted, Markdown help,
the comparison table as fields.

Every text field names its limit in its help text and carries it as `data-limit`;
static/js/admin-counter.js counts characters as the editor types (without
JavaScript the server's error says the same). The limit is the field's own:
max_length, a MaxLengthValidator, or the Markdown renderer's MAX_MARKDOWN_CHARS.
"""

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import models
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from careers.markdown import MAX_MARKDOWN_CHARS, MAX_NESTING
from careers.models import Office
from careers.models.content import COMPARISON_CRITERIA, COMPARISON_KEYS

MARKDOWN_HELP = (
    "Markdown で書けます: 小見出しは「## 見出し」、箇条書きは「- 項目」、強調は「**語**」、"
    "リンクはサイト内の「[文字](/offices/middle/)」。"
    f"入れ子は{MAX_NESTING}段まで。入力すると、読者に見える表示がプレビューに出ます。"
)


def field_limit(db_field: models.Field) -> int | None:
    """The most characters `db_field` accepts, or None for no text limit."""
    limits = [
        validator.limit_value
        for validator in db_field.validators
        if isinstance(validator, MaxLengthValidator) and isinstance(validator.limit_value, int)
    ]
    if isinstance(db_field, MarkdownxField):
        limits.append(MAX_MARKDOWN_CHARS)
    return min(limits) if limits else None


def with_limit(field: forms.Field, limit: int | None, *, markdown: bool = False) -> forms.Field:
    """`field` with its limit in its help text and `data-limit` (for the counter)."""
    if limit is None:
        return field
    field.widget.attrs["data-limit"] = str(limit)
    said = f"{limit:,}字以内"
    parts = [str(field.help_text)] if field.help_text else []
    if said not in "".join(parts) and f"{limit}字以内" not in "".join(parts):
        parts.append(f"{said}（入力中の文字数を右下に表示します）")
    if markdown:
        parts.append(MARKDOWN_HELP)
    field.help_text = " ".join(parts)
    return field


class FieldAidsMixin:
    """ModelAdmin/inline mixin: the Markdown editor with live preview, limits said and counted."""

    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}

    class Media:
        js = ["js/admin-counter.js"]
        css = {"all": ["css/admin-publishing.css"]}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is None or not isinstance(db_field, models.CharField | models.TextField):
            return field
        return with_limit(
            field, field_limit(db_field), markdown=isinstance(db_field, MarkdownxField)
        )


def comparison_field_name(key: str) -> str:
    return f"comparison_{key}"


COMPARISON_FIELDS = [comparison_field_name(key) for key in COMPARISON_KEYS]


class _ComparisonForm(forms.ModelForm):
    """The admin's office form (OfficeAdmin excludes the JSON field itself)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, value in (self.instance.comparison or {}).items():
            if key in COMPARISON_KEYS:
                self.initial.setdefault(comparison_field_name(key), value)

    def clean(self):
        cleaned = super().clean()
        values = {
            key: cleaned.get(comparison_field_name(key), "").strip() for key in COMPARISON_KEYS
        }
        if any(values.values()) and not all(values.values()):
            for key, value in values.items():
                if not value:
                    self.add_error(
                        comparison_field_name(key),
                        "比較表の値は6項目すべてを入力するか、すべて空にしてください。",
                    )
            return cleaned
        comparison = values if all(values.values()) else {}
        try:  # the model field's own rules (e.g. each value's length)
            Office._meta.get_field("comparison").run_validators(comparison)
        except forms.ValidationError as error:
            self.add_error(None, error)
        self.instance.comparison = comparison
        return cleaned


# An office with one field per row of the comparison table instead of its JSON: all
# empty (the office has no column in the table) or all filled.
OfficeAdminForm = type(
    "OfficeAdminForm",
    (_ComparisonForm,),
    {
        comparison_field_name(key): forms.CharField(label=label, required=False)
        for key, label in COMPARISON_CRITERIA
    },
)
