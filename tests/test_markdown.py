"""The Markdown renderer: Japanese line breaks and nested lists, wherever Markdown
comes in (the loader, admin forms, model saves, the live preview)."""

import io
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from careers.markdown import render
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
        depths.append(draw(st.integers(0, min(depths[-1] + 1, 4))))
    return depths


@given(depths=outlines(), marker=st.sampled_from(["-", "*", "+"]))
def test_each_item_nests_as_deep_as_its_two_space_indent(depths, marker):
    source = "\n".join(f"{'  ' * depth}{marker} 項目{i}" for i, depth in enumerate(depths))
    assert list_depths(render(source)) == [depth + 1 for depth in depths]


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
