"""Every sentence of content/ is our own: no run of RUN_LENGTH characters is shared with the
source articles in `<BASE_DIR>/../shared/source/*.txt` (shared/source/README.md: the site
takes the article's facts, never its sentences).

How characters are compared. The text is cut into characters with their combining marks
attached (so half-width ｶﾞ stays one character), each is NFKC-normalised and case-folded,
then every character whose Unicode general category is

- Z* (separators: spaces, U+2028/U+2029),
- C* (other: control characters such as newline and tab, format characters such as the
  zero-width space, unassigned code points),
- P* (punctuation: 、。「」・！？（）, ASCII punctuation such as Markdown's - * # [ ]) or
- S* (symbols: Markdown's | > +, ～, ＄, emoji)

is dropped. What remains are letters (L*: kanji, kana, the long-vowel mark ー, Latin),
marks (M*) and numbers (N*): the wording. So spaces, line breaks, punctuation, Markdown
markup, full/half width and letter case never hide a copy; a run of RUN_LENGTH remaining
characters found in both texts is a copy.
"""

import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

RUN_LENGTH = 20
IGNORED_CATEGORIES = ("Z", "C", "P", "S")
SOURCE_DIR = settings.BASE_DIR.parent / "shared" / "source"
CONTENT_DIR = settings.BASE_DIR / "content"
# Half-width (semi-)voiced sound marks: NFKC joins them to the kana before them.
HALF_WIDTH_MARKS = "\uff9e\uff9f"


class SourceMissing(Exception):
    """The source articles can't be read, so originality can't be checked."""


@dataclass(frozen=True)
class SharedRun:
    """A run of `content` (a file's text) that also appears in a source article.

    `line` is 1-based; `text` is the run as written in the file; `source` names the
    article and line the run's first RUN_LENGTH characters come from.
    """

    line: int
    text: str
    source: str


def _attaches(char):
    return (
        unicodedata.combining(char) != 0
        or unicodedata.category(char).startswith("M")
        or char in HALF_WIDTH_MARKS
    )


def normalise(text):
    """(compared characters, (start, end) offset in `text` of each): see the module docstring."""
    chars, spans = [], []
    start = 0
    for end in range(1, len(text) + 1):
        if end < len(text) and _attaches(text[end]):
            continue
        for char in unicodedata.normalize("NFKC", text[start:end]).casefold():
            if not unicodedata.category(char).startswith(IGNORED_CATEGORIES):
                chars.append(char)
                spans.append((start, end))
        start = end
    return "".join(chars), spans


