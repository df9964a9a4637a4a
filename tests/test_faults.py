"""Fault injection on the output side (issue 16): inputs are never written, every output is the old
file or the complete new one, history survives concurrent runs and bad files, Ctrl-C is clean.

Faults are real where they can be (kill -9, SIGINT to the process group, eight concurrent
processes) and simulated where they cannot (ENOSPC, EACCES when running as root) by replacing the
`os` the atomic writer uses, never by a hook in the product.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from dxcheck import atomic
from dxcheck.cli import main
from dxcheck_synth import records
from dxcheck_synth.report import ReportSheet, write_csv, write_workbook

PACK = "binh-minh-2030"
SRC = Path(__file__).resolve().parents[1] / "src"
posix_only = pytest.mark.skipif(os.name != "posix", reason="signals, links and /proc are POSIX")


def _env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DXCHECK_")}
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    env["DXCHECK_LANG"] = "en"
    return env


def cli(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """Run the console entry point in this process: (exit code, stdout, stderr)."""
    monkeypatch.setattr(sys, "argv", ["dxcheck", *args])
    with pytest.raises(SystemExit) as done:
        main()
    captured = capsys.readouterr()
    return int(done.value.code or 0), captured.out, captured.err


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".part"))


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    """A month's data folder with one dossier list."""
    folder = tmp_path_factory.mktemp("xa") / "du-lieu"
    folder.mkdir()
    write_workbook(folder / "ho-so.xlsx", [ReportSheet("Hồ sơ", records.dossiers(80, "2026-10", seed=3))])
    return folder


class _FaultyOs:
    """The `os` module as atomic.py sees it, with one call replaced."""

    def __init__(self, **replaced) -> None:
        self._replaced = replaced

    def __getattr__(self, name: str):
        return self._replaced.get(name) or getattr(os, name)


