"""The Markdown renderer: Japanese line breaks, nested lists, and its limits, wherever
Markdown comes in (the loader, admin forms, model saves, the live preview)."""

import io
import shutil
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from careers.content import ContentError, read_tree
from careers.content.schema import MARKDOWN_KEYS
from careers.markdown import MAX_MARKDOWN_CHARS, MAX_NESTING, render, validate_markdown
from careers.models import Faq, Office, Page, Point, Role, Term

MARKDOWNIFY = "/markdownx/markdownify/"
MODELS = (Office, Role, Point, Faq, Page, Term)

# --- 13. Line breaks inside Japanese text ---------------------------------------------

# What Japanese editors type: kana, kanji, full-width punctuation and forms, half-width kana.
JAPANESE = st.one_of(
    st.characters(min_codepoint=0x3041, max_codepoint=0x3096),  # hiragana
    st.characters(min_codepoint=0x30A1, max_codepoint=0x30FA),  # katakana
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),  # kanji
    st.sampled_from("。、「」『』（）！？：・ー〜【】"),
    st.characters(min_codepoint=0xFF10, max_codepoint=0xFF5A).filter(str.isalnum),  # ０-ｚ
    st.characters(min_codepoint=0xFF66, max_codepoint=0xFF9D),  # ｦ-ﾝ
)
JAPANESE_TEXT = st.text(JAPANESE, min_size=1, max_size=12)
LATIN_WORD = st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,9}", fullmatch=True)
# Markup an editor may close or open right at the end or start of a line.
WRAPS = st.sampled_from([("", ""), ("**", "**"), ("*", "*"), ("`", "`"), ("[", "](/glossary/)")])


@given(before=JAPANESE_TEXT, after=JAPANESE_TEXT, left=WRAPS, right=WRAPS)
def test_a_line_break_between_japanese_characters_is_dropped(before, after, left, right):
    html = render(f"{left[0]}{before}{left[1]}\n{right[0]}{after}{right[1]}")
    assert text_of(html) == before + after


@given(words=st.lists(LATIN_WORD, min_size=2, max_size=5))
def test_a_line_break_between_latin_words_stays_a_space(words):
    html = render("\n".join(words))
    assert text_of(html).split() == words


@given(japanese=JAPANESE_TEXT, word=LATIN_WORD, japanese_first=st.booleans())
def test_a_line_break_between_japanese_and_latin_stays(japanese, word, japanese_first):
    first, second = (japanese, word) if japanese_first else (word, japanese)
    assert text_of(render(f"{first}\n{second}")) == f"{first}\n{second}"


def test_hangul_keeps_its_spaces():
    assert render("한국어\n문장") == "<p>한국어\n문장</p>"


def test_hard_breaks_and_code_blocks_keep_their_line_breaks():
    assert render("一行目  \n二行目") == "<p>一行目<br>\n二行目</p>"
    assert render("```\n一行目\n二行目\n```") == "<pre><code>一行目\n二行目\n</code></pre>"


@pytest.mark.django_db
def test_preview_and_saved_page_join_japanese_lines_alike(editor):
    source = "経理は会社の\nお金を守る仕事です。"
    preview = logged_in(editor).post(MARKDOWNIFY, {"content": source})
    page = Page.objects.create(slug="home", title="ホーム", summary="要約", body=source)
    assert preview.content.decode() == page.body_html == "<p>経理は会社のお金を守る仕事です。</p>"


# --- 14. Nested lists -----------------------------------------------------------------


def test_a_list_indented_by_two_spaces_nests():
    assert render("- 経理\n  - 日次の仕訳\n  - 月次決算\n- 人事") == (
        "<ul>\n<li>経理\n<ul>\n<li>日次の仕訳</li>\n<li>月次決算</li>\n</ul>\n</li>\n"
        "<li>人事</li>\n</ul>"
    )


def test_a_numbered_list_nests_under_the_text_of_its_item():
    assert render("1. 経理\n   1. 日次の仕訳") == (
        "<ol>\n<li>経理\n<ol>\n<li>日次の仕訳</li>\n</ol>\n</li>\n</ol>"
    )


@st.composite
def outlines(draw):
    """Depths of the items of an outline: each item at most one level below the last."""
    depths = [0]
    for _ in range(draw(st.integers(0, 12))):
        depths.append(draw(st.integers(0, min(depths[-1] + 1, MAX_NESTING - 1))))
    return depths


@given(depths=outlines(), marker=st.sampled_from(["-", "*", "+"]))
def test_each_item_nests_as_deep_as_its_two_space_indent(depths, marker):
    source = "\n".join(f"{'  ' * depth}{marker} 項目{i}" for i, depth in enumerate(depths))
    assert list_depths(render(source)) == [depth + 1 for depth in depths]


# --- 21. Limits: too long or too deep is refused, never a crash or a hang -------------

PATHOLOGICAL = {
    "nested list markers": "* " * 20000 + "x",
    "nested brackets": "[" * 10000 + "](" * 5000,
    "nested quotes": "> " * 20000 + "x",
    "deep emphasis": "*" * 3000 + "x" + "*" * 3000,
}


