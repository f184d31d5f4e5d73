"""content/ ↔ database for what role pages gained: a day, entry routes, qualifications,
FAQs, sourced figures and career-map links; offices' identities; the diagnosis'
current-work answers. In tests/test_content.py's style: a small valid tree, each
invalid edit reported as `path:line: message`, and a byte-for-byte round trip."""

import textwrap
from pathlib import Path

import pytest
from django.conf import settings

from careers.content import ContentError, export, load
from careers.models import DiagnosisAnswer, Figure, Office, Role
from tests.content_keys import ROLE_KEYS
from tests.test_content import OFFICE_MIDDLE, ROLE_LEGAL, VALID_TREE, write_tree

REPO_CONTENT = Path(settings.BASE_DIR) / "content"

# The risk-management role of tests/test_content.py with every new key; line 1 is `---`.
ROLE_RISK_FULL = """\
    ---
    slug: risk-management
    name: リスク管理
    summary: 損失の危険を予測する仕事です。
    order: 2
    published: true
    entry_routes: |
      - 金融機関の事務から移る
    day:
      - time: '9:00'
        task: 市場の確認
      - time: '13:30'
        task: 報告書づくり
    qualifications:
      - name: 証券外務員
        organiser: 日本証券業協会
        level: 二種・一種
        shows: 金融商品の基礎
    faqs:
      - question: 数学は必要ですか？
        answer: |
          統計の**基礎**があると役立ちます。
      - question: 金融以外にもありますか？
        answer: メーカーにもあります。
    figures:
      - label: ある試験の合格率
        value: 50.0%
        source: 試験の実施団体
        url: https://example.com/stats
        as_of: 2025-06
    next_roles:
      - middle/legal-compliance
    related_roles:
      - middle/legal-compliance
    next_steps:
      - 経営企画
    ---

    リスク管理の仕事内容です。
"""
FULL_TREE = {**VALID_TREE, "roles/middle/risk-management.md": ROLE_RISK_FULL}
RISK = "content/roles/middle/risk-management.md"


def _replace(text, old, new):
    assert old in text, old
    return text.replace(old, new, 1)


@pytest.fixture
def tree(tmp_path):
    return write_tree(tmp_path / "content", FULL_TREE)


@pytest.mark.django_db
def test_new_role_keys_load_into_their_records_in_order(tree):
    load(tree)

    role = Role.objects.get(slug="risk-management")
    assert role.entry_routes_html == "<ul>\n<li>金融機関の事務から移る</li>\n</ul>"
    assert [(i.order, i.time, i.task, i.datetime) for i in role.day_items.all()] == [
        (0, "9:00", "市場の確認", "09:00"),
        (1, "13:30", "報告書づくり", "13:30"),
    ]
    assert [q.name for q in role.qualifications.all()] == ["証券外務員"]
    faqs = list(role.faqs.all())
    assert [f.question for f in faqs] == ["数学は必要ですか？", "金融以外にもありますか？"]
    assert faqs[0].answer_html == "<p>統計の<strong>基礎</strong>があると役立ちます。</p>"
    [figure] = role.figures.all()
    assert (figure.value, figure.source, figure.url, figure.as_of_label) == (
        "50.0%",
        "試験の実施団体",
        "https://example.com/stats",
        "2025年6月",
    )
    assert role.next_roles == role.related_roles == ["middle/legal-compliance"]
    assert role.next_steps == ["経営企画"]
    office = Office.objects.get(slug="middle")
    assert (office.colour, office.icon) == ("purple", "bridge")


@pytest.mark.django_db
def test_export_writes_the_new_keys_back_byte_for_byte(tree, tmp_path):
    load(tree)

    export(tmp_path / "out")

    name = "roles/middle/risk-management.md"
    assert (tmp_path / "out" / name).read_text() == textwrap.dedent(FULL_TREE[name])
    office = (tmp_path / "out" / "offices/middle.md").read_text()
    assert "\ncolour: purple\nicon: bridge\n---\n" in office
    assert {c.action for c in load(tmp_path / "out")} == {"unchanged"}


@pytest.mark.django_db
def test_a_changed_item_updates_the_role_and_replaces_its_items(tree):
    load(tree)
    write_tree(
        tree,
        {
            "roles/middle/risk-management.md": _replace(
                ROLE_RISK_FULL, "市場の確認", "ニュースの確認"
            )
        },
    )

    changes = {c.label: c.action for c in load(tree)}

    assert changes["role:middle/risk-management"] == "updated"
    assert [i.task for i in Role.objects.get(slug="risk-management").day_items.all()] == [
        "ニュースの確認",
        "報告書づくり",
    ]


