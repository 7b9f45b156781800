"""One way to say what is wrong with the user's input: `path:line: message`.

Named tuples and a plain class, not dataclasses: this module is on the path of a build that
finds nothing changed, where importing dataclasses (with inspect) and making the classes took
~20 ms of ~0.17 s at 10,000 threads.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple


class SourceLocation(NamedTuple):
    """A place in a user's file; `line` is 1-based and counted in the whole file."""

    path: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


class ContentError(NamedTuple):
    """A problem in user input, kept as a value so every problem of a run can be reported."""

    location: SourceLocation
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def as_record(self) -> tuple[str, int, str, str]:
        """Plain values, for the files a build keeps (marshal)."""
        return self.location.path, self.location.line, self.message, self.hint

    @classmethod
    def from_record(cls, record: Sequence[Any]) -> ContentError:
        """Raises ValueError or TypeError when `record` is not one `as_record` made."""
        path, line, message, hint = record
        return cls(SourceLocation(str(path), int(line)), str(message), str(hint))


class Diagnostics:
    """Collects errors and warnings across a whole run instead of stopping at the first."""

    __slots__ = ("errors", "warnings")

    def __init__(self, errors: list[ContentError] | None = None,
                 warnings: list[ContentError] | None = None) -> None:
        self.errors: list[ContentError] = errors if errors is not None else []
        self.warnings: list[ContentError] = warnings if warnings is not None else []

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Diagnostics):
            return NotImplemented
        return (self.errors, self.warnings) == (other.errors, other.warnings)

    __hash__ = None  # type: ignore[assignment]  # mutable: equal now, maybe not later

    def __repr__(self) -> str:
        return f"Diagnostics(errors={self.errors!r}, warnings={self.warnings!r})"

    def error(self, path: str, line: int, message: str, hint: str = "") -> None:
        self.errors.append(ContentError(SourceLocation(path, line), message, hint))

    def warn(self, path: str, line: int, message: str, hint: str = "") -> None:
        self.warnings.append(ContentError(SourceLocation(path, line), message, hint))

    def extend(self, other: Diagnostics) -> None:
        self.errors.extend(other.errors)
        self.warnings.extend(other.warnings)

    def raise_if_errors(self, strict: bool = False) -> None:
        """Stop the run with every error (and, when strict, every warning) at once."""
        problems = self.errors + (self.warnings if strict else [])
        if problems:
            raise BuildFailed(problems)


class BuildFailed(Exception):
    """The build cannot go on; carries every problem found, sorted by file and line."""

    def __init__(self, errors: Iterable[ContentError]) -> None:
        self.errors = sorted(set(errors))
        super().__init__("\n".join(str(error) for error in self.errors))
