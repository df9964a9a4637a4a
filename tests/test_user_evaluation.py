"""What a user reads in an evaluation: a rule's status (pass, fail, no data), its percentage as
shown, its numerator and denominator, the shortfall, the failing records listed, the records
whose place the data cannot settle, the reason a rule has no data, and the lookup of a dossier's
procedure in the catalogue."""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction

import pytest

from user_kit import dossier, evaluate, loaded, rule, write_pack

OCTOBER = datetime(2026, 10, 10, 9)


def share_file(online: int, total: int, path: str = "data.xlsx"):
    return loaded([dossier(k, OCTOBER, online=k < online) for k in range(total)], path=path)


def report_file(received: float, online: float, path: str = "report.xlsx"):
    """A statistics report of one row: dossiers received, of which online."""
    return loaded([{"linh_vuc": "Tư pháp", "tiep_nhan": received, "truc_tuyen": online, "truc_tiep": 0.0,
                    "da_giai_quyet": 0.0}], dataset="thong_ke", path=path)


# --- the figure shown and the shortfall ------------------------------------------------------


def test_a_failing_share_just_below_the_target_is_never_shown_as_the_target(tmp_path):
    """9,899.6 of 10,000 cannot be: 98,996 of 100,000 against `>= 99` fails and shows 98.996."""
    result = evaluate(write_pack(tmp_path, ">=", "99"), [share_file(98996, 100000)], period="2026-10")
    item = rule(result, "online")
    assert item.status == "fail"
    assert item.display_value == "98.996"
    assert (item.numerator, item.denominator, item.shortfall) == (98996, 100000, 4)


# (op, limit, online of 1,000,000,000 in a report, status, shown): shares that six decimals
# cannot tell from the limit are cut toward the side of their status, never rounded onto it
FINE = [
    (">=", "100", 999_999_999, "fail", "99.999999"),
    (">", "50", 500_000_001, "pass", "50.000001"),
    ("<=", "50", 500_000_001, "fail", "50.000001"),
    ("<", "50", 499_999_999, "pass", "49.999999"),
    # 98.9999986%: six decimals do tell it from 99 once rounded (98.999999), not cut
    (">=", "99", 989_999_986, "fail", "98.999999"),
]


@pytest.mark.parametrize("op,limit,online,status,shown", FINE)
def test_a_share_closer_to_its_limit_than_six_decimals_shows_its_side(tmp_path, op, limit, online, status, shown):
    result = evaluate(write_pack(tmp_path, op, limit), [report_file(1e9, float(online))], period="2026-10")
    item = rule(result, "online-report")
    assert (item.status, item.display_value) == (status, shown)
    assert (item.numerator, item.denominator) == (online, 1e9)


@pytest.mark.parametrize("op,limit,online,status,needed,message", [
    ("<", "2.71", 271, "fail", None, "result.fail_unreachable"),
    ("<=", "2.71", 272, "fail", None, "result.fail_unreachable"),
    ("<=", "2.71", 271, "pass", 0, None),
    ("==", "12.34", 1234, "pass", 0, None),
    ("==", "12.34", 1235, "fail", None, "result.fail_unreachable"),
    (">=", "97.29", 9728, "fail", 1, "result.fail_shortfall"),
    (">", "100", 10000, "fail", None, "result.fail_unreachable"),
])
def test_shortfall_only_counts_records_that_could_still_turn_compliant(tmp_path, op, limit, online, status, needed,
                                                                      message):
    """An upper bound or exact target is not reached by more compliant records: no count is
    promised (`None`), and a passing rule needs none (0)."""
    result = evaluate(write_pack(tmp_path, op, limit), [share_file(online, 10000)], period="2026-10")
    item = rule(result, "online")
    assert (item.status, item.shortfall, item.message_code) == (status, needed, message)
    if needed:
        assert item.message_params == {"shortfall": needed, "row_of": "ho_so"}