def _no_space(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


# --- 1. inputs are read-only ---------------------------------------------------------------------


def _refused(code: int, err: str, key_words: str, data_file: Path, before: bytes) -> None:
    assert code == 2, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert key_words in err
    assert data_file.read_bytes() == before, "the input was written"


@posix_only
@pytest.mark.parametrize("how", ["same name", "symlink", "hard link", "chain of symlinks"])
def test_an_output_that_is_an_input_is_refused_before_reading(monkeypatch, capsys, tmp_path, how):
    # not a workbook at all: reading it first would fail with another message
    data_file = tmp_path / "ho-so.xlsx"
    data_file.write_bytes(b"commune export, not to be touched")
    before = data_file.read_bytes()
    output = tmp_path / "out" / "bao-cao.xlsx"
    output.parent.mkdir()
    if how == "same name":
        output = data_file
    elif how == "symlink":
        output.symlink_to(data_file)
    elif how == "hard link":
        os.link(data_file, output)
    else:
        output = tmp_path / "out" / "via.xlsx"
        output.symlink_to(tmp_path / "out" / "nothing-yet.xlsx")
        (tmp_path / "out" / "nothing-yet.xlsx").symlink_to(data_file)
    code, _, err = cli(monkeypatch, capsys, "evaluate", str(data_file), "-r", PACK, "-o", str(output), "--lang", "en")
    _refused(code, err, "it is the input", data_file, before)
    assert str(output) in err and str(data_file) in err


def test_an_output_inside_an_input_folder_is_refused(monkeypatch, capsys, data):
    data_file = data / "ho-so.xlsx"
    before = data_file.read_bytes()
    for output in (data / "bao-cao.html", data / "sub" / "bao-cao.json"):
        code, _, err = cli(monkeypatch, capsys, "evaluate", str(data), "-r", PACK, "-o", str(output), "--lang", "en")
        _refused(code, err, "inside the input folder", data_file, before)
        assert not output.exists()
    assert sorted(path.name for path in data.iterdir()) == ["ho-so.xlsx"]


def test_history_inside_the_data_or_over_the_mapping_is_refused(monkeypatch, capsys, data, tmp_path):
    data_file = data / "ho-so.xlsx"
    before = data_file.read_bytes()
    code, _, err = cli(monkeypatch, capsys, "evaluate", str(data), "-r", PACK, "--history", str(data / "lich-su"),
                       "--lang", "en")
    _refused(code, err, "inside the input folder", data_file, before)
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("ho_so:\n  ma_ho_so: Mã hồ sơ\n", encoding="utf-8")
    code, _, err = cli(monkeypatch, capsys, "evaluate", str(data_file), "-r", PACK, "--mapping", str(mapping),
                       "-o", str(tmp_path / "." / "mapping.yaml"), "-f", "json", "--lang", "en")
    _refused(code, err, "it is the input", mapping, "ho_so:\n  ma_ho_so: Mã hồ sơ\n".encode())


def test_rules_docs_and_init_never_write_over_a_pack(monkeypatch, capsys, tmp_path):
    from dxcheck.packs.loader import shipped_rules_dir

    rules = tmp_path / "rules"
    rules.mkdir()
    pack = rules / f"{PACK}.yaml"
    pack.write_bytes((shipped_rules_dir() / f"{PACK}.yaml").read_bytes())
    before = pack.read_bytes()
    code, _, err = cli(monkeypatch, capsys, "rules", "docs", "--rules", str(rules), "-o", str(rules), "--lang", "en")
    _refused(code, err, "inside the input folder", pack, before)
    assert sorted(path.name for path in rules.iterdir()) == [pack.name]
    # init --force into the folder that holds the pack it starts from: the pack file is its target
    code, _, err = cli(monkeypatch, capsys, "init", str(rules), "--from", str(pack), "--commune", "Xã Bình Minh",
                       "--id", PACK, "--force", "--lang", "en")
    _refused(code, err, "it is the input", pack, before)


# --- 2. atomic outputs ---------------------------------------------------------------------------


def test_temporary_names_are_unique_and_hidden_beside_the_target(tmp_path):
    target = tmp_path / "bao-cao.html"
    names = {atomic.temporary_name(target) for _ in range(50)}
    assert len(names) == 50
    for name in names:
        assert name.parent == tmp_path and name.name.startswith(".bao-cao.html.")
        assert f".{os.getpid()}-" in name.name and name.suffix == ".part"


@pytest.mark.parametrize("failing", ["write", "fsync", "replace"])
def test_a_failed_write_leaves_the_old_file_and_no_temporary(monkeypatch, tmp_path, failing):
    target = tmp_path / "bao-cao.json"
    target.write_bytes(b"last month")
    monkeypatch.setattr(atomic, "os", _FaultyOs(**{failing: _no_space}))
    with pytest.raises(OSError) as raised:
        atomic.write_atomic(target, b"x" * (3 << 20))
    assert raised.value.errno == errno.ENOSPC
    assert target.read_bytes() == b"last month" and leftovers(tmp_path) == []


def test_an_interrupt_while_writing_leaves_no_temporary(monkeypatch, tmp_path):
    def interrupted(*_args):
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic, "os", _FaultyOs(fsync=interrupted))
    with pytest.raises(KeyboardInterrupt):
        atomic.write_atomic(tmp_path / "x.md", "nội dung")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EACCES])
def test_disk_full_or_permission_denied_is_one_line_and_exit_2(monkeypatch, capsys, data, tmp_path, error):
    target = tmp_path / "bao-cao.html"
    target.write_bytes(b"<p>last month</p>")

    def fails(*_args, **_kwargs):
        raise OSError(error, os.strerror(error))

    # ENOSPC comes from a write, EACCES from creating the temporary file
    monkeypatch.setattr(atomic, "os", _FaultyOs(**{"write" if error == errno.ENOSPC else "open": fails}))
    code, _, err = cli(monkeypatch, capsys, "evaluate", str(data), "-r", PACK, "-p", "2026-10", "-o", str(target),
                       "--lang", "en")
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert f"cannot write {target}: {os.strerror(error)}" in err
    assert target.read_bytes() == b"<p>last month</p>" and leftovers(tmp_path) == []


