"""Exact comparison of a measured share with its target, the shortfall, and honest display.

Shares are compared as fractions of integers, never as rounded floats: 9,899 of 10,000
(98.99%) fails `>= 99`, and is never displayed as "99.00%".
"""

from __future__ import annotations

import math
import numbers
from decimal import Decimal
from fractions import Fraction

OPS = {
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    "==": lambda a, b: a == b,
}


def as_fraction(value: float | int | Fraction) -> Fraction:
    """A target written in YAML as 97.29 means exactly 9729/100, not the nearest binary float."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, numbers.Integral):
        return Fraction(int(value))
    return Fraction(Decimal(repr(float(value))))


def share(numerator: int | Fraction, denominator: int | Fraction) -> Fraction:
    """The share in percent, exactly."""
    return Fraction(numerator) * 100 / Fraction(denominator)


def meets(value: Fraction, op: str, target: float) -> bool:
    return OPS[op](value, as_fraction(target))


def shortfall(numerator: int, denominator: int, op: str, target: float) -> int | None:
    """Least number of records in the population that must turn compliant for the rule to pass.

    0 when it passes; None when no number of conversions can make it pass (e.g. `> 100`, or an
    upper-bound operator, where compliance is reached by fewer records, not more).
    """
    goal = as_fraction(target) * denominator / 100  # compliant records needed, as a fraction
    if op in ("<", "<=", "=="):
        return 0 if meets(share(numerator, denominator), op, target) else None
    if op == ">=":
        needed = math.ceil(goal)
    else:  # ">": strictly more than goal
        needed = math.floor(goal) + 1
    if needed > denominator:
        return None
    return max(0, needed - numerator)


def exactly_needed(denominator: int, target: float) -> int | None:
    """The one count of records that meets an exact target (`== 12.5` of 16 records: 2); None
    when no whole count of this population gives that share."""
    goal = as_fraction(target) * denominator / 100
    return int(goal) if goal.denominator == 1 and 0 <= goal <= denominator else None


def excess(numerator: int, denominator: int, op: str, target: float) -> int:
    """How many fewer counted records (staying in the population but no longer meeting the
    condition) would have met a ceiling (`<`, `<=`) the count exceeds; 0 or less when it is met.
    A ceiling that not even none counted meets (`< 0`) is for the caller to rule out first.
    """
    goal = as_fraction(target) * denominator / 100  # counted records allowed, as a fraction
    allowed = math.floor(goal) if op == "<=" else math.ceil(goal) - 1
    return numerator - allowed


def display_decimals(value: Fraction, op: str, target: float, passed: bool, base: int = 2, limit: int = 6,
                     also: list[tuple[str, float, bool]] = ()) -> str:
    """`value` with `base` decimals, more if rounding would contradict the status.

    A failing 98.996 against `>= 99` shows as 98.996 rather than 99.00; if even `limit`
    decimals cannot separate them the number is truncated toward the side of its status.
    `also` lists further (op, value, met) comparisons the display must not contradict either
    (the baseline: 98.996 below "đạt 99%" is not shown as 99.00).
    """
    checks = [(op, target, passed), *also]
    for places in range(base, limit + 1):
        shown = Fraction(round(value * 10**places), 10**places)
        if all(meets(shown, check_op, check_value) == met for check_op, check_value, met in checks):
            return _fixed(shown, places)
    places = limit
    scaled = value * 10**places
    toward = math.ceil(scaled) if (op in (">=", ">")) == passed else math.floor(scaled)
    return _fixed(Fraction(toward, 10**places), places)


def _fixed(value: Fraction, places: int) -> str:
    quantised = Decimal(value.numerator) / Decimal(value.denominator)
    return f"{quantised:.{places}f}"
