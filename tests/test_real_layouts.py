"""The layouts of real systems and official forms (tests/corpus/real_layouts.py), read with no `--map`.

For every layout × format: (a) recognised as its dataset, each column feeding its field; (b) every
row accounted for, the report furniture under its reason; (c) every rule the data can answer gives
the exact figure computed independently from the records as written; (d) the rules it cannot
answer are `no_data`; (e) xlsx, csv, xls and HTML-as-xls of a layout give identical results.
Cases that need work dxcheck has not done yet are strict expected failures naming what they need
(`Layout.needs`); remove a mark when that work lands.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent / "corpus"))

import real_layouts as L  # noqa: E402

import dxcheck  # noqa: E402
from dxcheck_synth import records as rec  # noqa: E402

_OUT: dict[str, Path] = {}


def _need(layout: L.Layout, aspect: str, fmt: str) -> str | None:
    for key in (f"{aspect}:{fmt}", aspect, f"format:{fmt}"):
        if key in layout.needs:
            return layout.needs[key]
    return None


def _cases(aspect: str, formats=L.FORMATS, only=lambda layout: True):
    for layout in L.LAYOUTS:
        if not only(layout):
            continue
        for fmt in formats:
            reason = _need(layout, aspect, fmt)
            marks = [pytest.mark.xfail(strict=True, reason="needs: " + reason)] if reason else []
            yield pytest.param(layout, fmt, id=f"{layout.name}-{fmt}", marks=marks)


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("real-layouts")


@cache
def _written(name: str, fmt: str, folder: str):
    layout = L.BY_NAME[name]
    suffix = {"html-xls": "-html.xls"}.get(fmt, "." + fmt)
    path = Path(folder) / f"{name}{suffix}"
    return path, L.write(layout, path, fmt)


@cache
def _evaluated(name: str, fmt: str, folder: str):
    path, _ = _written(name, fmt, folder)
    return dxcheck.evaluate([str(path)], period=L.PERIOD, timestamp=False)


def _run(layout: L.Layout, fmt: str, out_dir: Path):
    return _evaluated(layout.name, fmt, str(out_dir))


def _sheet(result):
    (sheet,) = [s for s in result.inputs[0].sheets if s.dataset]
    return sheet


# ----------------------------------------------------------------------------------------------
# the corpus itself


def test_every_layout_cites_its_source_and_is_documented():
    doc = (Path(__file__).parents[1] / "docs" / "real-layouts.md").read_text(encoding="utf-8")
    for layout in L.LAYOUTS:
        assert layout.source.strip(), layout.name
        assert layout.name in doc, f"{layout.name} is not listed in docs/real-layouts.md"
        assert layout.exact or layout.no_data, f"{layout.name} asserts no rule"


def test_writing_is_deterministic(tmp_path):
    for fmt in L.FORMATS:
        a, b = tmp_path / f"a-{fmt}.bin", tmp_path / f"b-{fmt}.bin"
        L.write(L.MAU_06, a, fmt)
        L.write(L.MAU_06, b, fmt)
        assert a.read_bytes() == b.read_bytes(), fmt


def test_truth_agrees_with_the_generators_own_oracle():
    """The records decoded here and `synth.records.dossier_figures` (decoding through the
    vocabulary) give the same on-time and online figures: neither decoding is wrong."""
    frame = rec.dossiers(900, L.PERIOD, seed=12, style="igate", commune="Hoàng Sơn", code_prefix="H56.22")
    oracle = rec.dossier_figures(frame, L.PERIOD)
    mine = L.dossier_truth(L.canonical_records(), channel=True, date_fmt=None, verdict=True)
    for key in ("on_time", "online"):
        assert mine[key] == (oracle[key]["numerator"], oracle[key]["denominator"]), key


@pytest.mark.parametrize("layout", [lay for lay in L.LAYOUTS if lay.dataset == "thong_ke" and "on_time" in
                                    lay.truth(lay.rows())], ids=lambda lay: lay.name)
def test_statistics_rows_add_up_to_the_dossiers_they_count(layout):
    """A statistics layout's own arithmetic gives the figures of the dossiers it aggregates."""
    dossiers = L._unit_dossiers() if layout.unit_column else L.canonical_records(*L.STATS_DOSSIERS)
    expected = L.dossier_truth(dossiers, channel=True, date_fmt=None, verdict=True)
    assert L.truth(layout) == expected