def test_a_missing_output_folder_is_created(monkeypatch, capsys, data, tmp_path):
    """Today's behaviour, kept: `-o bao-cao/2026-10/x.json` makes the folders."""
    target = tmp_path / "bao-cao" / "2026-10" / "ket-qua.json"
    code, _, err = cli(monkeypatch, capsys, "evaluate", str(data), "-r", PACK, "-p", "2026-10", "-o", str(target))
    assert code in (0, 1), err
    assert json.loads(target.read_text(encoding="utf-8"))["period"]["label"] == "2026-10"
    assert leftovers(target.parent) == []


def test_every_writer_keeps_the_old_file_on_a_full_disk(monkeypatch, tmp_path):
    """History, the page's mapping file, `init`'s files and `rules docs` all write through atomic.py."""
    from dxcheck import history
    from dxcheck.config_init import Settings, write_config
    from dxcheck.docs_gen import write as write_docs
    from dxcheck.errors import UsageError
    from dxcheck.serve.mapping_file import save_choices

    mapping = tmp_path / "cot.yaml"
    mapping.write_text("ho_so:\n  ma_ho_so: Mã\n", encoding="utf-8")
    config = tmp_path / "dxcheck.toml"
    config.write_text("# last month\n", encoding="utf-8")
    page = tmp_path / "docs" / "index.md"
    page.parent.mkdir()
    page.write_text("old page", encoding="utf-8")
    monkeypatch.setattr(atomic, "os", _FaultyOs(write=_no_space))
    with pytest.raises(OSError):
        save_choices(mapping, {"ho_so.ngay_hen_tra": "Hạn trả"})
    with pytest.raises(UsageError):
        write_config(tmp_path, Settings(commune="Bình Minh", commune_kind="xã", issuer=None, signers=[],
                                        packs=[], language="vi"), force=True)
    with pytest.raises(OSError):
        write_docs({"index.md": "new page"}, page.parent)
    assert mapping.read_text(encoding="utf-8") == "ho_so:\n  ma_ho_so: Mã\n"
    assert config.read_text(encoding="utf-8") == "# last month\n"
    assert page.read_text(encoding="utf-8") == "old page"
    assert leftovers(tmp_path) == leftovers(page.parent) == []
    assert history.write_atomic is atomic.write_atomic


_SLOW_WRITER = """
import os, sys, time
from pathlib import Path
import dxcheck.atomic as atomic

marker = Path(sys.argv[1])
class SlowOs:
    def __getattr__(self, name):
        return getattr(os, name)
    @staticmethod
    def write(fd, data):
        marker.touch()
        time.sleep(0.1)
        return os.write(fd, bytes(data[:512]))
atomic.os = SlowOs()
from dxcheck.cli import main
sys.argv = ["dxcheck", *sys.argv[2:]]
main()
"""


