"""The 適職診断 (career-fit quiz): questions, their answers and each answer's points per role.

Loaded from content/diagnosis.md (see careers/content.py); the intro text is the
Page with slug "diagnosis". Nothing a reader answers is ever stored.
"""

import json

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q

from careers.diagnosis import weight_problems
from careers.models.base import LoadedContentModel
from careers.models.content import Role
from careers.models.limits import REASON_LENGTH


class OrderedJSONField(models.JSONField):
    """A JSONField that keeps object keys in the order they were written.

    PostgreSQL's jsonb (Django's default) sorts object keys, so the loader could
    not write content/diagnosis.md back byte for byte. The plain `json` type keeps
    the text as sent; nothing here needs jsonb's operators or indexes.
    """

    def db_type(self, connection):
        if connection.vendor == "postgresql":
            return "json"
        return super().db_type(connection)

    def get_db_prep_value(self, value, connection, prepared=False):
        if connection.vendor != "postgresql":
            return super().get_db_prep_value(value, connection, prepared)
        if not prepared:
            value = self.get_prep_value(value)
        # Sent as text: a Jsonb parameter would be normalised (keys sorted) by the server.
        return json.dumps(value, cls=self.encoder, ensure_ascii=False)

    def from_db_value(self, value, expression, connection):
        # psycopg decodes the json type itself (keeping key order); jsonb arrives as text.
        if isinstance(value, dict | list):
            return value
        return super().from_db_value(value, expression, connection)


class DiagnosisQuestion(LoadedContentModel):
    slug = models.SlugField("スラッグ", unique=True, help_text="英小文字（例: people-or-numbers）")
    text = models.CharField("質問文", max_length=200)
    order = models.PositiveSmallIntegerField("表示順", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "適職診断の質問"
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="diagnosis_question_not_empty"),
        ]

    def __str__(self):
        return self.text


class DiagnosisAnswer(models.Model):
    question = models.ForeignKey(
        DiagnosisQuestion, on_delete=models.CASCADE, related_name="answers", verbose_name="質問"
    )
    slug = models.SlugField("スラッグ", help_text="質問の中で一意の英小文字（例: numbers）")
    label = models.CharField("選択肢", max_length=200)
    reason = models.CharField(
        "理由の句",
        max_length=100,
        validators=[MaxLengthValidator(REASON_LENGTH)],
        help_text=f"結果の「あなたは〜」に続く{REASON_LENGTH}字以内の句"
        "（例: 数字やデータから意味を読み取ることに興味がある）",
    )
    weights = OrderedJSONField(
        "職種への配点",
        default=dict,
        blank=True,
        help_text='職種のキーと0〜3の整数（例: {"back/accounting-finance": 3, "middle/risk-management": 2}）',
    )
    experience = models.CharField(
        "今の経験（職種のキー）",
        max_length=100,
        blank=True,
        help_text="今の仕事・経験を答える質問で、この回答が表す職種（例: front/retail）。"
        "おすすめや相談フォームの選択には入れず、結果に「今の経験が活きる」として出します",
    )
    order = models.PositiveSmallIntegerField("表示順", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "適職診断の回答"
        ordering = ["question__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "slug"], name="diagnosis_answer_slug_unique_in_question"
            ),
            models.CheckConstraint(condition=~Q(label=""), name="diagnosis_answer_label_not_empty"),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        known = {role.key for role in Role.objects.select_related("office")}
        errors = {}
        problems = weight_problems(self.weights, known)
        if problems:
            errors["weights"] = [message for _, message in problems]
        if self.experience and self.experience not in known:
            errors["experience"] = [f"職種 '{self.experience}' はありません"]
        if errors:
            raise ValidationError(errors)
