"""What every check reports: a :class:`Problem` names file, line, column, value and rule, and
:class:`AlbruDataError` carries all the problems of a reading.

The counts are bounded: a check lists at most MAX_LISTED rows that break one rule in one
column of one file and stands for the rest with a single problem whose ``count`` says how many
it covers, so a million bad rows make about a thousand problems; a message prints the first
MAX_SHOWN and the total. This module needs only the standard library.

>>> print(Problem("events.csv", 7, "date", "1959-13", "not an EDTF date"))
events.csv, line 7, column date, value '1959-13': not an EDTF date
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

__all__ = ["MAX_LISTED", "MAX_SHOWN", "AlbruDataError", "Problem", "listing", "total"]

#: How many problems an AlbruDataError message prints before it gives only the count.
MAX_SHOWN = 50
#: How many rows breaking one rule in one column of one file are listed one by one.
MAX_LISTED = 1000


class Problem(NamedTuple):
    """One broken rule: the file, its line (header = line 1), the column, the value, the rule,
    and how many problems it stands for (1, or more for the line that counts the rows of one
    rule beyond MAX_LISTED). A named tuple: a million of them are made in a second.

    >>> str(Problem("eras.csv", 1, "basis", None, "column missing"))
    'eras.csv, line 1, column basis: column missing'
    """

    file: str
    line: int | None
    column: str | None
    value: str | None
    rule: str
    count: int = 1

    def __str__(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        if self.value is not None:
            parts.append(f"value {_short(self.value)!r}")
        return f"{', '.join(parts)}: {self.rule}"


def _short(value: str, width: int = 80) -> str:
    """A value cut to ``width`` characters, so one bad cell cannot flood a message."""
    return value if len(value) <= width else value[:width] + "..."


def total(problems: Iterable[Problem]) -> int:
    """How many problems a list stands for, counting the rows a capped rule did not list.

    >>> total([Problem("t.csv", 2, "k", None, "bad"), Problem("t.csv", 3, "k", None, "more", 9)])
    10
    """
    return sum(problem.count for problem in problems)


def listing(problems: list[Problem], shown: int = MAX_SHOWN) -> list[str]:
    """The first ``shown`` problems, one a line, then how many more there are and the total.

    >>> listing([Problem("t.csv", n, None, None, "bad") for n in (2, 3, 4)], shown=2)
    ['t.csv, line 2: bad', 't.csv, line 3: bad', '... and 1 more (3 in all)']
    """
    lines = [str(problem) for problem in problems[:shown]]
    rest = total(problems[shown:])
    if rest:
        lines.append(f"... and {rest} more ({total(problems)} in all)")
    return lines


class AlbruDataError(ValueError):
    """The data breaks rules; ``problems`` lists them all, the message the first MAX_SHOWN.

    >>> error = AlbruDataError([Problem("ties.csv", 3, "sign", "2", "not one of -1, 1")])
    >>> print(error)
    1 problem in the albru data:
      ties.csv, line 3, column sign, value '2': not one of -1, 1
    >>> many = AlbruDataError([Problem("ties.csv", n, None, None, "bad") for n in range(60)])
    >>> str(many).splitlines()[-1]
    '  ... and 10 more (60 in all)'
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        count = total(self.problems)
        lines = [f"  {line}" for line in listing(self.problems)]
        super().__init__(f"{count} problem{'' if count == 1 else 's'} in the albru data:\n"
                         + "\n".join(lines))