def test_statistics_rows_agree_with_the_generators_statistics_report():
    """This module's aggregation (from its own decoding) and `synth.records.statistics_report`
    (decoding through the vocabulary) count the same dossiers the same way, lĩnh vực by lĩnh vực."""
    n, seed = L.STATS_DOSSIERS
    frame = rec.dossiers(n, L.PERIOD, seed=seed, style="igate", commune="Hoàng Sơn", code_prefix="H56.22")
    theirs = rec.statistics_report(frame, L.PERIOD, style="igate")
    headers = rec._STAT_HEADERS["igate"]
    theirs = theirs.rename(columns={v: k for k, v in headers.items()}).set_index("linh_vuc").sort_index()
    mine = L.statistics_rows(L.canonical_records(n, seed)).set_index("linh_vuc").sort_index()
    assert mine[list(theirs.columns)].equals(theirs.astype(mine[list(theirs.columns)].dtypes))


def test_hand_over_dates_would_change_on_time():
    """The registers carry a hand-over date later than the result date, sometimes after the
    deadline: reading it as the result date would give a different (wrong) on-time figure."""
    rows = L._register_rows()
    right = L.dossier_truth(rows, channel=False, date_fmt=L._MAU06_DATE)["on_time"]
    wrong = L.dossier_truth(rows, result="ngay_tra", channel=False, date_fmt=L._MAU06_DATE)["on_time"]
    assert right != wrong


# ----------------------------------------------------------------------------------------------
# (a) recognised with no --map


@pytest.mark.parametrize("layout, fmt", list(_cases("recognised")))
def test_layout_is_recognised(layout, fmt, out_dir):
    sheet = _sheet(_run(layout, fmt, out_dir))
    assert sheet.dataset == layout.dataset
    for header, field in layout.fields.items():
        assert sheet.fields.get(field) == header, (field, sheet.fields.get(field), header)


# ----------------------------------------------------------------------------------------------
# (b) every row accounted for


@pytest.mark.parametrize("layout, fmt", list(_cases("rows")))
def test_rows_are_accounted_for(layout, fmt, out_dir):
    _, written = _written(layout.name, fmt, str(out_dir))
    sheet = _sheet(_run(layout, fmt, out_dir))
    left = dict(sheet.rows_left_out)
    assert sheet.header_row == written.header_row
    assert sheet.rows_used + sum(left.values()) == sheet.rows_total
    assert sheet.rows_used == written.records == len(layout.rows())
    assert left.pop("column_numbers", 0) == written.column_numbers
    assert left.pop("group", 0) == written.group
    assert left.pop("total", 0) == written.total
    assert left.pop("repeated_header", 0) == written.repeated_header
    # the signature block: its lines, and the blank lines before and inside it
    assert left.pop("signature", 0) + left.pop("blank", 0) == written.trailer
    assert left == {}


# ----------------------------------------------------------------------------------------------
# (c) exact figures, (d) no_data where the layout cannot answer


def _results(result) -> dict:
    return {r.id: r for r in result.results}


@pytest.mark.parametrize("layout, fmt", list(_cases("exact", only=lambda lay: bool(lay.exact))))
def test_answerable_rules_give_the_exact_figure(layout, fmt, out_dir):
    result = _run(layout, fmt, out_dir)
    truth = L.truth(layout)
    got = _results(result)
    for rule, key in layout.exact.items():
        assert got[rule].status in ("pass", "fail"), (rule, got[rule].status, got[rule].message)
        assert (got[rule].numerator, got[rule].denominator) == truth[key], rule
    if layout.unit_column:
        rows = layout.rows()
        units = {u.name: {r.id: r for r in u.results} for u in (result.units or [])}
        assert len(units) == len(rows)
        for i in range(len(rows)):
            name = layout.frame()[layout.unit_column].iloc[i]
            one = layout.truth(rows.iloc[[i]])
            for rule, key in layout.exact.items():
                assert (units[name][rule].numerator, units[name][rule].denominator) == one[key], (name, rule)


@pytest.mark.parametrize("layout, fmt", list(_cases("no_data", only=lambda lay: bool(lay.no_data))))
def test_rules_the_layout_cannot_answer_are_no_data(layout, fmt, out_dir):
    got = _results(_run(layout, fmt, out_dir))
    wrong = {rule: got[rule].status for rule in layout.no_data if got[rule].status != "no_data"}
    assert not wrong


# ----------------------------------------------------------------------------------------------
# (e) the same layout in every format gives the same results


def _fingerprint(result):
    sheet = _sheet(result)
    rows = (sheet.dataset, sheet.header_row, sheet.rows_total, sheet.rows_used, dict(sheet.rows_left_out),
            dict(sheet.fields))
    figures = [(r.id, r.status, r.numerator, r.denominator,
                None if r.value is None or np.isnan(r.value) else round(r.value, 9)) for r in result.results]
    return rows, figures


@pytest.mark.parametrize("layout, fmt", list(_cases("metamorphic", formats=L.FORMATS[1:])))
def test_formats_give_identical_results(layout, fmt, out_dir):
    assert _fingerprint(_run(layout, fmt, out_dir)) == _fingerprint(_run(layout, "xlsx", out_dir))
