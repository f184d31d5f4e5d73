"""CSV export of consultation requests."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from hypothesis import given
from hypothesis import strategies as st

from careers.admin.exports import csv_safe
from careers.japanese import nfkc
from careers.models import AccessLog, ConsultationRequest
from tests.admin.helpers import (
    REQUESTS,
    logged_in,
)
from tests.factories import (
    ConsultationRequestFactory,
    StaffFactory,
)


def test_csv_export_of_the_filtered_list(lead, real_content):
    new_one = ConsultationRequestFactory(
        name='=HYPERLINK("http://x")',
        message="a,b\n改行",
        phone="09012345678",
        interests=["middle/risk-management", "back"],
    )
    new_two = ConsultationRequestFactory(name="佐藤 次郎")
    ConsultationRequestFactory(name="対象外の人", status=ConsultationRequest.Status.CONTACTED)

    response = logged_in(lead).post(
        f"{REQUESTS}?status=new",
        {"action": "export_csv", "select_across": "1", "_selected_action": [new_one.pk]},
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["受付番号", "受付日時", "氏名", "ふりがな", "メールアドレス", "電話番号"]
    assert {row[0] for row in rows[1:]} == {new_one.reference, new_two.reference}
    names = {row[2] for row in rows[1:]}
    assert names == {'\'=HYPERLINK("http://x")', "佐藤 次郎"}
    # For Excel: the phone as text with its leading zero, interests in words.
    row = next(row for row in rows[1:] if row[0] == new_one.reference)
    header = rows[0]
    assert row[header.index("電話番号")] == "090-1234-5678"
    assert (
        row[header.index("興味のある部門・職種")]
        == "ミドルオフィス / リスク管理、バックオフィス全般"
    )
    logs = AccessLog.objects.filter(action="export")
    assert {log.request for log in logs} == {new_one, new_two}
    assert {log.user for log in logs} == {lead}


def test_csv_export_needs_the_export_permission(db, consultation):
    viewer = StaffFactory(username="viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_consultationrequest"))
    response = logged_in(viewer).post(
        REQUESTS, {"action": "export_csv", "_selected_action": [consultation.pk]}
    )
    assert response.status_code == 200  # the list again: no such action for this user
    assert response["Content-Type"].startswith("text/html")
    assert not AccessLog.objects.filter(action="export").exists()


# Every spelling of a formula sign: ASCII, full-width, small and other NFKC variants.
FORMULA_SIGNS = sorted(
    {chr(code) for code in range(0x110000) if nfkc(chr(code))[:1] in "=+-@" and nfkc(chr(code))}
    - {chr(code) for code in range(0xD800, 0xE000)}
)


@given(
    st.text(st.characters(categories=["Zs"]) | st.sampled_from(" \t\r\n"), max_size=3),
    st.sampled_from(FORMULA_SIGNS),
    st.text(max_size=20),
)
def test_a_cell_starting_with_any_formula_sign_is_neutralised(space, sign, rest):
    assert csv_safe(space + sign + rest) == "'" + space + sign + rest


@pytest.mark.parametrize("value", ["＝1+1", "＋81 90", "－1", "＠SUM(A1)", " =1", "\u3000＝1"])
def test_full_width_formula_signs_are_neutralised(value):
    assert csv_safe(value) == "'" + value


@given(st.text(max_size=20).filter(lambda text: nfkc(text.lstrip()[:1])[:1] not in "=+-@"))
def test_other_cells_are_left_as_typed(value):
    if value[:1] not in ("\t", "\r"):
        assert csv_safe(value) == value
