"""Edge inputs (issue 16, item 6): each case runs the real command line in its own process and
checks the exit code and the one-line message — never a traceback, never a hang, never rows lost
without a word (docs/limits-and-safety.md, "Edge inputs")."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dxcheck.errors import RulePackError
from dxcheck.load.edges import MAX_CELL_CHARS, check_cell_lengths
from dxcheck.packs.loader import load_pack

ROOT = Path(__file__).resolve().parents[1]
HEADER = "Họ và tên,Chức vụ,Đã bồi dưỡng kỹ năng số"
STAFF_PACK = """\
id: staff-only
title: {vi: "Cán bộ", en: "Staff"}
plan: {issuer: Xã Thử, document: KẾ HOẠCH thử, seed: plan.txt}
rules:
  - id: staff-trained
    title: {vi: "Cán bộ được bồi dưỡng", en: "Staff trained"}
    source: {section: "1", quote: "100% cán bộ được bồi dưỡng"}
    target: {op: ">=", value: TARGET}
    deadline: 2030
    measurements:
      - {dataset: can_bo, condition: da_boi_duong_so}
"""


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DXCHECK_")}
    return subprocess.run([sys.executable, "-m", "dxcheck", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=timeout, errors="backslashreplace")


def evaluate(path: Path | str, *extra: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return run("evaluate", str(path), "--lang", "en", "--format", "json", "--no-timestamp", *extra, timeout=timeout)


def refused(result: subprocess.CompletedProcess, *words: str) -> str:
    """The run stopped with exit 2 and one clear line naming `words`."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)
    return result.stderr


def staff_sheet(result: subprocess.CompletedProcess) -> dict:
    assert result.returncode in (0, 1), result.stderr
    document = json.loads(result.stdout)
    return document["inputs"][0]["sheets"][0]


def strict_json(text: str) -> dict:
    """JSON as any strict reader takes it: NaN and Infinity are no JSON."""
    def refuse(constant: str):
        raise AssertionError(f"{constant} in a JSON output")

    return json.loads(text, parse_constant=refuse)


# ---------------------------------------------------------------------------------------------
# a. an unterminated CSV quote


def test_an_unterminated_quote_is_an_input_error_naming_its_line(tmp_path):
    path = tmp_path / "can-bo.csv"
    path.write_text(f'{HEADER}\nNguyễn Văn An,Chủ tịch,Có\n"Trần Thị Bình,Công chức,Có\n'
                    "Lê Văn Cường,Công chức,Có\nPhạm Thị Dung,Công chức,Có\n", encoding="utf-8")
    message = refused(evaluate(path), "can-bo.csv", "line 3", "3 lines, to line 5", '("")')
    assert message.count("\n") == 1  # one line


def test_the_open_quote_is_found_after_a_closed_multi_line_field(tmp_path):
    path = tmp_path / "can-bo.csv"
    # the record of line 4 has a closed two-line name, then opens a quote on line 5
    path.write_text(f'{HEADER}\n"Nguyễn\nVăn An",Chủ tịch,Có\n"Trần\nThị Bình","Công chức\nVăn phòng,Có\n'
                    "Lê Văn Cường,Công chức,Có\n", encoding="utf-8")
    refused(evaluate(path), "line 5", "3 lines, to line 7")


def test_closed_quotes_and_a_literal_quote_in_the_text_are_read_whole(tmp_path):
    # an odd number of quotes (5" inside an unquoted field) with every quoted field closed
    path = tmp_path / "can-bo.csv"
    path.write_text(f'{HEADER}\n"Nguyễn Văn An","Chủ tịch, ""Bí thư""",Có\nTrần Thị Bình,Màn 5" ,Có\n'
                    '"Lê Văn\nCường",Công chức,Có\n', encoding="utf-8")
    sheet = staff_sheet(evaluate(path))
    assert sheet["rows_total"] == 3 and sheet["rows_used"] == 3


# ---------------------------------------------------------------------------------------------
# b. --sep and --encoding


