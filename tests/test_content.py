"""content/ ↔ database: loading, validation, admin edits, the commands and export."""

import difflib
import re
import textwrap
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import Client

from careers.content import ContentError, export, load
from careers.markdown import render
from careers.models import Faq, Office, Page, Point, Role, Term
from tests.factories import OfficeFactory, PointFactory, RoleFactory

MODELS = (Office, Role, Point, Faq, Page, Term)

# A small valid tree. Texts are dedented; the first `---` is line 1 of each file.
OFFICE_MIDDLE = """\
    ---
    slug: middle
    name: ミドルオフィス
    catchphrase: 中間
    summary: 専門知識でフロントを支える部門です。
    order: 2
    published: true
    comparison:
      revenue: 間接的に貢献する
      customer_contact: 少ない
      expertise: 高め
      visibility: 見えにくい
      workstyle: 比較的安定
      entry: 経験が求められやすい
    merits:
      - title: 専門性が身につく
        body: |
          法律や金融の**知識**が身につきます。
      - title: 経営に関われる
        body: 分析や助言で関わります。
    demerits:
      - title: 板挟みになりやすい
        body: 調整役です。
      - title: 成果が見えにくい
        body: 数字で示しにくい仕事です。
    faqs:
      - question: 未経験でもなれますか？
        answer: アシスタント採用もあります。
      - question: 資格は必要ですか？
        answer: 必須ではありません。
    colour: purple
    icon: bridge
    ---
    ミドルオフィスの**本文**です。
"""
ROLE_RISK = """\
    ---
    slug: risk-management
    name: リスク管理
    summary: 損失の危険を予測する仕事です。
    order: 2
    published: true
    suited_for: |
      - 冷静な人
    career_path: |
      担当 → 責任者
    ---
    リスク管理の仕事内容です。

    ## 主な仕事

    - 市場の監視
"""
ROLE_LEGAL = """\
    ---
    slug: legal-compliance
    name: 法務・コンプライアンス
    summary: 契約書を確かめる仕事です。
    order: 1
    published: true
    ---
    法務の仕事内容です。
"""
PAGE_HOME = """\
    ---
    slug: home
    title: 自分に合う仕事を見つけよう
    summary: 三つの部門を紹介します。
    ---
    会社の仕事は三つの部門に分けられます。
"""
GLOSSARY = """\
    ---
    title: 用語集
    summary: 用語をまとめました。
    terms:
      - slug: compliance
        term: コンプライアンス
        reading: こんぷらいあんす
        definition: 法令遵守のことです。
      - slug: risk-management
        term: リスク管理
        reading: りすくかんり
        definition: 損失を予測して備えることです。
    ---
    用語の前置きです。
"""
VALID_TREE = {
    "offices/middle.md": OFFICE_MIDDLE,
    "roles/middle/risk-management.md": ROLE_RISK,
    "roles/middle/legal-compliance.md": ROLE_LEGAL,
    "pages/home.md": PAGE_HOME,
    "glossary.md": GLOSSARY,
}


def write_tree(root, files):
    """Write {relative path: text} under `root` (texts are dedented) and return `root`."""
    root = Path(root)
    for relative, text in files.items():
        path = root / relative
        if text is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def tree(tmp_path):
    """The valid tree, written to tmp_path/content (so problems read `content/...`)."""
    return write_tree(tmp_path / "content", VALID_TREE)