def read_sources(directory):
    """{file name: text} of every `*.txt` in `directory`.

    Raises SourceMissing (message in Japanese and English) when the directory is missing or
    holds no `.txt` file: an absent source must fail the check, never pass it.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise SourceMissing(
            f"出典記事のフォルダ {directory} が見つかりません。shared/ をリポジトリの隣に置いてください"
            f"（CI ではコピー、作業ツリーではシンボリックリンク）。"
            f" / Source directory {directory} not found: put shared/ beside the repository."
        )
    texts = {
        path.name: path.read_text(encoding="utf-8") for path in sorted(directory.glob("*.txt"))
    }
    if not texts:
        raise SourceMissing(
            f"出典記事のフォルダ {directory} に .txt ファイルがありません。"
            f" / Source directory {directory} holds no .txt article."
        )
    return texts


def source_grams(texts):
    """{every RUN_LENGTH-character run of the normalised texts: "name:line" where it starts}."""
    grams = {}
    for name, text in texts.items():
        chars, spans = normalise(text)
        for i in range(len(chars) - RUN_LENGTH + 1):
            line = text.count("\n", 0, spans[i][0]) + 1
            grams.setdefault(chars[i : i + RUN_LENGTH], f"{name}:{line}")
    return grams


def shared_runs(content, grams):
    """The longest runs of `content` sharing RUN_LENGTH or more characters with `grams`,
    overlapping matches merged into one run, in order."""
    chars, spans = normalise(content)
    runs = []  # [first char, end char, source] in normalised positions
    for i in range(len(chars) - RUN_LENGTH + 1):
        source = grams.get(chars[i : i + RUN_LENGTH])
        if source is None:
            continue
        if runs and i <= runs[-1][1]:
            runs[-1][1] = i + RUN_LENGTH
        else:
            runs.append([i, i + RUN_LENGTH, source])
    return [
        SharedRun(
            line=content.count("\n", 0, spans[first][0]) + 1,
            text=content[spans[first][0] : spans[end - 1][1]],
            source=source,
        )
        for first, end, source in runs
    ]


def copies_in(root, grams):
    """["<path>:<line>: 「<run>」（出典 <article>:<line>）"] for every file under `root`."""
    found = []
    for path in sorted(p for p in Path(root).rglob("*") if p.is_file()):
        name = path.relative_to(Path(root).parent).as_posix()
        for run in shared_runs(path.read_text(encoding="utf-8"), grams):
            found.append(f"{name}:{run.line}: 「{run.text}」（出典 {run.source}）")
    return found


@pytest.fixture(scope="module")
def real_grams():
    try:
        return source_grams(read_sources(SOURCE_DIR))
    except SourceMissing as error:
        pytest.fail(str(error), pytrace=False)


def test_content_shares_no_run_with_the_source(real_grams):
    found = copies_in(CONTENT_DIR, real_grams)

    if found:
        pytest.fail(
            f"content/ に出典記事と同じ {RUN_LENGTH} 字以上の並びがあります"
            "（空白・句読点・記号は無視）。自分の言葉で書き直してください:\n" + "\n".join(found),
            pytrace=False,
        )


# --- The checker itself ---------------------------------------------------------------------

SOURCE = (
    "前置きの文です。\nミドルオフィスは、フロントオフィスの活動を専門的な知識で支える部門です。\n"
)


def test_a_planted_copy_is_reported_with_its_line_and_source():
    grams = source_grams({"article.txt": SOURCE})
    content = (
        "---\nslug: middle\n---\n\n自分の言葉の段落。\n\n"
        "ミドル オフィスは **フロントオフィス** の活動を、専門的な\n知識で支える部門です！\n"
    )

    [run] = shared_runs(content, grams)

    assert run.line == 7
    assert (
        run.text
        == "ミドル オフィスは **フロントオフィス** の活動を、専門的な\n知識で支える部門です"
    )
    assert run.source == "article.txt:2"


def test_width_and_case_differences_do_not_hide_a_copy():
    grams = source_grams({"a.txt": "ＣＲＭツールでデータを分析してｶﾞｲﾄﾞを作る仕事"})

    assert shared_runs("crmツールでデータを分析してガイドを作る仕事", grams)


def test_a_run_one_character_short_is_not_a_copy():
    text = "あいうえおかきくけこさしすせそたちつてとなにぬねの"
    grams = source_grams({"a.txt": text[: RUN_LENGTH + 2]})

    assert shared_runs("ん" + text[: RUN_LENGTH - 1] + "ん", grams) == []
    assert shared_runs("ん" + text[:RUN_LENGTH] + "ん", grams) == [
        SharedRun(line=1, text=text[:RUN_LENGTH], source="a.txt:1")
    ]


def test_our_own_rewording_is_not_a_copy():
    grams = source_grams({"article.txt": SOURCE})

    assert (
        shared_runs("ミドルオフィスは、専門知識を武器にフロントの仕事を後ろから支えます。", grams)
        == []
    )


# Some symbols normalise to letters (㍿ → 株式会社): those are wording, not noise.
IGNORABLE = st.characters(categories=["Zs", "Cc", "Cf", "Po", "Ps", "Pe", "Pd", "Sm", "So"]).filter(
    lambda char: normalise(char)[0] == ""
)
WORDING = st.text(st.characters(categories=["Lo", "Nd"]), min_size=RUN_LENGTH, max_size=40)


@given(wording=WORDING, noise=st.lists(st.tuples(st.integers(0, 40), IGNORABLE), max_size=15))
def test_whitespace_and_punctuation_never_hide_a_copy(wording, noise):
    grams = source_grams({"a.txt": wording})
    copied = list(wording)
    for position, char in noise:
        copied.insert(min(position, len(copied)), char)

    runs = shared_runs("".join(copied), grams)

    assert len(runs) == 1
    assert normalise(runs[0].text)[0] == normalise(wording)[0]


def test_a_copy_planted_in_the_real_content_fails_the_check(real_grams, tmp_path):
    planted = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, planted)
    middle = planted / "offices" / "middle.md"
    middle.write_text(
        middle.read_text()
        + "\nミドルオフィスはフロントオフィスの活動を専門的な知識で支える部門です。\n"
    )

    before = set(copies_in(CONTENT_DIR, real_grams))

    [found] = [line for line in copies_in(planted, real_grams) if line not in before]

    assert found.startswith("content/offices/middle.md:")
    assert "専門的な知識で支える部門です" in found


@pytest.mark.parametrize(
    "make, english",
    [(lambda tmp: tmp / "missing", "not found"), (lambda tmp: tmp, "holds no .txt article")],
)
def test_a_missing_source_fails_loudly(tmp_path, make, english):
    (tmp_path / "README.md").write_text("no articles here")

    with pytest.raises(
        SourceMissing, match=f"出典記事のフォルダ .* / Source directory .* {english}"
    ):
        read_sources(make(tmp_path))