@posix_only
def test_kill_9_mid_write_leaves_the_old_report(data, tmp_path):
    target = tmp_path / "bao-cao.json"
    target.write_bytes(b'{"last": "month"}')
    marker = tmp_path / "writing"
    process = subprocess.Popen([sys.executable, "-c", _SLOW_WRITER, str(marker), "evaluate", str(data), "-r", PACK,
                                "-p", "2026-10", "-o", str(target)], env=_env(), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 240
        while not marker.exists():
            assert process.poll() is None, process.stderr.read().decode()
            assert time.monotonic() < deadline, "the report was never written"
            time.sleep(0.05)
        time.sleep(0.3)  # a few slow chunks into the temporary file
        assert process.poll() is None, "the write finished before the kill"
        process.kill()
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert target.read_bytes() == b'{"last": "month"}'
    # the partial bytes sit in a hidden temporary name, never under the report's own
    partial = [tmp_path / name for name in leftovers(tmp_path)]
    assert len(partial) == 1 and 0 < partial[0].stat().st_size
    assert sorted(path.name for path in tmp_path.iterdir() if not path.name.startswith(".")) == [
        "bao-cao.json", "writing"]


# --- 3. history that survives --------------------------------------------------------------------

MONTHS = [f"2026-{month:02d}" for month in range(3, 11)]


@pytest.fixture(scope="module")
def monthly(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("thang")
    files = {}
    for index, month in enumerate(MONTHS):
        files[month] = folder / f"ho-so-{month}.csv"
        write_csv(files[month], records.dossiers(60, month, seed=index))
    return files


def test_eight_concurrent_runs_on_one_history_folder_lose_nothing(monthly, tmp_path):
    history = tmp_path / "lich-su"
    runs = [subprocess.Popen([sys.executable, "-m", "dxcheck", "evaluate", str(path), "-r", PACK, "-p", month,
                              "--history", str(history), "-f", "json"], env=_env(), stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE) for month, path in monthly.items()]
    errors = [run.communicate(timeout=600)[1].decode() for run in runs]
    assert [run.returncode in (0, 1) for run in runs] == [True] * len(runs), errors
    assert not any("Traceback" in text or "history" in text for text in errors), errors
    trend = subprocess.run([sys.executable, "-m", "dxcheck", "trend", str(history), "--format", "json"],
                           env=_env(), capture_output=True, text=True, timeout=300)
    assert trend.returncode == 0 and trend.stderr == "", trend.stderr
    document = json.loads(trend.stdout)
    periods = {point["period"] for rule in document.values() for point in rule["points"]}
    assert periods == set(MONTHS)
    assert sorted(path.name for path in (history / PACK).iterdir()) == [f"{month}.json" for month in MONTHS]


def _bad_history(folder: Path, good: Path) -> dict[str, bytes]:
    document = json.loads(good.read_text(encoding="utf-8"))
    nan_value = json.loads(good.read_text(encoding="utf-8"))
    nan_value["period"] = {**document["period"], "label": "2026-01", "start": "2026-01-01"}
    nan_value["results"][0]["value"] = float("nan")
    bad_status = json.loads(good.read_text(encoding="utf-8"))
    bad_status["period"] = {**document["period"], "label": "2026-02", "start": "2026-02-01"}
    bad_status["results"][0]["status"] = "<b>ok</b>"
    text = good.read_bytes()
    files = {
        "truncated.json": text[: len(text) // 2],
        "corrupted.json": b"\x00\xff\xfe garbage",
        "foreign.json": b'{"name": "not ours", "results": 3}',
        "nested.json": b"[" * 100_000,
        "2026-01.json": json.dumps(nan_value).encode(),  # json writes NaN, as a hand edit could
        "2026-02.json": json.dumps(bad_status).encode(),
    }
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return files


def test_bad_history_files_are_named_and_skipped_in_trend_and_in_the_run(monthly, tmp_path):
    import dxcheck

    history = tmp_path / "lich-su"
    dxcheck.evaluate([monthly["2026-09"]], rules=[PACK], period="2026-09", history=history, timestamp=False)
    files = _bad_history(history / PACK, history / PACK / "2026-09.json")
    trend = subprocess.run([sys.executable, "-m", "dxcheck", "trend", str(history), "--format", "json"],
                           env=_env(), capture_output=True, text=True, timeout=300)
    assert trend.returncode == 0 and "Traceback" not in trend.stderr, trend.stderr
    said = trend.stderr.splitlines()
    for name in ("truncated.json", "corrupted.json", "foreign.json", "nested.json"):
        assert any(name in line and "skipped" in line for line in said), (name, said)
    first_rule = json.loads((history / PACK / "2026-09.json").read_text(encoding="utf-8"))["results"][0]["id"]
    for name in ("2026-01.json", "2026-02.json"):
        assert any(name in line and first_rule in line for line in said), (name, said)
    document = json.loads(trend.stdout)
    # the valid file and the valid entries of the two files with one bad entry each are kept
    assert {point["period"] for point in document[first_rule]["points"]} == {"2026-09"}
    other_rule = next(rule for rule in document if rule != first_rule)
    assert {point["period"] for point in document[other_rule]["points"]} == {"2026-01", "2026-02", "2026-09"}
    assert "NaN" not in trend.stdout and "<b>" not in trend.stdout

    run = dxcheck.evaluate([monthly["2026-10"]], rules=[PACK], period="2026-10", history=history, timestamp=False)
    skipped = sorted(Path(w.path).name for w in run.warnings if w.code.startswith("outputs.history"))
    assert skipped == sorted(files)
    assert all(point.status in ("pass", "fail", "no_data", "error") for series in run.history.values()
               for point in series)


# --- 4. Ctrl-C ---------------------------------------------------------------------------------


#: imported by every Python process of the run (the parent, the forkserver, its workers) through
#: PYTHONPATH: each evaluation says it started, then takes long enough to be interrupted
_SLOW_EVALUATION = """
import os, time
from pathlib import Path
if os.environ.get("FAULT_MARKERS"):
    import dxcheck.api as api
    evaluate_loaded = api._evaluate_loaded
    def slow(*args, **kwargs):
        (Path(os.environ["FAULT_MARKERS"]) / str(os.getpid())).touch()
        time.sleep(60)
        return evaluate_loaded(*args, **kwargs)
    api._evaluate_loaded = slow
"""


@pytest.fixture(scope="module")
def communes(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("xa-4")
    frame = records.dossiers(40, "2026-10", seed=9)
    paths = [folder / f"xa-{index}.csv" for index in range(4)]
    for path in paths:
        write_csv(path, frame)
    return paths


@contextmanager
def _as_from_a_terminal():
    """While a child starts: SIGINT handled (a Python handler becomes the default action through
    exec, where an ignored SIGINT would stay ignored) and unblocked (a blocked signal stays blocked
    through exec too). Set here, in the parent, not in a preexec_fn, which may deadlock a process
    that has threads, as a pytest-xdist worker has."""
    handler = signal.signal(signal.SIGINT, signal.default_int_handler)
    blocked = signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        signal.signal(signal.SIGINT, handler)


@posix_only
@pytest.mark.parametrize("jobs", [1, 2])
def test_ctrl_c_mid_run_exits_130_in_one_line_with_no_output(communes, tmp_path, jobs):
    hook, markers, out = tmp_path / "hook", tmp_path / "markers", tmp_path / "out"
    for folder in (hook, markers, out):
        folder.mkdir()
    (hook / "sitecustomize.py").write_text(_SLOW_EVALUATION, encoding="utf-8")
    env = _env()
    env["PYTHONPATH"] = f"{hook}{os.pathsep}{env['PYTHONPATH']}"
    env["FAULT_MARKERS"] = str(markers)
    target = out / "bao-cao.xlsx"
    # A terminal starts a command with Ctrl-C's default action. The test's own process may not have
    # it (a child started with SIGINT ignored or blocked keeps it so through exec, and Python then
    # raises no KeyboardInterrupt): the run starts as a terminal would start it, and what the worker had is
    # said if the run does not stop.
    inherited = (signal.getsignal(signal.SIGINT), signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, set()))
    with _as_from_a_terminal():
        process = subprocess.Popen([sys.executable, "-m", "dxcheck", "evaluate", *map(str, communes), "-r", PACK,
                                    "-p", "2026-10", "--jobs", str(jobs), "-o", str(target)], env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        from dxcheck.parallel import cores

        workers = min(jobs, cores())  # --jobs is capped at the cores there are
        while len(list(markers.iterdir())) < workers:  # every worker is evaluating: the run is under way
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the run never started evaluating"
            time.sleep(0.05)
        os.killpg(process.pid, signal.SIGINT)  # what the terminal does on Ctrl-C: the whole group
        try:
            _, err = process.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the run did not stop on SIGINT (the test process's SIGINT handler, blocked: {inherited!r})")
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    text = err.decode()
    assert process.returncode == 130, text
    assert "Traceback" not in text and "KeyboardInterrupt" not in text, text
    assert text.strip().splitlines() == ["dxcheck: interrupted."], text
    assert list(out.iterdir()) == []
    time.sleep(0.5)
    # no worker outlives the run
    for marker in markers.iterdir():
        assert not Path(f"/proc/{marker.name}").exists() or "Z" in Path(f"/proc/{marker.name}/stat").read_text().split()[2]
