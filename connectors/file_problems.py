"""Problems found in agency files, and the error that rejects a file.

Every problem names the file, the sheet (for workbooks), the row as the
agency's own program shows it (1-based), the column and the raw value, so that
the agency can find and fix it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from connectors.base import ConnectorError

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class FileProblem:
    """One problem in a file; an ``error`` rejects the file, a ``warning`` is recorded."""

    file: str
    message: str
    severity: Severity = "error"
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def describe(self) -> str:
        """One line: where, what, and the raw value."""
        where = [self.file]
        if self.sheet:
            where.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        raw = f" (value {self.value!r})" if self.value is not None else ""
        return f"{', '.join(where)}: {self.message}{raw}"

    def as_dict(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if value is not None}


class FileFormatError(ConnectorError):
    """Raised when a file cannot be read as a table; ``problems`` say where and why."""

    def __init__(self, problems: Sequence[FileProblem]) -> None:
        self.problems = list(problems)
        lines = [problem.describe() for problem in self.problems[:5]]
        more = len(self.problems) - len(lines)
        if more > 0:
            lines.append(f"... and {more} more problems")
        super().__init__("; ".join(lines), source=self.problems[0].file)


def reject(file: str, message: str, **where: Any) -> FileFormatError:
    """A ``FileFormatError`` with a single problem."""
    return FileFormatError([FileProblem(file=file, message=message, **where)])
