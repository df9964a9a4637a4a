"""Several communes at once: exact roll-up, ranking, merge, and --jobs identity."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import dxcheck
from dxcheck.api import evaluate_file, merge
from dxcheck_synth import records
from dxcheck_synth.report import ReportSheet, write_workbook

PACKS = ["binh-minh-2030", "hoang-son-2030"]


@pytest.fixture(scope="module")
def communes(tmp_path_factory) -> list[Path]:
    """Three communes' dossier lists (report style) plus one commune's staff list."""
    folder = tmp_path_factory.mktemp("communes")
    paths = []
    for index, (count, style) in enumerate([(400, "igate"), (250, "viettel"), (300, "igate")]):
        # each commune's one-stop codes carry its own agency code, as real ones do: `combine`
        # below would otherwise take one commune's dossier for a copy of another's
        frame = records.dossiers(count, "2026-10", seed=index + 11, style=style, code_prefix=f"H27.{index + 11}")
        path = folder / f"xa-{index + 1}.xlsx"
        write_workbook(path, [ReportSheet(name="Hồ sơ", frame=frame, title="DANH SÁCH HỒ SƠ")])
        paths.append(path)
    staff = folder / "can-bo.xlsx"
    write_workbook(staff, [ReportSheet(name="Cán bộ", frame=records.staff(12, seed=3), title="DANH SÁCH CÁN BỘ",
                                       total_row=False)])
    return [*paths, staff]


def by_id(result) -> dict:
    return {item.id: item for item in result.results}


def test_rollup_equals_the_rules_on_the_concatenated_data(communes):
    dossier_files = communes[:3]
    grouped = dxcheck.evaluate(dossier_files, rules=PACKS, period="2026-10", group_by="file", timestamp=False)
    together = dxcheck.evaluate(dossier_files, rules=PACKS, period="2026-10", group_by="combine", timestamp=False)
    assert len(grouped.units) == 3 and not together.units
    checked = 0
    for rule_id, rolled in by_id(grouped).items():
        concatenated = by_id(together)[rule_id]
        if concatenated.measurement is None or concatenated.measurement.kind == "declared":
            continue
        checked += 1
        assert (rolled.numerator, rolled.denominator) == (concatenated.numerator, concatenated.denominator), rule_id
        assert rolled.value == pytest.approx(concatenated.value), rule_id
        assert (rolled.status, rolled.shortfall, rolled.display_value) == (
            concatenated.status, concatenated.shortfall, concatenated.display_value), rule_id
        assert (rolled.details.get("used"), rolled.details.get("base")) == (
            concatenated.details.get("used"), concatenated.details.get("base")), rule_id
        # and the roll-up is the sum of the units, never an average of their percentages
        unit_values = [next(r for r in unit.results if r.id == rule_id) for unit in grouped.units]
        if rolled.denominator is not None:
            assert rolled.denominator == sum(item.denominator or 0 for item in unit_values)
        if rolled.breakdown:
            assert {g.group: (g.numerator, g.denominator) for g in rolled.breakdown} == {
                g.group: (g.numerator, g.denominator) for g in concatenated.breakdown}
    assert checked >= 10


def test_ranking_orders_units_by_value(communes):
    result = dxcheck.evaluate(communes[:3], rules=["binh-minh-2030"], period="2026-10", timestamp=False)
    assert len(result.units) == 3  # auto: the same dataset in several files means several communes
    ranking = result.ranking["binh-minh-2030/online-dossiers"]
    values = [entry.value for entry in ranking]
    assert values == sorted(values, reverse=True)
    assert [entry.rank for entry in ranking] == [1, 2, 3]
    # every file's banner names the same commune: each is told apart by its file name
    assert {entry.unit for entry in ranking} == {f"Xã Hoàng Sơn ({path.name})" for path in communes[:3]}


def test_auto_combines_one_communes_files_of_different_datasets(communes):
    result = dxcheck.evaluate([communes[0], communes[3]], rules=["binh-minh-2030"], period="2026-10",
                              timestamp=False)
    assert not result.units and not result.ranking
    assert by_id(result)["binh-minh-2030/staff-digital-signature"].status in ("pass", "fail")
    assert by_id(result)["binh-minh-2030/online-dossiers"].status in ("pass", "fail")


def test_merge_is_exact_associative_and_matches_evaluate(communes):
    parts = [evaluate_file(path, rules=["binh-minh-2030"], period="2026-10", timestamp=False)
             for path in communes[:3]]
    left = merge(merge(parts[0], parts[1]), parts[2])
    flat = merge(*parts)
    direct = dxcheck.evaluate(communes[:3], rules=["binh-minh-2030"], period="2026-10", group_by="file",
                              timestamp=False)
    assert left.to_json() == flat.to_json() == direct.to_json()


def test_jobs_give_identical_results(communes):
    one = dxcheck.evaluate(communes[:3], rules=PACKS, period="2026-10", timestamp=False, jobs=1)
    two = dxcheck.evaluate(communes[:3], rules=PACKS, period="2026-10", timestamp=False, jobs=2)
    assert json.loads(one.to_json()) == json.loads(two.to_json())


def test_a_failing_commune_fails_the_run_even_if_the_rollup_passes(tmp_path):
    # a big commune above the satisfaction target hides a small one below it in the roll-up
    paths = []
    for name, count, satisfaction in (("lon", 2000, 0.99), ("nho", 100, 0.5)):
        frame = records.dossiers(count, "2026-10", seed=count, rates={"satisfaction": satisfaction})
        paths.append(tmp_path / f"{name}.xlsx")
        write_workbook(paths[-1], [ReportSheet(name="Hồ sơ", frame=frame, title="DANH SÁCH HỒ SƠ")])
    result = dxcheck.evaluate(paths, rules=["binh-minh-2030"], period="2026-10", timestamp=False)
    rolled = by_id(result)["binh-minh-2030/satisfaction"]
    small = next(r for r in result.units[1].results if r.id == "binh-minh-2030/satisfaction")
    assert rolled.status == "pass" and small.status == "fail"
    assert int(result.exit_code()) == 1


def test_every_format_shows_the_communes(communes):
    import io
    import xml.etree.ElementTree as ET

    import openpyxl

    from dxcheck.render import renderer

    result = dxcheck.evaluate(communes[:3], rules=["binh-minh-2030"], period="2026-10", timestamp=False, lang="en")
    names = [f"Xã Hoàng Sơn ({path.name})" for path in communes[:3]]  # named from their banners
    markdown = renderer("md")(result, lang="en")
    assert "By commune" in markdown and "Ranking per rule" in markdown
    assert all(name in markdown for name in names)
    html = renderer("html")(result, lang="en")
    assert "Ranking per rule" in html and all(name in html for name in names)
    root = ET.fromstring(renderer("junit")(result, lang="en"))
    suite_names = [suite.get("name") for suite in root]
    assert "binh-minh-2030" in suite_names
    assert all(f"binh-minh-2030 · {name}" in suite_names for name in names)
    book = openpyxl.load_workbook(io.BytesIO(renderer("xlsx")(result, lang="en")))
    ranking = book["Ranking"]
    assert sorted(ranking.cell(row=row, column=1).value for row in range(2, 5)) == sorted(names)
    terminal = renderer("terminal")(result)
    assert all(name in terminal for name in names)



def test_every_format_carries_the_shared_ranks(communes, tmp_path):
    """Two communes with the same exports tie on every rule: JSON, Excel, Markdown, HTML and the
    terminal each show the shared rank (1, 1, 3 or 1, 2, 2), none breaks the tie by listing order."""
    import io
    import shutil

    import openpyxl

    from dxcheck.render import renderer

    paths = [tmp_path / name for name in ("xa-1.xlsx", "xa-1-ban-sao.xlsx", "xa-2.xlsx")]
    for source, path in zip((communes[0], communes[0], communes[1]), paths):
        shutil.copy(source, path)
    result = dxcheck.evaluate(paths, rules=["binh-minh-2030"], period="2026-10", timestamp=False, lang="en")
    document = json.loads(renderer("json")(result, lang="en"))
    ranks = {rule: {entry["unit"]: entry["rank"] for entry in entries} for rule, entries in document["ranking"].items()}
    shared = [rule for rule, by_unit in ranks.items()
              if sorted(rank for rank in by_unit.values() if rank is not None) in ([1, 1, 3], [1, 2, 2])]
    assert shared, ranks  # the twins tie, the third commune differs
    book = openpyxl.load_workbook(io.BytesIO(renderer("xlsx")(result, lang="en")))
    sheet = book["Ranking"]
    header = [cell.value for cell in sheet[1]]
    names = {item.id: item.rule for item in result.results}
    for rule in shared:
        column = header.index(names[rule]) + 1
        assert header[column] == "Rank"
        in_book = {sheet.cell(row=row, column=1).value: sheet.cell(row=row, column=column + 1).value
                   for row in range(2, 5)}
        assert in_book == ranks[rule] and all(isinstance(rank, int) for rank in in_book.values())
    rule = shared[0]
    ordered = sorted(ranks[rule].items(), key=lambda pair: (pair[1], pair[0]))
    markdown = renderer("md")(result, lang="en")
    assert all(f"| {rank} | `{unit}` |" in markdown for unit, rank in ordered)
    html = renderer("html")(result, lang="en")
    assert all(f'<td class="center">{rank}</td><td class="wrap-any">{unit}</td>' in html for unit, rank in ordered)
    from rich.console import Console

    from dxcheck.render.terminal import render_to

    console = Console(width=400, color_system=None, force_terminal=False, record=True, file=io.StringIO())
    render_to(console, result)
    terminal = console.export_text()
    assert all(f"{rank}. {unit} " in terminal for unit, rank in ordered)


def test_a_commune_without_the_breakdown_column_is_a_group_of_its_own(tmp_path):
    """One commune's export has no `Lĩnh vực` column: its dossiers are in the province's figure, so
    the breakdown by field shows them in a group that says the column is missing, and the groups
    add up to the figure (they used to be in no group at all)."""
    result = _three_communes(tmp_path, rows=200, seed=31, lacking=2, columns=("Lĩnh vực",))
    rolled = by_id(result)["binh-minh-2030/online-dossiers"]
    third = next(r for r in result.units[2].results if r.id == rolled.id)
    assert rolled.breakdown_by == "linh_vuc" and third.breakdown_by is None
    groups = {group.group: (group.numerator, group.denominator) for group in rolled.breakdown}
    assert groups["(column not in the file)"] == (third.numerator, third.denominator)
    assert sum(n for n, _ in groups.values()) == rolled.numerator
    assert sum(d for _, d in groups.values()) == rolled.denominator


def test_a_rollup_over_some_communes_names_those_it_leaves_out(tmp_path):
    """One commune's export has no channel column (`Hình thức nộp`): it gives the online-dossier
    rules no figure, so the province's figure covers the other two only. The roll-up says so, and
    names the commune, in JSON and in the reports (it used to show the two communes' 100% alone)."""
    result = _three_communes(tmp_path, rows=150, seed=41, lacking=1, columns=("Hình thức nộp", "Kênh nộp"))
    rolled = by_id(result)["binh-minh-2030/online-dossiers"]
    second = next(r for r in result.units[1].results if r.id == rolled.id)
    assert second.status == "no_data" and rolled.status in ("pass", "fail")
    assert rolled.denominator == sum(next(r for r in unit.results if r.id == rolled.id).denominator
                                     for unit in (result.units[0], result.units[2]))
    partial = [remark for remark in rolled.remarks if remark.code == "rollup.partial"]
    assert [(r.params["measured"], r.params["total"]) for r in partial] == [(2, 3)]
    assert result.units[1].name in partial[0].message and result.units[0].name not in partial[0].message
    # a rule every commune measured says nothing of the kind
    on_time = by_id(result)["binh-minh-2030/on-time"]
    assert all(r.status in ("pass", "fail") for unit in result.units for r in unit.results if r.id == on_time.id)
    assert not [remark for remark in on_time.remarks if remark.code == "rollup.partial"]
    document = json.loads(result.to_json())
    shown = next(item for item in document["results"] if item["id"] == rolled.id)
    assert any(remark["code"] == "rollup.partial" for remark in shown["remarks"])
    # up to five communes are named, then an ellipsis
    from dxcheck.evaluation.rollup import MAX_UNITS_NAMED, rollup_rule

    measured = next(r for r in result.units[0].results if r.id == rolled.id)
    for names, shown_names in ((["b", "c"], "b, c"), (list("bcdef"), "b, c, d, e, f"),
                               (list("bcdefg"), "b, c, d, e, f, …")):
        assert MAX_UNITS_NAMED == 5
        [remark] = [r for r in rollup_rule([measured], 20, names).remarks if r.code == "rollup.partial"]
        assert remark.params == {"measured": 1, "total": 1 + len(names), "units": shown_names}


def _three_communes(tmp_path, rows: int, seed: int, lacking: int, columns: tuple[str, ...]):
    """Three communes' dossier lists evaluated side by side (Bình Minh's pack, in English); the
    commune at index `lacking` exports none of `columns`."""
    paths = []
    for index in range(3):
        frame = records.dossiers(rows, "2026-10", seed=index + seed, style="igate", code_prefix=f"H27.{index + seed}")
        if index == lacking:
            frame = frame.drop(columns=[column for column in frame.columns if column in columns])
        path = tmp_path / f"xa-{index + 1}.xlsx"
        write_workbook(path, [ReportSheet(name="Hồ sơ", frame=frame, title="DANH SÁCH HỒ SƠ")])
        paths.append(path)
    return dxcheck.evaluate(paths, rules=["binh-minh-2030"], period="2026-10", group_by="file", timestamp=False,
                            lang="en")
