"""Write src/dxcheck/holidays-vn.txt: Vietnam's public holidays for TABLE_YEARS, from `holidays`.

    pip install -e '.[test]'        # the `holidays` library
    python tools/holidays_table.py  # then review the diff: every changed day is a Result change

dxcheck counts working days with this table (src/dxcheck/calendar_vn.py), so that the same
dossiers give the same figure whatever version of `holidays` is installed; regenerate it when
the government announces the next year's days off, and say so in the CHANGELOG.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from dxcheck.calendar_vn import TABLE_FILE, TABLE_YEARS  # noqa: E402


def table_text(today: date) -> str:
    import holidays

    days = holidays.country_holidays("VN", years=TABLE_YEARS, language="en_US")
    lines = [
        "# Vietnam's public holidays (days off) for counting working days: one day a line, its name after.",
        f"# Written by tools/holidays_table.py on {today.isoformat()} from holidays {holidays.__version__},"
        f" years {TABLE_YEARS.start}-{TABLE_YEARS.stop - 1}.",
        "# Later years are the library's rules until the government announces their days off.",
    ]
    lines += [f"{day.isoformat()}  {name}" for day, name in sorted(days.items())]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    target = ROOT / "src" / "dxcheck" / TABLE_FILE
    target.write_text(table_text(date.today()), encoding="utf-8")
    print(f"wrote {target.relative_to(ROOT)}")