@pytest.mark.parametrize("source", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_markdown_is_refused_with_a_message(source):
    with pytest.raises(ValidationError) as refused:
        render(source)
    assert refused.value.code in ("markdown_too_long", "markdown_too_deep")
    assert "してください" in refused.value.messages[0]


# The worst shapes we know for the parser, cut to the longest text accepted.
AT_THE_LIMIT = {
    "brackets": "[" * (MAX_MARKDOWN_CHARS * 2 // 3) + "](" * (MAX_MARKDOWN_CHARS // 6),
    "image openers": "![" * (MAX_MARKDOWN_CHARS // 2),
    "links": "[a](" * (MAX_MARKDOWN_CHARS // 4),
    "mixed delimiters": ("*a_" * (MAX_MARKDOWN_CHARS // 6)) + ("_b*" * (MAX_MARKDOWN_CHARS // 6)),
    "wide table": "|" + "a|" * 1500 + "\n|" + "-|" * 1500 + "\n|" + "x|" * 1500,
}


@pytest.mark.parametrize("source", AT_THE_LIMIT.values(), ids=AT_THE_LIMIT.keys())
def test_the_worst_known_inputs_within_the_length_limit_render_or_are_refused(source):
    assert len(source) <= MAX_MARKDOWN_CHARS
    try:
        assert render(source).startswith("<")
    except ValidationError as refused:
        assert refused.code == "markdown_too_deep"


def test_one_character_over_the_length_limit_is_refused():
    validate_markdown("あ" * MAX_MARKDOWN_CHARS)
    with pytest.raises(ValidationError, match=f"{MAX_MARKDOWN_CHARS:,} 文字以内"):
        validate_markdown("あ" * (MAX_MARKDOWN_CHARS + 1))


@given(depth=st.integers(1, MAX_NESTING + 3), kind=st.sampled_from(["quote", "list", "mixed"]))
def test_nesting_is_refused_past_the_limit_and_kept_up_to_it(depth, kind):
    prefix = {"quote": ["> "], "list": ["- "], "mixed": ["> ", "- "]}[kind]
    lines, indent = [], ""
    for level in range(depth):  # one container per level, each holding the next
        marker = prefix[level % len(prefix)]
        lines.append(f"{indent}{marker}段{level}")
        indent += "  " if marker == "- " else "> "
    source = "\n".join(lines)
    if depth > MAX_NESTING:
        with pytest.raises(ValidationError):
            render(source)
    else:
        assert f"段{depth - 1}" in render(source)


MARKDOWNISH = st.text(
    st.one_of(st.sampled_from("*_[]()!<>`#-+>|\\ \n\t:&;1."), st.characters()), max_size=400
)


@hypothesis_settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(source=MARKDOWNISH)
def test_any_text_renders_or_is_refused_and_never_raises_anything_else(source):
    try:
        html = render(source)
    except ValidationError as refused:
        assert refused.code == "markdown_too_deep"
    else:
        assert "<script" not in html


@pytest.mark.parametrize(
    "model, field", [(model, field) for model in MODELS for field in model.markdown_fields]
)
def test_every_markdown_field_refuses_what_is_too_deep(model, field):
    with pytest.raises(ValidationError) as refused:
        model(**{field: "* " * 1000 + "x"}).clean_fields()
    assert [e.code for e in refused.value.error_dict[field]] == ["markdown_too_deep"]


def test_the_loader_checks_every_markdown_key_the_models_render():
    assert {field for model in MODELS for field in model.markdown_fields} == MARKDOWN_KEYS


@pytest.mark.django_db
def test_preview_answers_a_japanese_message_not_a_500(editor):
    client = logged_in(editor)
    for source in PATHOLOGICAL.values():
        response = client.post(MARKDOWNIFY, {"content": source})
        assert response.status_code == 400
        assert response.content.decode().startswith("<p>プレビューできません。")


@pytest.mark.django_db
def test_saving_a_page_in_admin_shows_a_field_error(editor):
    page = Page.objects.create(slug="home", title="ホーム", summary="要約", body="本文")
    url = f"/admin/careers/page/{page.pk}/change/"
    data = {"slug": "home", "title": "ホーム", "summary": "要約", "body": "* " * 20000 + "x"}
    response = logged_in(editor).post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["body"] == [
        "長すぎます（40,001 文字）。10,000 文字以内にしてください。"
    ]
    page.refresh_from_db()
    assert page.body == "本文"


def test_the_loader_reports_the_file_and_line(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(settings.BASE_DIR / "content", root)
    role = root / "roles" / "back" / "accounting-finance.md"
    text = role.read_text(encoding="utf-8").replace(
        "career_path: |\n", "career_path: |\n  " + "> " * 50 + "x\n", 1
    )
    role.write_text(text + "\n" + "- " * 50 + "x\n", encoding="utf-8")
    lines = text.split("\n")
    with pytest.raises(ContentError) as refused:
        read_tree(root)
    too_deep = (
        f"リスト・引用や、強調・リンクの入れ子が深すぎます。{MAX_NESTING} 段までにしてください。"
    )
    assert [str(problem) for problem in refused.value.problems] == [
        f"content/roles/back/accounting-finance.md:{lines.index('---', 1) + 2}: 本文: {too_deep}",
        f"content/roles/back/accounting-finance.md:{lines.index('career_path: |') + 1}: "
        f"'career_path': {too_deep}",
    ]


# --- Helpers ----------------------------------------------------------------------------


class _Structure(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text, self.open_lists, self.item_depths = [], 0, []

    def handle_starttag(self, tag, attrs):
        if tag in ("ul", "ol"):
            self.open_lists += 1
        elif tag == "li":
            self.item_depths.append(self.open_lists)

    def handle_endtag(self, tag):
        if tag in ("ul", "ol"):
            self.open_lists -= 1

    def handle_data(self, data):
        self.text.append(data)


def text_of(html):
    parser = _Structure()
    parser.feed(html)
    return "".join(parser.text)


def list_depths(html):
    """How many lists enclose each item, in document order."""
    parser = _Structure()
    parser.feed(html)
    return parser.item_depths


@pytest.fixture
def editor(db):
    call_command("setup_groups", stdout=io.StringIO())
    user = User.objects.create_user("editor", password="correct-horse-battery", is_staff=True)
    user.groups.add(Group.objects.get(name="編集者"))
    return user


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client