def snapshot():
    """Every row of every content table, for 'nothing changed' assertions."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}


def row_counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def actions(changes):
    return {change.label: change.action for change in changes}


# --- Loading a valid tree -----------------------------------------------------------


@pytest.mark.django_db
def test_valid_tree_loads_into_postgres_with_rendered_html(tree):
    changes = load(tree)

    assert {c.action for c in changes} == {"created"}
    assert row_counts() == {"Office": 1, "Role": 2, "Point": 4, "Faq": 2, "Page": 2, "Term": 2}

    office = Office.objects.get(slug="middle")
    assert office.name == "ミドルオフィス"
    assert office.comparison["revenue"] == "間接的に貢献する"
    assert office.body_html == "<p>ミドルオフィスの<strong>本文</strong>です。</p>"

    merits = list(office.points.filter(kind=Point.Kind.MERIT).order_by("order"))
    demerits = list(office.points.filter(kind=Point.Kind.DEMERIT).order_by("order"))
    assert [(p.order, p.title) for p in merits] == [(0, "専門性が身につく"), (1, "経営に関われる")]
    assert [(p.order, p.title) for p in demerits] == [
        (0, "板挟みになりやすい"),
        (1, "成果が見えにくい"),
    ]
    assert merits[0].body_html == "<p>法律や金融の<strong>知識</strong>が身につきます。</p>"
    assert [(f.order, f.question) for f in office.faqs.order_by("order")] == [
        (0, "未経験でもなれますか？"),
        (1, "資格は必要ですか？"),
    ]

    role = Role.objects.get(office=office, slug="risk-management")
    assert role.name == "リスク管理"
    assert "<p>リスク管理の仕事内容です。</p>" in role.body_html
    assert "<h2>主な仕事</h2>" in role.body_html
    assert role.suited_for_html == "<ul>\n<li>冷静な人</li>\n</ul>"
    assert role.career_path_html == "<p>担当 → 責任者</p>"
    assert role.skills == role.skills_html == ""
    assert role.synced_fingerprint

    assert (
        Page.objects.get(slug="home").body_html == "<p>会社の仕事は三つの部門に分けられます。</p>"
    )
    assert Page.objects.get(slug="glossary").title == "用語集"
    assert list(Term.objects.values_list("slug", "order")) == [
        ("compliance", 0),
        ("risk-management", 1),
    ]


@pytest.mark.django_db
def test_block_value_keeps_its_newline_when_it_is_the_last_key(tree):
    # career_path is the last front matter key of ROLE_RISK, suited_for is not:
    # both are `|` blocks and must be stored alike.
    load(tree)
    role = Role.objects.get(slug="risk-management")
    assert role.suited_for == "- 冷静な人\n"
    assert role.career_path == "担当 → 責任者\n"


@pytest.mark.django_db
def test_second_load_changes_nothing(tree):
    load(tree)
    before = snapshot()

    changes = load(tree)

    assert len(changes) == 7
    assert {c.action for c in changes} == {"unchanged"}
    assert snapshot() == before


@pytest.mark.django_db
def test_changed_file_updates_its_record_only(tree):
    load(tree)
    write_tree(tree, {"roles/middle/legal-compliance.md": ROLE_LEGAL.replace("法務・", "法務と")})

    changes = actions(load(tree))

    assert changes.pop("role:middle/legal-compliance") == "updated"
    assert set(changes.values()) == {"unchanged"}
    assert Role.objects.get(slug="legal-compliance").name == "法務とコンプライアンス"


@pytest.mark.django_db
def test_dry_run_writes_nothing(tree):
    changes = load(tree, dry_run=True)

    assert {c.action for c in changes} == {"created"}
    assert set(row_counts().values()) == {0}


# --- Invalid files -----------------------------------------------------------------


def _replace(text, old, new):
    assert old in text, old
    return text.replace(old, new, 1)


INVALID = {
    "missing required key": (
        {
            "roles/middle/risk-management.md": _replace(
                ROLE_RISK, "    summary: 損失の危険を予測する仕事です。\n", ""
            )
        },
        ["content/roles/middle/risk-management.md:2: 必須のキー 'summary' がありません"],
    ),
    "unknown key": (
        {
            "offices/middle.md": _replace(
                OFFICE_MIDDLE, "    catchphrase:", "    mascot: owl\n    catchphrase:"
            )
        },
        ["content/offices/middle.md:4: 未知のキー 'mascot'"],
    ),
    "unknown key in a merit": (
        {
            "offices/middle.md": _replace(
                OFFICE_MIDDLE,
                "    body: 分析や助言で関わります。",
                "    body: 分析や助言で関わります。\n        icon: star",
            )
        },
        ["content/offices/middle.md:21: メリット 2 件目: 未知のキー 'icon'"],
    ),
    "bad slug": (
        {
            "roles/middle/Risk_Management.md": _replace(
                ROLE_RISK, "slug: risk-management", "slug: Risk_Management"
            )
        },
        [
            "content/roles/middle/Risk_Management.md:2: "
            "スラッグ 'Risk_Management' は英小文字・数字・ハイフンで書いてください"
        ],
    ),
    "slug not matching the file name": (
        {
            "roles/middle/audit.md": _replace(
                ROLE_LEGAL, "slug: legal-compliance", "slug: internal-audit"
            )
        },
        [
            "content/roles/middle/audit.md:2: "
            "スラッグ 'internal-audit' とファイル名 'audit.md' を一致させてください"
        ],
    ),
    "duplicate slug": (
        {"glossary.md": _replace(GLOSSARY, "slug: risk-management", "slug: compliance")},
        ["content/glossary.md:1: スラッグ 'compliance' が content/glossary.md と重複しています"],
    ),
    "role under an unknown office": (
        {"roles/sideways/legal-compliance.md": ROLE_LEGAL},
        [
            "content/roles/sideways/legal-compliance.md:1: "
            "部門 'sideways' がありません（content/offices/ を確認）"
        ],
    ),
    "YAML syntax error": (
        {
            "roles/middle/risk-management.md": _replace(
                ROLE_RISK, "summary: 損失の", "summary: 損失: の"
            )
        },
        [
            "content/roles/middle/risk-management.md:4: "
            "YAML を読めません: mapping values are not allowed here"
        ],
    ),
    "missing opening front matter delimiter": (
        {"pages/home.md": _replace(PAGE_HOME, "    ---\n    slug", "    slug")},
        ["content/pages/home.md:1: 先頭行は '---'（フロントマターの開始）にしてください"],
    ),
    "missing closing front matter delimiter": (
        {"pages/home.md": _replace(PAGE_HOME, "    ---\n    会社", "    会社")},
        ["content/pages/home.md:1: フロントマターを閉じる '---' がありません"],
    ),
    "wrong type": (
        {"roles/middle/risk-management.md": _replace(ROLE_RISK, "order: 2", 'order: "one"')},
        ["content/roles/middle/risk-management.md:5: 'order' の値の型が違います"],
    ),
    "boolean for a number": (
        {"roles/middle/risk-management.md": _replace(ROLE_RISK, "order: 2", "order: true")},
        ["content/roles/middle/risk-management.md:5: 'order' の値の型が違います"],
    ),
    "a list key that is not a list": (
        {
            "offices/middle.md": _replace(
                OFFICE_MIDDLE, "    faqs:\n", "    faqs: 3\n    old_faqs:\n"
            )
        },
        [
            "content/offices/middle.md:27: 未知のキー 'old_faqs'",
            "content/offices/middle.md:26: 'faqs' の値の型が違います",
        ],
    ),
    "empty name": (
        {
            "roles/middle/legal-compliance.md": _replace(
                ROLE_LEGAL, "name: 法務・コンプライアンス", 'name: ""'
            )
        },
        ["content/roles/middle/legal-compliance.md:3: 'name' が空です"],
    ),
    "merit missing its title": (
        {
            "offices/middle.md": _replace(
                OFFICE_MIDDLE, "  - title: 経営に関われる\n        body:", "  - body:"
            )
        },
        ["content/offices/middle.md:19: メリット 2 件目: 必須のキー 'title' がありません"],
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("files, expected", INVALID.values(), ids=INVALID.keys())
def test_invalid_file_is_reported_with_path_and_line_and_changes_nothing(tree, files, expected):
    # A valid edit elsewhere in the same tree must not be written either.
    valid_edit = {"pages/home.md": PAGE_HOME.replace("見つけよう", "探そう")}
    if "pages/home.md" in files:
        valid_edit = {"roles/middle/legal-compliance.md": ROLE_LEGAL.replace("法務・", "法務と")}

    # On an empty database: nothing is created.
    write_tree(tree, files | valid_edit)
    with pytest.raises(ContentError) as error:
        load(tree)
    assert [str(problem) for problem in error.value.problems] == expected
    assert str(error.value) == "\n".join(expected)
    assert set(row_counts().values()) == {0}

    # Over a loaded valid tree: nothing is changed.
    fresh = write_tree(tree.parent / "valid" / "content", VALID_TREE)
    load(fresh)
    before = snapshot()
    with pytest.raises(ContentError):
        load(tree)
    with pytest.raises(ContentError):
        load(tree, force=True)
    assert snapshot() == before


@pytest.mark.django_db
def test_every_problem_of_a_tree_is_reported_at_once(tree):
    write_tree(
        tree,
        {
            "offices/middle.md": _replace(OFFICE_MIDDLE, "order: 2", "order: two"),
            "roles/middle/risk-management.md": _replace(ROLE_RISK, "name: リスク管理", 'name: " "'),
        },
    )
    with pytest.raises(ContentError) as error:
        load(tree)
    assert [str(p) for p in error.value.problems] == [
        "content/offices/middle.md:6: 'order' の値の型が違います",
        "content/roles/middle/risk-management.md:3: 'name' が空です",
    ]


# --- Records edited in admin --------------------------------------------------------


@pytest.mark.django_db
def test_admin_edit_is_kept_unless_forced(tree):
    load(tree)
    role = Role.objects.get(slug="risk-management")
    role.name = "リスク管理（管理画面）"
    role.save()
    write_tree(
        tree,
        {
            "roles/middle/risk-management.md": ROLE_RISK.replace(
                "name: リスク管理", "name: リスク管理（ファイル）"
            )
        },
    )

    changes = actions(load(tree))

    assert changes.pop("role:middle/risk-management") == "kept"
    assert set(changes.values()) == {"unchanged"}
    assert Role.objects.get(pk=role.pk).name == "リスク管理（管理画面）"

    # Kept again on the next run: the loader does not forget the edit.
    assert actions(load(tree))["role:middle/risk-management"] == "kept"

    changes = actions(load(tree, force=True))

    assert changes["role:middle/risk-management"] == "updated"
    assert Role.objects.get(pk=role.pk).name == "リスク管理（ファイル）"
    assert {c.action for c in load(tree)} == {"unchanged"}


@pytest.mark.django_db
def test_admin_edit_of_a_merit_keeps_the_office(tree):
    load(tree)
    point = Point.objects.get(title="経営に関われる")
    point.title = "経営の判断に関われる"
    point.save()

    assert actions(load(tree))["office:middle"] == "kept"
    assert Point.objects.filter(title="経営の判断に関われる").exists()

    assert actions(load(tree, force=True))["office:middle"] == "updated"
    assert Point.objects.filter(title="経営に関われる").exists()
    assert not Point.objects.filter(title="経営の判断に関われる").exists()


@pytest.mark.django_db
def test_admin_edit_matching_the_file_is_unchanged(tree):
    load(tree)
    role = Role.objects.get(slug="legal-compliance")
    role.name = "法務とコンプライアンス"
    role.save()
    write_tree(tree, {"roles/middle/legal-compliance.md": ROLE_LEGAL.replace("法務・", "法務と")})

    assert actions(load(tree))["role:middle/legal-compliance"] == "unchanged"


# --- The management commands --------------------------------------------------------


def run_command(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_load_content_dry_run_writes_nothing(tree):
    out, err = run_command("load_content", "--path", str(tree), "--dry-run")

    assert set(row_counts().values()) == {0}
    assert "content/roles/middle/risk-management.md: role:middle/risk-management を作成" in out
    assert "[dry-run] 作成 7 件、更新 0 件、変更なし 0 件、保持 0 件。" in out
    assert err == ""


@pytest.mark.django_db
def test_load_content_then_nothing_to_change(tree):
    out, _ = run_command("load_content", "--path", str(tree))
    assert "作成 7 件" in out
    assert Role.objects.count() == 2
    assert "変更はありません" not in out

    out, err = run_command("load_content", "--path", str(tree))

    assert "変更はありません（作成 0 件、更新 0 件、変更なし 7 件、保持 0 件）。" in out
    assert err == ""


@pytest.mark.django_db
def test_load_content_invalid_tree_fails_listing_problems(tree):
    write_tree(
        tree,
        {
            "offices/middle.md": _replace(
                OFFICE_MIDDLE, "    catchphrase:", "    mascot: owl\n    catchphrase:"
            ),
            "roles/middle/legal-compliance.md": _replace(ROLE_LEGAL, "order: 1", 'order: "one"'),
        },
    )
    err = StringIO()

    with pytest.raises(CommandError, match="2 件の問題があるため、何も変更していません。"):
        call_command("load_content", "--path", str(tree), stdout=StringIO(), stderr=err)

    assert err.getvalue().splitlines() == [
        "content/offices/middle.md:4: 未知のキー 'mascot'",
        "content/roles/middle/legal-compliance.md:5: 'order' の値の型が違います",
    ]
    assert set(row_counts().values()) == {0}


@pytest.mark.django_db
def test_load_content_warns_about_kept_admin_edit(tree):
    load(tree)
    Role.objects.filter(slug="risk-management").update(name="管理画面で編集")

    out, err = run_command("load_content", "--path", str(tree))

    assert "role:middle/risk-management は管理画面で編集されているため上書きしません" in err
    assert "保持 1 件" in out
    assert Role.objects.get(slug="risk-management").name == "管理画面で編集"


# --- Export ---------------------------------------------------------------------------

REPO_CONTENT = settings.BASE_DIR / "content"


def content_files(root):
    """The files the loader reads (README.md and other files are not content records)."""
    root = Path(root)
    paths = [
        *root.glob("offices/*.md"),
        *root.glob("roles/*/*.md"),
        *root.glob("pages/*.md"),
        *root.glob("glossary.md"),
        *root.glob("diagnosis.md"),
    ]
    return sorted(path.relative_to(root).as_posix() for path in paths)


@pytest.mark.django_db
def test_export_then_load_round_trips_a_tree(tree, tmp_path):
    load(tree)
    out = tmp_path / "exported"

    written = export(out)

    assert sorted(p.relative_to(out).as_posix() for p in written) == content_files(tree)
    before = snapshot()
    assert {c.action for c in load(out)} == {"unchanged"}
    assert snapshot() == before


def test_export_reproduces_the_real_content_byte_for_byte(real_content, tmp_path):
    written = export(tmp_path)

    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == content_files(
        REPO_CONTENT
    )
    differing = {}
    for name in content_files(REPO_CONTENT):
        ours, theirs = (REPO_CONTENT / name).read_text(), (tmp_path / name).read_text()
        if ours != theirs:
            diff = difflib.unified_diff(
                ours.splitlines(), theirs.splitlines(), f"content/{name}", "exported", lineterm=""
            )
            differing[name] = "\n".join(list(diff)[:12])
    assert not differing, "\n\n".join(differing.values())


# --- The real content -----------------------------------------------------------------


def test_real_content_covers_offices_roles_points_and_pages(real_content):
    assert list(Office.objects.published().values_list("slug", flat=True)) == [
        "front",
        "middle",
        "back",
    ]
    roles = {
        office: sorted(Role.objects.filter(office__slug=office).values_list("slug", flat=True))
        for office in ("front", "middle", "back")
    }
    assert roles == {
        "front": ["retail", "sales"],
        "middle": ["legal-compliance", "risk-management", "sales-planning"],
        "back": ["accounting-finance", "general-affairs", "hr-labor", "it-systems"],
    }
    assert Role.objects.published().count() == 9
    for office in Office.objects.all():
        merits = office.points.filter(kind=Point.Kind.MERIT).count()
        demerits = office.points.filter(kind=Point.Kind.DEMERIT).count()
        if office.slug == "front":
            assert merits >= 1 and demerits >= 1
        else:
            assert (merits, demerits) == (3, 3), office.slug
    assert set(Page.objects.values_list("slug", flat=True)) >= {"home", "career-agent"}
    for model, fields in ((Office, ["body_html"]), (Role, ["body_html"]), (Page, ["body_html"])):
        for record in model.objects.all():
            for name in fields:
                assert getattr(record, name).startswith("<"), (record, name)


def test_real_content_loads_again_unchanged(real_content):
    assert {c.action for c in load(REPO_CONTENT, dry_run=True)} == {"unchanged"}


# --- Sanitising -----------------------------------------------------------------------

DANGEROUS = {
    "script": ("<script>alert(1)</script>\n\n安全な段落", ["<script", "alert(1)"]),
    "img onerror": ('<img src=x onerror="alert(1)">\n\n安全な段落', ["<img", "onerror", "alert"]),
    "javascript link": ("[x](javascript:alert(1))\n\n安全な段落", ["javascript:", "alert"]),
    "raw javascript anchor": (
        '<a href="javascript:alert(1)">x</a>\n\n安全な段落',
        ["javascript:", "alert"],
    ),
}


@pytest.mark.parametrize("source, forbidden", DANGEROUS.values(), ids=DANGEROUS.keys())
def test_renderer_strips_dangerous_markup(source, forbidden):
    html = render(source)
    assert "<p>安全な段落</p>" in html
    for needle in forbidden:
        assert needle not in html


@pytest.mark.django_db
@pytest.mark.parametrize("source, forbidden", DANGEROUS.values(), ids=DANGEROUS.keys())
def test_dangerous_markdown_never_reaches_the_served_page(tree, source, forbidden):
    body = "    " + source.replace("\n", "\n    ")
    write_tree(
        tree,
        {"roles/middle/legal-compliance.md": ROLE_LEGAL.replace("    法務の仕事内容です。", body)},
    )
    load(tree)
    role = Role.objects.get(slug="legal-compliance")
    role.suited_for = source  # an admin edit goes through the same renderer
    role.save()
    point = PointFactory(office=role.office, body=source)

    response = Client().get("/offices/middle/legal-compliance/")
    office_page = Client().get("/offices/middle/")

    assert response.status_code == office_page.status_code == 200
    assert "安全な段落" in role.body_html and "安全な段落" in point.body_html
    for needle in forbidden:
        assert needle not in role.body_html
        assert needle not in role.suited_for_html
        assert needle not in point.body_html
        assert needle not in without_jsonld(response.content.decode())
        assert needle not in without_jsonld(office_page.content.decode())


def without_jsonld(html):
    """The page without its JSON-LD data blocks (the only <script> elements a page may have)."""
    return re.sub(r'<script type="application/ld\+json"[^>]*>.*?</script>', "", html, flags=re.S)


@pytest.mark.django_db
def test_plain_text_fields_are_escaped_on_the_page():
    role = RoleFactory(summary="<script>alert(1)</script>")
    response = Client().get(role.get_absolute_url())
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- Database constraints -------------------------------------------------------------


@pytest.mark.django_db
def test_role_slug_is_unique_within_an_office():
    role = RoleFactory(slug="sales")
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleFactory(office=role.office, slug="sales")
    other = RoleFactory(office=OfficeFactory(slug="middle"), slug="sales")
    assert Role.objects.filter(slug="sales").count() == 2
    assert other.office != role.office


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make",
    [
        lambda: RoleFactory(name=""),
        lambda: RoleFactory(slug=""),
        lambda: OfficeFactory(name=""),
        lambda: PointFactory(title=""),
    ],
    ids=["role name", "role slug", "office name", "point title"],
)
def test_empty_required_text_violates_a_check(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


@pytest.mark.django_db
def test_empty_name_update_violates_the_check():
    role = RoleFactory()
    with pytest.raises(IntegrityError, match="role_name_not_empty"), transaction.atomic():
        Role.objects.filter(pk=role.pk).update(name="")
    assert Role.objects.get(pk=role.pk).name == role.name


@pytest.mark.django_db
def test_point_kind_outside_the_choices_violates_the_check():
    point = PointFactory(kind=Point.Kind.DEMERIT)
    with pytest.raises(IntegrityError, match="point_kind_valid"), transaction.atomic():
        Point.objects.filter(pk=point.pk).update(kind="other")
    assert Point.objects.get(pk=point.pk).kind == "demerit"


@pytest.mark.django_db
def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