INVALID = {
    "unknown role in next_roles": (
        _replace(
            ROLE_RISK_FULL,
            "  - middle/legal-compliance\n    related",
            "  - middle/nowhere\n    related",
        ),
        [
            f"{RISK}:31: next_roles: 職種 'middle/nowhere' はありません（'<部門>/<職種>' の形で書いてください）"
        ],
    ),
    "a role linking to itself": (
        _replace(
            ROLE_RISK_FULL,
            "related_roles:\n      - middle/legal-compliance",
            "related_roles:\n      - middle/risk-management",
        ),
        [f"{RISK}:33: related_roles: 'middle/risk-management' はこの職種自身です"],
    ),
    "a figure without its source": (
        _replace(ROLE_RISK_FULL, "        source: 試験の実施団体\n", ""),
        [f"{RISK}:26: 数字 1 件目: 必須のキー 'source' がありません"],
    ),
    "a figure without its address and date": (
        _replace(
            ROLE_RISK_FULL,
            "        url: https://example.com/stats\n        as_of: 2025-06\n",
            "",
        ),
        [
            f"{RISK}:26: 数字 1 件目: 必須のキー 'url' がありません",
            f"{RISK}:26: 数字 1 件目: 必須のキー 'as_of' がありません",
        ],
    ),
    "a source address that is not a web address": (
        _replace(ROLE_RISK_FULL, "url: https://example.com/stats", "url: 実施団体のサイト"),
        [f"{RISK}:26: 数字 1 件目: 出典の url は https:// で始まるアドレスで書いてください"],
    ),
    "an as-of date in another form": (
        _replace(ROLE_RISK_FULL, "as_of: 2025-06", "as_of: 2025年6月"),
        [f"{RISK}:26: 数字 1 件目: as_of は 2025-06-08 か 2025-06 の形で書いてください"],
    ),
    "a time that is not a time": (
        _replace(ROLE_RISK_FULL, "time: '13:30'", "time: 午後"),
        [f"{RISK}:12: 1日の流れ 2 件目: 時刻は 9:00 の形で書いてください"],
    ),
    "one FAQ only": (
        _replace(
            ROLE_RISK_FULL,
            "      - question: 金融以外にもありますか？\n        answer: メーカーにもあります。\n",
            "",
        ),
        [f"{RISK}:19: よくある質問は2〜4件にしてください（いまは1件）"],
    ),
    "a qualification without its organiser": (
        _replace(ROLE_RISK_FULL, "        organiser: 日本証券業協会\n", ""),
        [f"{RISK}:15: 役立つ資格 1 件目: 必須のキー 'organiser' がありません"],
    ),
    "an empty list": (
        _replace(ROLE_RISK_FULL, "next_steps:\n      - 経営企画", "next_steps: []"),
        [f"{RISK}:35: 'next_steps' が空です（使わないときはキーごと省いてください）"],
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("text, expected", INVALID.values(), ids=INVALID.keys())
def test_invalid_role_keys_are_reported_with_path_and_line(tree, text, expected):
    write_tree(tree, {"roles/middle/risk-management.md": text})

    with pytest.raises(ContentError) as error:
        load(tree)

    assert [str(problem) for problem in error.value.problems] == expected
    assert Role.objects.count() == 0


@pytest.mark.django_db
def test_an_office_colour_outside_the_set_is_reported(tree):
    write_tree(
        tree, {"offices/middle.md": _replace(OFFICE_MIDDLE, "colour: purple", "colour: pink")}
    )

    with pytest.raises(ContentError) as error:
        load(tree)

    assert [str(p) for p in error.value.problems] == [
        "content/offices/middle.md:31: 'colour' は orange、purple、teal、blue、green のどれかにしてください"
    ]


@pytest.mark.django_db
def test_a_role_key_of_another_file_is_known(tree):
    # Links are checked against the whole tree, whichever file comes first.
    legal = _replace(
        ROLE_LEGAL,
        "    published: true\n",
        "    published: true\n    related_roles:\n      - middle/risk-management\n",
    )
    write_tree(tree, {"roles/middle/legal-compliance.md": legal})

    load(tree)

    assert Role.objects.get(slug="legal-compliance").related_roles == ["middle/risk-management"]


# --- The repository's content -------------------------------------------------------------


def test_every_real_role_has_the_deeper_sections(real_content):
    roles = Role.objects.prefetch_related("day_items", "qualifications", "faqs", "figures")
    assert sorted(role.key for role in roles.select_related("office")) == sorted(ROLE_KEYS)
    for role in roles:
        assert len(role.day_items.all()) >= 4, role.slug
        assert role.entry_routes_html.startswith("<ul>"), role.slug
        assert role.qualifications.all(), role.slug
        assert 2 <= len(role.faqs.all()) <= 4, role.slug
        assert role.next_roles or role.related_roles or role.next_steps, role.slug


def test_every_real_figure_carries_its_source(real_content):
    figures = list(Figure.objects.all())
    assert figures  # a few, each read for this site
    for figure in figures:
        assert figure.source and figure.url.startswith("https://") and figure.as_of_label


def test_the_issue_s_example_paths_are_on_the_real_map(real_content):
    roles = {role.key: role for role in Role.objects.select_related("office")}
    assert "middle/sales-planning" in roles["front/sales"].next_roles
    assert "経営企画" in roles["back/accounting-finance"].next_steps
    assert "back/hr-labor" in roles["back/general-affairs"].related_roles


def test_the_current_work_question_names_roles_as_experience(real_content):
    experience = dict(
        DiagnosisAnswer.objects.filter(question__slug="current-work").values_list(
            "slug", "experience"
        )
    )
    assert experience == {
        "retail": "front/retail",
        "sales": "front/sales",
        "office-work": "back/general-affairs",
        "other": "",
    }


@pytest.mark.django_db
def test_an_as_of_day_written_as_a_yaml_date_is_read_as_text(tree):
    """The loader reads YAML dates as text (as review_by needs), so a full as-of day
    needs no quotes and is exported as written."""
    write_tree(
        tree,
        {
            "roles/middle/risk-management.md": _replace(
                ROLE_RISK_FULL, "as_of: 2025-06", "as_of: 2025-06-08"
            )
        },
    )
    load(tree)
    assert Figure.objects.get().as_of == "2025-06-08"
