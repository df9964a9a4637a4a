"""The terminal renderer prints data values literally: rich markup in a cell is text."""

from __future__ import annotations

import io

from rich.console import Console

from dxcheck.render.terminal import _details
from dxcheck.results import RuleResult, SampleRecord, TargetOut


def test_markup_in_a_record_id_is_printed_as_text():
    item = RuleResult(id="p/r", pack="p", rule="r", title={"vi": "x", "en": "x"}, status="fail",
                      target=TargetOut(op=">=", value=100), deadline=2030, section="1", quote="q",
                      samples=[SampleRecord(record_id="[bold red]X[/] [link=http://x]y[/link]", path="a.xlsx",
                                            sheet="S", row=9)],
                      samples_total=1)
    buffer = io.StringIO()
    _details(Console(file=buffer, width=200, color_system=None), item)
    assert "[bold red]X[/] [link=http://x]y[/link]" in buffer.getvalue()
