"""A mapped header must exist: `--map FIELD=HEADER` (or a mapping file entry) whose header no
sheet of the inputs has is an error, with the closest headers that are there.

Checked once every input is loaded (a header may be in any file), from the sheets' reports, so
that units evaluated in other processes are checked the same way.
"""

from __future__ import annotations

from ..errors import UsageError
from ..results import InputReport
from .closest import closest
from .headers import label_columns, mapped_forms, mapped_positions, typed_header

#: sheets' columns listed when a header fits several
MAX_CHOICES = 6


def check_mapping(mapping: dict[str, str], inputs: list[InputReport]) -> None:
    """Raise `MappingNotFound` naming every mapped header that is in no sheet of `inputs`."""
    problems: list[dict] = []
    for key, header in mapping.items():
        forms = mapped_forms(header)
        unsure: list[dict] = []
        found = False
        for report in inputs:
            for sheet in report.sheets:
                named, undecided = mapped_positions(forms, label_columns(sheet.headers))
                if named:
                    found = True
                    break
                unsure += [{"header": sheet.headers[p], "path": report.path, "sheet": sheet.sheet} for p in undecided]
            if found:
                break
        if found:
            continue
        if unsure:
            problems.append({"field": key, "header": header, "ambiguous": unsure[:MAX_CHOICES], "closest": []})
            continue
        present = [{"header": label, "path": report.path, "sheet": sheet.sheet}
                   for report in inputs for sheet in report.sheets for label in sheet.headers]
        guesses = closest(header, present, text=lambda item: item["header"])
        problems.append({"field": key, "header": header, "ambiguous": [],
                         "closest": [{**item, "score": round(score, 2)} for item, score in guesses]})
    if problems:
        raise MappingNotFound(problems)


class MappingNotFound(UsageError):
    """Mapped headers found in no sheet; the message offers what is there instead."""

    def __init__(self, problems: list[dict]):
        super().__init__("load.map_header_missing", problems=problems)

    def __str__(self) -> str:
        from ..messages import t

        lines = []
        for item in self.params["problems"]:
            field, header = item["field"], item["header"]
            if item["ambiguous"]:
                lines.append(t("load.map_header_ambiguous", field=field, header=header))
                for choice in item["ambiguous"]:
                    lines.append(t("load.map_header_choice", field=field, typed=typed_header(choice["header"]),
                                   path=choice["path"], sheet=choice["sheet"]))
                continue
            lines.append(t("load.map_header_missing", field=field, header=header))
            if item["closest"]:
                lines.append(t("load.map_header_did_you_mean"))
            for choice in item["closest"]:
                lines.append(t("load.map_header_choice", field=field, typed=typed_header(choice["header"]),
                               path=choice["path"], sheet=choice["sheet"]))
            if not item["closest"]:
                lines.append(t("load.map_header_none_close"))
        lines.append(t("load.map_header_hint"))
        return "\n".join(lines)
