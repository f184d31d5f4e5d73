"""適職診断: scoring, loading content/diagnosis.md, the form, the result and the handoff."""

import json
import re
import uuid
from fractions import Fraction
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from careers.content import ContentError, export, load
from careers.diagnosis import Choice, OfficeScore, RoleScore, rank_offices, score_roles
from careers.models import ConsultationRequest, DiagnosisAnswer, DiagnosisQuestion, Page
from careers.publishing import services
from tests.content_keys import ROLE_KEYS as ALL_ROLE_KEYS
from tests.factories import OfficeFactory, RoleFactory

REPO_CONTENT = Path(settings.BASE_DIR) / "content"
START_URL = reverse("careers:diagnosis")
RESULT_URL = reverse("careers:diagnosis_result")
FORM_URL = reverse("careers:consultation")

# A reader who likes numbers, rules and a quiet, steady job: one answer per question.
STEADY_NUMBERS = {
    "current-work": "other",
    "people-or-numbers": "numbers",
    "work-pace": "steady",
    "rules-and-grounds": "check-grounds",
    "change-or-stability": "stability",
    "visible-results": "no-trouble",
    "stage-or-backstage": "backstage",
    "expertise-depth": "specialist",
    "detail-checking": "spot-errors",
    "who-to-help": "company",
    "it-interest": "data-tools",
    "planning-style": "execute",
    "target-pressure": "quality-over-quota",
    "work-life-balance": "weekends-off",
}


# --- Scoring (pure) -------------------------------------------------------------------

ROLE_KEYS = ["front/sales", "front/retail", "middle/legal", "back/accounting", "back/it"]


def test_scores_add_up_the_chosen_answers_points():
    choices = [
        Choice("数字が好き", {"back/accounting": 3, "middle/legal": 1}),
        Choice("人と話すのが好き", {"front/sales": 2, "front/retail": 2}),
        Choice("丁寧に読む", {"middle/legal": 3, "back/accounting": 0}),
    ]

    scores = score_roles(choices, ROLE_KEYS)

    assert [(s.key, s.score) for s in scores] == [
        ("middle/legal", 4),
        ("back/accounting", 3),
        ("front/sales", 2),
        ("front/retail", 2),  # tied with sales: role order decides
        ("back/it", 0),
    ]
    assert scores[0].reasons == ("丁寧に読む", "数字が好き")  # most points first
    assert scores[1].reasons == ("数字が好き",)  # a 0 weight is no reason
    assert scores[-1].reasons == ()


def test_ties_are_broken_by_role_order_whatever_the_answer_order():
    forwards = [Choice("a", {"back/it": 2}), Choice("b", {"front/sales": 2})]
    backwards = list(reversed(forwards))

    for choices in (forwards, backwards):
        assert [s.key for s in score_roles(choices, ROLE_KEYS)][:2] == ["front/sales", "back/it"]


def test_reasons_are_the_three_strongest_then_in_question_order():
    choices = [
        Choice("一", {"back/it": 1}),
        Choice("二", {"back/it": 3}),
        Choice("三", {"back/it": 1}),
        Choice("四", {"back/it": 2}),
        Choice("五", {"back/it": 1}),
    ]

    (it, *_) = score_roles(choices, ROLE_KEYS)

    assert it == RoleScore("back/it", 8, ("二", "四", "一"))


def test_unknown_role_keys_in_weights_are_ignored():
    scores = score_roles([Choice("x", {"gone/role": 3, "back/it": 1})], ROLE_KEYS)
    assert {s.key for s in scores} == set(ROLE_KEYS)
    assert scores[0] == RoleScore("back/it", 1, ("x",))


def test_best_office_is_where_the_best_role_is_average_breaks_ties():
    scores = [
        RoleScore("front/sales", 5, ()),
        RoleScore("middle/legal", 9, ()),
        RoleScore("middle/risk", 1, ()),
        RoleScore("back/accounting", 9, ()),
        RoleScore("back/it", 3, ()),
    ]

    ranked = rank_offices(scores, ["front", "middle", "back"])

    assert ranked == [
        OfficeScore("back", 9, Fraction(6)),
        OfficeScore("middle", 9, Fraction(5)),
        OfficeScore("front", 5, Fraction(5)),
    ]


