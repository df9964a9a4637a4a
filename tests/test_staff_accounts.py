"""Staff accounts and official e-mail (REFERENCE §4, staff-*): a cell holding an account name or
an e-mail address answers yes, an address outside the official mail system answers no and is
reported, and where the list carries use, hoang-son's "used effectively" / "used daily" targets
count only what was used in the period.

The lists are written as a commune office hands them over: a banner, a numbered header, a total
row and a signature block (`synth.report`).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import dxcheck
from dxcheck.datasets import FieldSpec, dataset, vocabulary
from dxcheck.evaluation.data import DatasetData, date_range
from dxcheck.load import load_file
from dxcheck.load.values import parse_bools
from dxcheck.messages import catalogue
from dxcheck_synth.report import ReportSheet, write_workbook

PACK = "hoang-son-2030"
TITLE = "DANH SÁCH CÁN BỘ, CÔNG CHỨC ĐƯỢC CẤP TÀI KHOẢN, HỘP THƯ CÔNG VỤ"


def _write(folder, frame: pd.DataFrame, name: str = "can-bo.xlsx"):
    path = folder / name
    written = write_workbook(path, [ReportSheet("Cán bộ", frame, title=TITLE, total_row=False)])[0]
    first = written.header_row + 2  # the header, then its numbering row (1 2 3 …)
    return path, first


def _results(path, period: str | None = "2026-10"):
    result = dxcheck.evaluate([path], rules=[PACK], period=period, timestamp=False)
    return {item.rule: item for item in result.results}, result


def _old_reading(cells: list, field: str) -> list[bool]:
    """The definition before: the same cells read as yes/no words only."""
    spec = dataset("can_bo").fields[field].model_copy(
        update={"yes_pattern": [], "no_pattern": [], "no_pattern_warning": None})
    return parse_bools(pd.Series(cells, dtype="string"), spec)[0].tolist()


ADDRESSES = pd.DataFrame({
    "Họ và tên": ["Nguyễn Văn An", "Lê Thị Bình", "Trần Văn Cường"],
    "Chức vụ": ["Chủ tịch UBND", "Công chức Văn phòng - Thống kê", "Công chức Tư pháp - Hộ tịch"],
    "Tên đăng nhập": ["an.nv", "hs.ltbinh", "ubnd_hoangson03"],
    "Thư điện tử công vụ": ["annv.hoangson@thanhhoa.gov.vn", "binhlt@hoangson.thanhhoa.gov.vn",
                            "cuongtv1988@gmail.com"],
})


def test_a_list_of_addresses_and_account_names_is_read_not_scored_zero(tmp_path):
    path, first = _write(tmp_path, ADDRESSES)
    by_rule, result = _results(path)
    email, account = by_rule["staff-official-email"], by_rule["staff-account"]
    # 3 staff; 2 hold a .gov.vn mailbox, 1 a gmail address: 2/3 = 66.67%
    assert (email.numerator, email.denominator) == (2, 3)
    assert email.value == pytest.approx(200 / 3) and email.status == "fail"
    # every staff member has an account name: 3/3
    assert (account.numerator, account.denominator, account.status) == (3, 3, "pass")
    # the old definition (yes/no words only) read none of these cells as yes: 0/3 on both
    assert _old_reading(ADDRESSES["Thư điện tử công vụ"].tolist(), "co_email_cong_vu") == [False] * 3
    assert _old_reading(ADDRESSES["Tên đăng nhập"].tolist(), "co_tai_khoan") == [False] * 3
    # the gmail address is named, with its row, never silently counted as no
    [warning] = [w for w in result.warnings if w.code == "load.not_official_email"]
    assert warning.field == "co_email_cong_vu" and warning.rows == [first + 2]
    assert "cuongtv1988@gmail.com" in warning.message
    # no use in the list: possession only, and the result says so
    assert email.measurement.index == 3 and account.measurement.index == 3
    assert "chưa kiểm tra được việc sử dụng" in email.message
    assert "chưa kiểm tra được việc sử dụng" in account.message


def test_yes_no_words_keep_their_meaning_and_other_text_is_reported(tmp_path):
    frame = pd.DataFrame({
        "Họ và tên": ["A", "B", "C", "D", "E", "F"],
        "Có tài khoản": ["Có", "Không", "Chưa cấp", "0", None, "Khác"],
        "Thư điện tử công vụ": ["x", "Không", "nguyenvanf", "chưa có", "anh.nt@thanhhoa.gov.vn", "f@hoangson"],
    })
    path, first = _write(tmp_path, frame)
    by_rule, result = _results(path)
    assert (by_rule["staff-account"].numerator, by_rule["staff-account"].denominator) == (1, 6)
    assert (by_rule["staff-official-email"].numerator, by_rule["staff-official-email"].denominator) == (2, 6)
    unknown = {w.field: w for w in result.warnings if w.code == "load.unknown_yes_no"}
    # `Khác` (a Vietnamese word, not an account name); a bare name and a half address in the
    # e-mail column (no address, so neither yes nor a rejected address)
    assert unknown["co_tai_khoan"].rows == [first + 5]
    assert unknown["co_email_cong_vu"].rows == [first + 2, first + 5]
    assert not [w for w in result.warnings if w.code == "load.not_official_email"]


USE = pd.DataFrame({
    "Họ và tên": ["Nguyễn Văn An", "Lê Thị Bình", "Trần Văn Cường", "Phạm Thị Dung"],
    "Tên đăng nhập": ["an.nv", "hs.ltbinh", "ubnd_hoangson03", "dungpt"],
    "Lần đăng nhập cuối": [dt.datetime(2026, 10, 30, 16, 5), dt.datetime(2026, 10, 1, 7, 45),
                           dt.datetime(2026, 8, 12, 9, 0), dt.datetime(2026, 11, 3, 8, 30)],
})


def test_use_in_the_period_restricts_the_accounts_that_count(tmp_path):
    path, first = _write(tmp_path, USE)
    by_rule, _ = _results(path)
    account = by_rule["staff-account"]
    # 4 accounts; Cường last signed in on 12/08, before October: 3/4 = 75%
    # (Dung's last sign-in, 03/11, is after October: she was still using it)
    assert (account.numerator, account.denominator) == (3, 4) and account.value == 75
    assert account.measurement.index == 1  # sign-in only
    assert [s.row for s in account.samples] == [first + 2]
    assert account.status == "fail"
    # the old definition, possession: the same accounts without their use pass at 4/4
    bare, _ = _write(tmp_path, USE.drop(columns="Lần đăng nhập cuối"), "khong-dang-nhap.xlsx")
    possession = _results(bare)[0]["staff-account"]
    assert (possession.numerator, possession.denominator, possession.status) == (4, 4, "pass")
    assert "chưa kiểm tra được" not in (account.message or "")
    # the same list for September: Cường's August sign-in still misses it, the rest are later
    september, _ = _results(path, "2026-09")
    assert september["staff-account"].numerator == 3
    # and for December nobody used the account within or after it
    december, _ = _results(path, "2026-12")
    assert december["staff-account"].numerator == 0


def test_documents_handled_count_as_use_when_the_sign_in_is_old_or_missing(tmp_path):
    frame = USE.assign(**{
        "Thư điện tử công vụ": ["an@thanhhoa.gov.vn", "binh@thanhhoa.gov.vn", "cuong@thanhhoa.gov.vn", "dung@gmail.com"],
        "Số văn bản đã xử lý": [0, 0, 14, 9],
        "Số thư đã gửi": [3, 0, 0, 20],
    })
    frame.loc[1, "Lần đăng nhập cuối"] = None  # Bình never signed in
    path, _ = _write(tmp_path, frame)
    by_rule, _ = _results(path)
    account, email = by_rule["staff-account"], by_rule["staff-official-email"]
    # accounts: An (signed in 30/10), Cường (14 documents though his sign-in is old), Dung
    # (signed in 03/11): 3/4; Bình neither signed in nor handled a document
    assert (account.numerator, account.denominator, account.measurement.index) == (3, 4, 0)
    # mailboxes: An (.gov.vn, signed in), Cường (.gov.vn, old sign-in, no mail sent: not used),
    # Bình (no sign-in, no mail), Dung (gmail: no official mailbox, however much she writes): 1/4
    assert (email.numerator, email.denominator, email.measurement.index) == (1, 4, 0)


def test_without_a_period_a_sign_in_does_not_date_the_data(tmp_path):
    path, _ = _write(tmp_path, USE)
    loaded = load_file(path)
    sheet = loaded.sheets[0]
    assert sheet.report.dataset == "can_bo" and "dang_nhap_cuoi" in sheet.report.fields
    data = DatasetData(name="can_bo", frame=sheet.data, present=set(sheet.data.columns))
    assert date_range({"can_bo": data}) == (None, None)
    # no period: every sign-in on record counts (the report says the period is "all")
    by_rule, result = _results(path, None)
    assert result.period.label == "all" and by_rule["staff-account"].numerator == 4


def test_every_rejection_message_is_in_both_catalogues():
    keys = {field.no_pattern_warning for spec in vocabulary().datasets.values()
            for field in spec.fields.values() if field.no_pattern_warning}
    assert keys == {"load.not_official_email"}
    for key in keys:
        assert key in catalogue("vi") and key in catalogue("en")


def test_every_pattern_is_valid_re2_and_only_on_yes_no_fields():
    import pyarrow as pa
    import pyarrow.compute as pc

    for spec in vocabulary().datasets.values():
        for field in spec.fields.values():
            for pattern in (*field.yes_pattern, *field.no_pattern):
                pc.match_substring_regex(pa.array(["x"]), f"^(?i:{pattern})$")
    with pytest.raises(ValueError, match="yes/no fields"):
        FieldSpec.model_validate({"type": "text", "headers": ["x"], "yes_pattern": ["a"]})
    with pytest.raises(ValueError, match="no_pattern_warning"):
        FieldSpec.model_validate({"type": "bool", "headers": ["x"], "no_pattern": ["a"]})