@pytest.fixture
def staff_csv(tmp_path) -> Path:
    path = tmp_path / "can-bo.csv"
    path.write_text(f"{HEADER}\nNguyễn Văn An,Chủ tịch,Có\nTrần Thị Bình,Công chức,Không\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("sep", ["||", '"', "", "\n"])
def test_a_separator_that_is_not_one_character_is_a_usage_error(staff_csv, sep):
    refused(evaluate(staff_csv, "--sep", sep), "--sep", "tab")


@pytest.mark.parametrize("encoding", ["nonsense", "rot13", "base64"])
def test_an_unknown_or_non_text_encoding_is_a_usage_error(staff_csv, encoding):
    refused(evaluate(staff_csv, "--encoding", encoding), f"--encoding '{encoding}'", "cp1258")


def test_tab_is_accepted_by_name(tmp_path):
    path = tmp_path / "can-bo.tsv"
    path.write_text(HEADER.replace(",", "\t") + "\nNguyễn Văn An\tChủ tịch\tCó\n", encoding="utf-8")
    assert staff_sheet(evaluate(path, "--sep", "tab", "--encoding", "utf-8"))["rows_used"] == 1


# ---------------------------------------------------------------------------------------------
# c. special files: refused at once, never opened


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "can-bo.csv"
    os.mkfifo(fifo)
    refused(evaluate(fifo, timeout=60), "can-bo.csv", "FIFO")


def test_dev_zero_is_refused_without_reading_it():
    refused(evaluate("/dev/zero", timeout=60), "/dev/zero", "device")


def test_a_broken_symlink_is_named_as_such(tmp_path):
    link = tmp_path / "can-bo.csv"
    link.symlink_to(tmp_path / "gone.csv")
    refused(evaluate(link), "can-bo.csv", "gone.csv", "link")


# ---------------------------------------------------------------------------------------------
# d. long cells


def test_a_cell_over_the_csv_modules_own_limit_is_read(tmp_path):
    path = tmp_path / "can-bo.csv"
    path.write_text(f'{HEADER}\nNguyễn Văn An,"{"Chủ tịch " * 20_000}",Có\nTrần Thị Bình,Công chức,Có\n',
                    encoding="utf-8")  # 180,000 characters: over 128 KiB
    assert staff_sheet(evaluate(path))["rows_used"] == 2


def test_a_cell_over_the_cap_names_file_sheet_row_and_column(tmp_path):
    path = tmp_path / "can-bo.csv"
    path.write_text(f"{HEADER}\nNguyễn Văn An,Chủ tịch,Có\nTrần Thị Bình,{'x' * (MAX_CELL_CHARS + 1)},Có\n",
                    encoding="utf-8")
    refused(evaluate(path), "can-bo.csv", "sheet “can-bo”", "row 3", "column 2", str(MAX_CELL_CHARS))


def test_the_cap_applies_to_every_reader():
    import numpy as np
    import pandas as pd

    from dxcheck.errors import InputError

    columns = [pd.Series(["a", "b"], dtype=object), pd.Series([None, "y" * (MAX_CELL_CHARS + 1)], dtype=object)]
    with pytest.raises(InputError) as caught:
        check_cell_lengths("x.xlsx", "Cán bộ", columns, np.array([7, 9]), ["A", "B"])
    assert caught.value.params | {} == {"path": "x.xlsx", "sheet": "Cán bộ", "row": 9, "column": "B",
                                        "size": MAX_CELL_CHARS + 1, "limit": MAX_CELL_CHARS}
    check_cell_lengths("x.xlsx", "Cán bộ", [pd.Series(["y" * MAX_CELL_CHARS])], np.array([1]), ["A"])


def test_the_cap_counts_characters_not_bytes_in_arrow_columns():
    """Vietnamese letters take 2–3 bytes: a cell at the limit in characters but over it in bytes
    is read; one character more is refused, at its row."""
    import numpy as np
    import pyarrow as pa

    from dxcheck.errors import InputError

    at_limit = pa.chunked_array([pa.array(["ễ" * MAX_CELL_CHARS, None, "ngắn"], type=pa.large_string())])
    check_cell_lengths("x.csv", "x", [at_limit], np.array([4, 5, 6]), ["Ghi chú"])
    over = pa.chunked_array([pa.array(["ngắn"]), pa.array([None, "ễ" * (MAX_CELL_CHARS + 1)])])
    with pytest.raises(InputError) as caught:
        check_cell_lengths("x.csv", "x", [over], np.array([4, 5, 6]), ["Ghi chú"])
    assert (caught.value.params["row"], caught.value.params["size"]) == (6, MAX_CELL_CHARS + 1)


def test_the_cap_counts_characters_in_pandas_text_columns():
    """The loader's text columns (pandas `str` on Arrow) are measured the same way: at the limit
    in characters is read, one more is refused with its row and size; blank cells count as 0."""
    import numpy as np

    from dxcheck.errors import InputError

    at_limit = pd.Series(["ễ" * MAX_CELL_CHARS, None, "ngắn"], dtype="str")
    check_cell_lengths("x.xlsx", "x", [at_limit], np.array([4, 5, 6]), ["Ghi chú"])
    over = pd.Series(["ngắn", None, "ễ" * (MAX_CELL_CHARS + 1)], dtype="str")
    with pytest.raises(InputError) as caught:
        check_cell_lengths("x.xlsx", "x", [over], np.array([4, 5, 6]), ["Ghi chú"])
    assert (caught.value.params["row"], caught.value.params["size"]) == (6, MAX_CELL_CHARS + 1)


# ---------------------------------------------------------------------------------------------
# e. file names that are not UTF-8


@pytest.mark.skipif(sys.platform != "linux", reason="Linux keeps file names as bytes")
def test_names_that_are_not_utf8_are_read_and_shown_in_every_format(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    xlsx = (ROOT / "samples" / "binh-minh" / "can-bo.xlsx").read_bytes()
    with open(os.fsencode(folder) + b"/c\xe1n b\xf5.xlsx", "wb") as out:
        out.write(xlsx)
    with open(os.fsencode(folder) + b"/h\xe5 s\xf5.csv", "wb") as out:
        out.write(f"{HEADER}\nNguyễn Văn An,Chủ tịch,Có\n".encode())
    document = strict_json(evaluate(folder).stdout)
    assert sorted(Path(item["path"]).name for item in document["inputs"]) == ["c\\xe1n b\\xf5.xlsx", "h\\xe5 s\\xf5.csv"]
    assert all(sheet["rows_used"] for item in document["inputs"] for sheet in item["sheets"])
    for fmt in ("terminal", "md", "html", "junit", "xlsx"):
        output = [] if fmt == "terminal" else ["-o", str(tmp_path / f"report.{fmt}")]
        result = run("evaluate", str(folder), "--lang", "en", "--format", fmt, *output)
        assert result.returncode in (0, 1), (fmt, result.stderr)
        assert "Error" not in result.stderr, (fmt, result.stderr)
        if fmt in ("md", "html", "junit"):  # Markdown escapes the backslash itself
            text = (tmp_path / f"report.{fmt}").read_text(encoding="utf-8")
            assert "h\\xe5 s\\xf5" in text.replace("\\\\", "\\"), fmt
    inspect = run("inspect", str(folder), "--lang", "en", "--format", "json")
    assert inspect.returncode == 0, inspect.stderr
    assert "h\\xe5 s\\xf5.csv" in {Path(item["path"]).name for item in strict_json(inspect.stdout)["files"]}


# ---------------------------------------------------------------------------------------------
# f. Parquet columns dxcheck cannot read


def staff_table(**extra) -> pa.Table:
    return pa.table({"Họ và tên": ["Nguyễn Văn An", "Trần Thị Bình"], "Chức vụ": ["Chủ tịch", "Công chức"],
                     "Đã bồi dưỡng kỹ năng số": ["Có", "Không"], **extra})


@pytest.mark.parametrize(("column", "type_name"), [
    (pa.array([[1, 2], [3]]), "list<element: int64>"),
    (pa.array([{"a": 1}, {"a": 2}]), "struct<a: int64>"),
    (pa.array([b"\x00\x01", b"\xff"]), "binary"),
])
def test_a_parquet_column_of_an_unreadable_type_is_named(tmp_path, column, type_name):
    path = tmp_path / "can-bo.parquet"
    pq.write_table(staff_table(**{"Ghi chú": column}), path)
    refused(evaluate(path), "can-bo.parquet", "“Ghi chú”", type_name)


@pytest.mark.parametrize(("values", "kind", "shown"), [
    ([datetime.date(1, 1, 1), datetime.date(2026, 1, 1)], pa.date32(), "0001-01-01"),
    ([datetime.datetime(2026, 1, 1), datetime.datetime(9999, 12, 31)], pa.timestamp("us"), "9999-12-31"),
])
@pytest.mark.parametrize("statistics", [True, False])  # checked from the footer, else after reading
def test_a_parquet_date_out_of_range_is_named(tmp_path, values, kind, shown, statistics):
    path = tmp_path / "can-bo.parquet"
    pq.write_table(staff_table(**{"Ngày vào": pa.array(values, type=kind)}), path, write_statistics=statistics)
    refused(evaluate(path), "can-bo.parquet", "“Ngày vào”", shown)


def test_a_parquet_footer_whose_column_path_is_not_text_is_damaged_not_an_internal_error(tmp_path):
    """Found by the damaged-file property test: the schema reads, but the column chunk's own path
    (a second copy of the name in the footer) is not UTF-8."""
    path = tmp_path / "can-bo.parquet"
    pq.write_table(staff_table(**{"Ngày vào": pa.array([datetime.date(2026, 1, 1)] * 2, type=pa.date32())}), path)
    data = bytearray(path.read_bytes())
    name = "Ngày vào".encode()
    places = [at for at in range(len(data)) if data.startswith(name, at)]
    assert len(places) == 2  # the schema's name, then the column chunk's path
    data[places[1]:places[1] + 2] = b"\xbb\xbb"
    path.write_bytes(bytes(data))
    refused(evaluate(path, "--lang", "en"), "can-bo.parquet", "damaged")


# ---------------------------------------------------------------------------------------------
# g. finite targets, and no NaN or Infinity in JSON


def write_pack(tmp_path: Path, target: str, extra: str = "") -> Path:
    (tmp_path / "sources").mkdir(exist_ok=True)
    (tmp_path / "sources" / "plan.txt").write_text("100% cán bộ được bồi dưỡng.", encoding="utf-8")
    path = tmp_path / "pack.yaml"
    path.write_text(STAFF_PACK.replace("TARGET", target).replace("    deadline: 2030\n", "    deadline: 2030\n" + extra),
                    encoding="utf-8")
    return path


@pytest.mark.parametrize(("target", "extra"), [(".nan", ""), (".inf", ""), ("-.inf", ""),
                                               ("100", "    milestones: {2027: .nan}\n")])
def test_targets_that_are_not_finite_are_refused_by_schema_and_lint(tmp_path, target, extra):
    path = write_pack(tmp_path, target, extra)
    with pytest.raises(RulePackError) as caught:
        load_pack(path)
    assert "finite" in str(caught.value)
    lint = run("rules", "lint", str(path), "--lang", "en")
    assert lint.returncode == 1 and "finite number" in lint.stdout, lint.stdout + lint.stderr


def test_a_finite_target_still_loads(tmp_path):
    assert load_pack(write_pack(tmp_path, "100")).pack.rules[0].target.value == 100


def test_numbers_that_overflow_are_unreadable_and_json_stays_strict(tmp_path):
    path = tmp_path / "can-bo.csv"
    path.write_text("Họ và tên,Chức vụ,Có tài khoản,Số văn bản xử lý\n"
                    f"Nguyễn Văn An,Chủ tịch,Có,1e400\nTrần Thị Bình,Công chức,Có,{'9' * 400}\n"
                    "Lê Văn Cường,Công chức,Có,12\n", encoding="utf-8")
    result = run("evaluate", str(path), "--rules", "hoang-son-2030", "--lang", "en", "--format", "json",
                 "--no-timestamp")
    assert result.returncode in (0, 1), result.stderr
    document = strict_json(result.stdout)
    unreadable = [w for w in document["warnings"] if w["code"] == "load.unreadable_number"]
    assert unreadable and "1e400" in unreadable[0]["message"], document["warnings"]


def test_infinite_parquet_numbers_are_unreadable_and_json_stays_strict(tmp_path):
    path = tmp_path / "can-bo.parquet"
    pq.write_table(staff_table(**{"Có tài khoản": ["Có", "Có"],
                                  "Số văn bản xử lý": pa.array([float("inf"), 3.0])}), path)
    result = run("evaluate", str(path), "--rules", "hoang-son-2030", "--lang", "en", "--format", "json",
                 "--no-timestamp")
    assert result.returncode in (0, 1), result.stderr
    document = strict_json(result.stdout)
    unreadable = [w for w in document["warnings"] if w["code"] == "load.unreadable_number"]
    assert unreadable and unreadable[0]["rows"] == [1], document["warnings"]