def test_the_real_questions_score_a_fixed_set_of_answers(real_content):
    questions = list(DiagnosisQuestion.objects.prefetch_related("answers"))
    chosen = [
        next(a for a in q.answers.all() if a.slug == STEADY_NUMBERS[q.slug]) for q in questions
    ]

    scores = score_roles([Choice(a.reason, a.weights) for a in chosen], ALL_ROLE_KEYS)

    assert [(s.key, s.score) for s in scores[:3]] == [
        ("back/accounting-finance", 21),
        ("middle/risk-management", 13),
        ("middle/legal-compliance", 12),
    ]
    assert scores[0].reasons == (
        "数字やデータから意味を読み取ることに興味がある",
        "細かな数字や言葉のズレに気づける",
        "決まった流れに沿って着実に仕事を進められる",
    )
    assert rank_offices(scores, ["front", "middle", "back"])[0].slug == "back"


# --- Loading content/diagnosis.md -------------------------------------------------------


def test_real_diagnosis_loads_with_its_intro_page(real_content):
    questions = list(DiagnosisQuestion.objects.prefetch_related("answers"))
    assert len(questions) == 14
    assert questions[0].slug == "current-work"
    assert questions[1].slug == "people-or-numbers"
    assert all(2 <= len(q.answers.all()) <= 4 for q in questions)
    numbers = DiagnosisAnswer.objects.get(question__slug="people-or-numbers", slug="numbers")
    assert list(numbers.weights.items()) == [  # the order written, kept by the json column
        ("back/accounting-finance", 3),
        ("middle/risk-management", 2),
        ("middle/sales-planning", 2),
    ]
    page = Page.objects.get(slug="diagnosis")
    assert page.title == "適職診断"
    assert page.body_html.startswith("<p>今のお仕事についての1問と、働き方の好み")


def test_export_writes_diagnosis_md_back_byte_for_byte(real_content, tmp_path):
    export(tmp_path)

    assert (tmp_path / "diagnosis.md").read_text() == (REPO_CONTENT / "diagnosis.md").read_text()
    assert not (tmp_path / "pages" / "diagnosis.md").exists()


def test_second_load_of_the_real_diagnosis_changes_nothing(real_content):
    changes = [c for c in load(REPO_CONTENT, dry_run=True) if c.path == "content/diagnosis.md"]
    assert len(changes) == 15  # the page and 14 questions
    assert {c.action for c in changes} == {"unchanged"}


OFFICE = """\
---
slug: back
name: バックオフィス
catchphrase: 守り
summary: 会社を支えます。
order: 1
published: true
merits: []
demerits: []
colour: teal
icon: shield
---
"""
ROLE = """\
---
slug: {slug}
name: {name}
summary: 要約です。
order: 1
published: true
---
"""
DIAGNOSIS = """\
---
questions:
  - slug: first
    text: 一つ目の質問ですか？
    answers:
      - slug: numbers
        label: はい
        reason: 数字が好き
        weights:
          back/accounting: 3
          back/it: 1
      - slug: people
        label: いいえ
        reason: 人が好き
        weights:
          back/it: 2
---

診断の前置きです。
"""


def diagnosis_tree(root, diagnosis=DIAGNOSIS):
    root = Path(root)
    files = {
        "offices/back.md": OFFICE,
        "roles/back/accounting.md": ROLE.format(slug="accounting", name="経理"),
        "roles/back/it.md": ROLE.format(slug="it", name="情報システム"),
        "diagnosis.md": diagnosis,
    }
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    return root


@pytest.mark.django_db
def test_a_small_diagnosis_loads_and_exports_unchanged(tmp_path):
    root = diagnosis_tree(tmp_path / "content")

    load(root)
    export(tmp_path / "out")

    assert (tmp_path / "out" / "diagnosis.md").read_text() == DIAGNOSIS
    answer = DiagnosisAnswer.objects.get(slug="numbers")
    assert answer.weights == {"back/accounting": 3, "back/it": 1}
    assert {c.action for c in load(tmp_path / "out")} == {"unchanged"}


@pytest.mark.django_db
def test_title_and_summary_are_written_back_only_when_given(tmp_path):
    text = DIAGNOSIS.replace(
        "---\nquestions:",
        "---\ntitle: 向いている仕事診断\nsummary: 3分で終わります。\nquestions:",
        1,
    )
    load(diagnosis_tree(tmp_path / "content", text))
    export(tmp_path / "out")

    assert Page.objects.get(slug="diagnosis").title == "向いている仕事診断"
    assert (tmp_path / "out" / "diagnosis.md").read_text() == text


