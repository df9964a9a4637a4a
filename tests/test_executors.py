"""`--executor dask`: communes evaluated on a dask.distributed cluster give byte-identical reports
to `--jobs 1`, and a bad commune stops the run with the same exit 2 and message as locally."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import dxcheck
from dxcheck import executors, messages
from dxcheck.errors import InputError, UsageError
from dxcheck.render import json_
from dxcheck_synth import national

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[1]
PACKS = ["binh-minh-2030", "hoang-son-2030"]


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes, one thread each: results and errors really cross process boundaries."""
    with distributed.LocalCluster(**executors.local_cluster_options(2)) as local, distributed.Client(local) as client:
        yield local, client


@pytest.fixture(scope="module")
def communes(tmp_path_factory) -> list[Path]:
    """Four small communes written by the national benchmark's own generator."""
    folder = tmp_path_factory.mktemp("national")
    return national.write_communes(folder, 4, dossiers=(120, 300))


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dxcheck", "evaluate", *args], capture_output=True, text=True,
                          check=False, cwd=ROOT)


def test_library_call_on_a_client_matches_jobs_1(cluster, communes):
    _, client = cluster
    alone = dxcheck.evaluate(communes, rules=PACKS, period="2026-10", timestamp=False, jobs=1, lang="en")
    with distributed.get_task_stream(client) as stream:
        on_dask = dxcheck.evaluate(communes, rules=PACKS, period="2026-10", timestamp=False, executor=client,
                                   lang="en")
    # one task per commune ran on the cluster
    tasks = [task for task in stream.data if "_unit_job" in str(task["key"])]
    assert len(tasks) == len(communes) == len(on_dask.units)
    assert json_.render(on_dask) == json_.render(alone)


def test_cli_on_a_cluster_address_is_byte_identical_to_jobs_1(cluster, communes):
    local, _ = cluster
    address = local.scheduler_address.replace("tcp://", "dask://")
    common = ["--rules", PACKS[0], "--rules", PACKS[1], "--period", "2026-10", "--format", "json", "--no-timestamp",
              "--lang", "vi"]
    one = _cli(*map(str, communes), *common, "--jobs", "1")
    dask = _cli(*map(str, communes), *common, "--executor", address)
    assert one.returncode in (0, 1), one.stderr
    assert (dask.returncode, dask.stdout) == (one.returncode, one.stdout)
    assert '"units"' in dask.stdout


def test_an_input_error_on_a_worker_is_the_local_error(cluster, communes, tmp_path):
    _, client = cluster
    broken = tmp_path / "xa-hong"
    broken.mkdir()
    (broken / "ho-so-2026-10.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    units = [communes[0], broken, communes[1]]
    with pytest.raises(InputError) as local:
        dxcheck.evaluate(units, rules=PACKS, period="2026-10", timestamp=False, jobs=1, lang="en")
    with pytest.raises(InputError) as remote:
        dxcheck.evaluate(units, rules=PACKS, period="2026-10", timestamp=False, executor=client, lang="en")
    assert (remote.value.key, str(remote.value)) == (local.value.key, str(local.value))
    assert "xa-hong" in str(remote.value)
    # and through the command line: exit 2, the same one-line message, no traceback
    address = cluster[0].scheduler_address.replace("tcp://", "dask://")
    remote_cli = _cli(*map(str, units), "--rules", PACKS[0], "--period", "2026-10", "--lang", "en",
                      "--executor", address)
    assert remote_cli.returncode == 2
    token = messages.set_language("en")
    try:
        expected = f"dxcheck: {local.value}"
    finally:
        messages._language.reset(token)
    assert remote_cli.stderr.strip() == expected and "Traceback" not in remote_cli.stderr


def test_dask_alone_starts_a_cluster_here_and_stops_it(monkeypatch):
    started = []
    real = executors._client

    def recorded(executor, workers):
        client, owned = real(executor, workers)
        started.extend([*owned, len(owned[1].workers)])
        return client, owned

    monkeypatch.setattr(executors, "_client", recorded)
    assert executors.cluster_map("dask", abs, [-3, 1, -2], jobs=2) == [3, 1, 2]
    client, cluster, workers = started
    assert workers == 2 and cluster.scheduler_address.startswith("tcp://127.0.0.1:")
    # the cluster started for the run is gone with it
    assert client.status == "closed" and cluster.status.name == "closed"


@pytest.mark.parametrize(("value", "parsed"), [
    ("local", None), ("dask", "dask"), ("dask://10.0.0.5:8786", "tcp://10.0.0.5:8786"),
    ("tcp://scheduler.tinh.vn:8786", "tcp://scheduler.tinh.vn:8786"),
])
def test_executor_values(value, parsed):
    assert executors.parse(value) == parsed


@pytest.mark.parametrize(("value", "suggested"), [("dsak", "dask"), ("locall", "local"), ("dask://host", None),
                                                   ("dask://host:0", None), ("spark://host:7077", None)])
def test_a_bad_executor_is_refused_with_what_it_may_mean(value, suggested):
    with pytest.raises(UsageError) as refused:
        executors.parse(value)
    assert refused.value.key == "executor.bad_value" and int(refused.value.exit_code) == 2
    if suggested:
        assert suggested in refused.value.suggestions


def test_without_the_extra_the_message_names_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed now raises ImportError
    with pytest.raises(UsageError) as refused:
        executors.parse("dask://127.0.0.1:8786")
    assert refused.value.key == "executor.needs_dask"
    assert "dxcheck[dask]" in str(refused.value)