@pytest.mark.django_db
def test_an_edited_question_is_updated_with_its_answers(tmp_path):
    root = diagnosis_tree(tmp_path / "content")
    load(root)
    diagnosis_tree(root, DIAGNOSIS.replace("reason: 人が好き", "reason: 人と話すのが好き"))

    changes = {c.label: c.action for c in load(root)}

    assert changes["question:first"] == "updated"
    assert DiagnosisAnswer.objects.get(slug="people").reason == "人と話すのが好き"
    assert DiagnosisAnswer.objects.count() == 2


def broken(old, new):
    assert old in DIAGNOSIS, old
    return DIAGNOSIS.replace(old, new)


INVALID = {
    "unknown role": (
        broken("back/it: 1", "back/unknown: 1"),
        ["content/diagnosis.md:11: 質問 1 件目の回答 1 件目: 職種 'back/unknown' はありません"],
    ),
    "weight above 3": (
        broken("back/accounting: 3", "back/accounting: 4"),
        [
            "content/diagnosis.md:10: 質問 1 件目の回答 1 件目: 'back/accounting' の配点は 0〜3 の整数"
        ],
    ),
    "weight not an integer": (
        broken("back/it: 2", "back/it: 1.5"),
        ["content/diagnosis.md:16: 質問 1 件目の回答 2 件目: 'back/it' の配点は 0〜3 の整数"],
    ),
    "weight a boolean": (
        broken("back/it: 2", "back/it: true"),
        ["content/diagnosis.md:16: 質問 1 件目の回答 2 件目: 'back/it' の配点は 0〜3 の整数"],
    ),
    "duplicate answer slug": (
        broken("- slug: people", "- slug: numbers"),
        [
            "content/diagnosis.md:12: 質問 1 件目の回答 2 件目: スラッグ 'numbers' が同じ質問の回答 1 件目と重複"
        ],
    ),
    "one answer": (
        broken(
            "      - slug: people\n        label: いいえ\n        reason: 人が好き\n        weights:\n          back/it: 2\n",
            "",
        ),
        ["content/diagnosis.md:5: 質問 1 件目: 回答は2〜4件にしてください（いまは1件）"],
    ),
    "duplicate question slug": (
        DIAGNOSIS.replace(
            "---\n\n診断",
            "  - slug: first\n    text: 同じスラッグ\n    answers:\n"
            "      - {slug: a, label: A, reason: a, weights: {back/it: 1}}\n"
            "      - {slug: b, label: B, reason: b, weights: {back/it: 2}}\n---\n\n診断",
        ),
        ["content/diagnosis.md:17: 質問 2 件目: スラッグ 'first' が質問 1 件目と重複"],
    ),
    "missing reason": (
        broken("        reason: 数字が好き\n", ""),
        ["content/diagnosis.md:6: 質問 1 件目の回答 1 件目: 必須のキー 'reason' がありません"],
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("text, expected", INVALID.values(), ids=INVALID.keys())
def test_invalid_diagnosis_is_reported_with_path_and_line(tmp_path, text, expected):
    root = diagnosis_tree(tmp_path / "content", text)

    with pytest.raises(ContentError) as error:
        load(root)

    reported = [str(problem) for problem in error.value.problems]
    for message in expected:
        assert any(line.startswith(message) for line in reported), reported
    assert DiagnosisQuestion.objects.count() == 0


@pytest.mark.django_db
def test_five_answers_are_too_many(tmp_path):
    extra = "".join(
        f"      - {{slug: x{n}, label: X, reason: x, weights: {{back/it: 1}}}}\n" for n in range(3)
    )
    text = DIAGNOSIS.replace("---\n\n診断", extra + "---\n\n診断")

    with pytest.raises(ContentError) as error:
        load(diagnosis_tree(tmp_path / "content", text))

    assert "content/diagnosis.md:5: 質問 1 件目: 回答は2〜4件にしてください（いまは5件）" in str(
        error.value
    )


@pytest.mark.django_db
def test_admin_validation_rejects_unknown_roles_and_bad_points():
    RoleFactory(office=OfficeFactory(slug="back"), slug="it")
    question = DiagnosisQuestion.objects.create(slug="q", text="質問？")
    answer = DiagnosisAnswer(question=question, slug="a", label="A", reason="r")

    answer.weights = {"back/it": 3}
    answer.full_clean()
    answer.weights = {"back/it": 5, "front/none": 1}
    with pytest.raises(ValidationError) as error:
        answer.full_clean()
    messages = error.value.message_dict["weights"]
    assert any("'back/it' の配点は 0〜3" in m for m in messages)
    assert any("職種 'front/none' はありません" in m for m in messages)


# --- The form page ------------------------------------------------------------------------


def fieldsets(html):
    return re.findall(r"<fieldset[^>]*>\s*<legend>(.*?)</legend>(.*?)</fieldset>", html, re.S)


def test_form_page_has_a_labelled_radio_group_per_question(client, real_content):
    response = client.get(START_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert f'<form method="get" action="{RESULT_URL}"' in html
    groups = fieldsets(html)
    assert len(groups) == 14
    # Each legend says where the reader is: 「質問 2 / 14」, then the question.
    assert unescape(groups[1][0]) == (
        '<span class="question__progress">質問 2 / 14</span> '
        "仕事で主に向き合う相手として、いちばん惹かれるのはどれですか？"
    )
    assert [re.search(r"質問 (\d+) / 14", legend).group(1) for legend, _ in groups] == [
        str(number) for number in range(1, 15)
    ]
    for _, body in groups:
        radios = re.findall(
            r'<input type="radio" name="[^"]+" value="[^"]+"[^>]*id="([^"]+)"', body
        )
        assert 2 <= len(radios) <= 4
        for radio_id in radios:
            assert f'<label for="{radio_id}">' in body
    assert "働き方の好みについての13の質問" in html  # the intro page
    assert "error-summary" not in html
    # Nothing personal is asked.
    assert 'type="text"' not in html and 'type="email"' not in html


def test_every_question_is_required_and_answers_are_kept(client, real_content):
    answers = dict(STEADY_NUMBERS)
    del answers["who-to-help"]

    response = client.get(RESULT_URL, answers)

    assert response.status_code == 200
    html = response.content.decode()
    assert "適職診断の結果" not in html
    summary = re.search(r'<div class="alert alert--error" id="error-summary".*?</div>', html, re.S)
    assert summary and "1問の回答がありません" in summary.group(0)
    assert 'href="#id_who-to-help_0"' in summary.group(0)
    assert "質問10. 仕事を通じて、いちばん力になりたい相手は誰ですか？" in summary.group(0)
    assert html.count("この質問に答えていません。いちばん近いものを1つ選んでください。") == 2
    assert 'aria-describedby="id_who-to-help_error"' in html
    # The other answers stay selected.
    for slug, value in answers.items():
        assert re.search(rf'name="{slug}" value="{value}"[^>]*checked', html), slug


def test_an_empty_submission_lists_every_question(client, real_content):
    html = client.get(RESULT_URL).content.decode()

    assert "14問の回答がありません" in html
    assert html.count('<p class="error-message"') == 14


def test_an_answer_that_is_not_a_choice_is_an_error(client, real_content):
    html = client.get(RESULT_URL, {**STEADY_NUMBERS, "work-pace": "nope"}).content.decode()

    assert "選択肢の中から1つ選んでください。" in html


# --- The result ------------------------------------------------------------------------------


def test_result_shows_office_top_roles_scores_reasons_and_links(client, real_content):
    response = client.get(RESULT_URL, STEADY_NUMBERS)

    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert html.count("<h1") == 1
    assert "合いそうな部門: バックオフィス" in html
    results = re.findall(
        r'<li class="result">(.*?)</li>\s*(?=<li class="result">|</ol>)', html, re.S
    )
    assert len(results) == 3
    expected = [
        ("/offices/back/accounting-finance/", "経理・財務", 21),
        ("/offices/middle/risk-management/", "リスク管理", 13),
        ("/offices/middle/legal-compliance/", "法務・コンプライアンス", 12),
    ]
    for result, (url, name, score) in zip(results, expected, strict=True):
        assert f'<a href="{url}">{name}</a>' in result
        assert f"スコア <strong>{score}</strong>点" in result
    assert "<li>あなたは細かな数字や言葉のズレに気づける</li>" in results[0]
    assert "こうした点が、経理・財務の仕事に生かせそうです。" in results[0]
    # Not indexed; canonical is the form.
    assert '<meta name="robots" content="noindex">' in html
    assert f'<link rel="canonical" href="{settings.SITE_URL}/diagnosis/">' in html


def test_result_links_to_the_consultation_form_with_the_top_roles(client, real_content):
    html = unescape(client.get(RESULT_URL, STEADY_NUMBERS).content.decode())

    link = re.search(r'<a class="button" href="([^"]+)">診断結果をもとに無料で相談する</a>', html)
    assert link
    url = urlsplit(link.group(1))
    assert url.path == FORM_URL
    assert parse_qs(url.query) == {
        "from": ["diagnosis"],
        "result": ["back/accounting-finance,middle/risk-management,middle/legal-compliance"],
    }


def test_review_link_reopens_the_form_with_the_answers_selected(client, real_content):
    html = unescape(client.get(RESULT_URL, STEADY_NUMBERS).content.decode())
    review = re.search(r'<a href="([^"]+)">回答を見直す</a>', html).group(1)

    form = client.get(review).content.decode()

    assert urlsplit(review).path == START_URL
    for slug, value in STEADY_NUMBERS.items():
        assert re.search(rf'name="{slug}" value="{value}"[^>]*checked', form), slug


@pytest.mark.parametrize("url", [START_URL, RESULT_URL])
def test_diagnosis_pages_stay_within_the_query_budget(
    client, real_content, django_assert_max_num_queries, django_assert_num_queries, url
):
    query = STEADY_NUMBERS if url == RESULT_URL else {}
    # Rendering, plus the revision and the valid answers that key the page cache.
    with django_assert_max_num_queries(6):
        response = client.get(url, query)
    assert response.status_code == 200
    with django_assert_num_queries(0):
        assert client.get(url, query).content == response.content


def test_diagnosis_without_questions_says_it_is_not_ready(client, db):
    html = client.get(START_URL).content.decode()
    assert "適職診断は準備中です。" in html
    assert client.get(RESULT_URL).status_code == 200


# --- Handoff to the consultation form ------------------------------------------------------


@pytest.fixture
def front_and_back_roles(db):
    front = OfficeFactory(slug="front", name="フロントオフィス", order=1)
    back = OfficeFactory(slug="back", name="バックオフィス", order=3)
    RoleFactory(office=front, slug="sales", name="営業")
    RoleFactory(office=back, slug="accounting-finance", name="経理・財務")
    RoleFactory(office=back, slug="it-systems", name="情報システム")


def checked_interests(html):
    return re.findall(r'name="interests" value="([^"]+)"[^>]*checked', html)


def test_form_from_the_diagnosis_preselects_its_roles(client, front_and_back_roles):
    result = "back/accounting-finance,front/sales,back/it-systems"

    html = client.get(FORM_URL, {"from": "diagnosis", "result": result}).content.decode()

    assert sorted(checked_interests(html)) == sorted(result.split(","))
    assert re.search(rf'name="source" value="diagnosis:{result}"', html)


def test_unknown_roles_from_the_diagnosis_are_ignored(client, front_and_back_roles):
    result = "back/accounting-finance,back/nothing,<script>,front/sales"

    html = client.get(FORM_URL, {"from": "diagnosis", "result": result}).content.decode()

    assert sorted(checked_interests(html)) == ["back/accounting-finance", "front/sales"]
    assert 'name="source" value="diagnosis:back/accounting-finance,front/sales"' in html
    nothing = client.get(FORM_URL, {"from": "diagnosis", "result": "x/y"}).content.decode()
    assert checked_interests(nothing) == []
    assert re.search(r'name="source"(?! value="diagnosis)', nothing)


def consultation_post(source, interests):
    return {
        "name": "山田 花子",
        "furigana": "やまだ はなこ",
        "email": "hanako@example.com",
        "phone": "090-1234-5678",
        "interests": interests,
        "contact_method": "email",
        "consent": "on",
        "website": "",
        "token": str(uuid.uuid4()),
        "source": source,
        "step": "send",
    }


def test_the_diagnosis_source_is_stored_after_post(client, front_and_back_roles):
    keys = ["back/accounting-finance", "front/sales", "back/it-systems"]

    response = client.post(FORM_URL, consultation_post(f"diagnosis:{','.join(keys)}", keys))

    assert response.status_code == 302, response.content.decode()
    stored = ConsultationRequest.objects.get()
    assert stored.source == "diagnosis:back/accounting-finance,front/sales,back/it-systems"
    assert sorted(stored.interests) == sorted(keys)


@pytest.mark.parametrize(
    "sent, stored",
    [
        ("diagnosis:front/sales,back/invented", "diagnosis:front/sales"),
        ("diagnosis:back/invented", ""),
        ("diagnosis:", ""),
        ("elsewhere:front/sales", ""),
    ],
)
def test_a_forged_diagnosis_source_keeps_only_known_roles(
    client, front_and_back_roles, sent, stored
):
    response = client.post(FORM_URL, consultation_post(sent, ["front/sales"]))

    assert response.status_code == 302
    assert ConsultationRequest.objects.get().source == stored


def test_the_handoff_end_to_end(client, real_content):
    result_html = unescape(client.get(RESULT_URL, STEADY_NUMBERS).content.decode())
    link = re.search(r'<a class="button" href="([^"]+)">診断結果をもとに', result_html).group(1)

    form_html = client.get(link).content.decode()
    keys = checked_interests(form_html)
    source = re.search(r'name="source" value="([^"]+)"', form_html).group(1)
    client.post(FORM_URL, consultation_post(source, keys))

    stored = ConsultationRequest.objects.get()
    assert stored.source == (
        "diagnosis:back/accounting-finance,middle/risk-management,middle/legal-compliance"
    )
    assert sorted(stored.interests) == sorted(
        ["back/accounting-finance", "middle/risk-management", "middle/legal-compliance"]
    )


def test_nothing_is_stored_by_taking_the_diagnosis(client, real_content):
    client.get(RESULT_URL, STEADY_NUMBERS)
    assert ConsultationRequest.objects.count() == 0
    assert "sessionid" not in client.cookies


# --- Admin ----------------------------------------------------------------------------------------


def change_data(question, **answer_changes):
    """The question's change form as POST data, with `answer_changes` for its first answer."""
    answers = list(question.answers.all())
    data = {
        "slug": question.slug,
        "text": question.text,
        "order": question.order,
        "answers-TOTAL_FORMS": len(answers),
        "answers-INITIAL_FORMS": len(answers),
        "answers-MIN_NUM_FORMS": 2,
        "answers-MAX_NUM_FORMS": 4,
    }
    for index, answer in enumerate(answers):
        fields = {
            "id": answer.pk,
            "question": question.pk,
            "slug": answer.slug,
            "label": answer.label,
            "reason": answer.reason,
            "weights": json.dumps(answer.weights, ensure_ascii=False),
            "order": answer.order,
        }
        if index == 0:
            fields.update(answer_changes)
        data.update({f"answers-{index}-{key}": value for key, value in fields.items()})
    return data


def test_admin_edits_a_question_and_its_answers(admin_client, real_content):
    question = DiagnosisQuestion.objects.get(slug="people-or-numbers")
    url = reverse("admin:careers_diagnosisquestion_change", args=[question.pk])
    assert admin_client.get(url).status_code == 200

    weights = '{"middle/risk-management": 1, "back/accounting-finance": 3}'
    response = admin_client.post(url, change_data(question, reason="数字が好き", weights=weights))

    assert response.status_code == 302
    assert question.answers.first().reason != "数字が好き"  # a draft until published
    services.publish(revision=services.open_draft(DiagnosisQuestion, question.pk), by=None)
    answer = question.answers.first()
    assert answer.reason == "数字が好き"
    assert list(answer.weights) == ["middle/risk-management", "back/accounting-finance"]


def test_admin_rejects_unknown_roles_and_bad_points(admin_client, real_content):
    question = DiagnosisQuestion.objects.get(slug="people-or-numbers")
    url = reverse("admin:careers_diagnosisquestion_change", args=[question.pk])

    response = admin_client.post(
        url, change_data(question, weights='{"front/astronaut": 2, "front/sales": 7}')
    )

    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "職種 'front/astronaut' はありません" in html
    assert "'front/sales' の配点は 0〜3 の整数にしてください" in html
    assert question.answers.first().weights == {
        "front/sales": 3,
        "front/retail": 2,
        "back/hr-labor": 2,
    }
