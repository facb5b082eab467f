"""User-facing errors: the CLI prints these in Swedish without a traceback and exits 1."""

from __future__ import annotations

from dataclasses import dataclass


class KsreportError(Exception):
    """An expected failure whose message (in Swedish) is meant for the user."""


@dataclass(frozen=True)
class Problem:
    """One problem found in the workbook, with the place it was found (``Mätvärden!H12``)."""

    place: str
    message: str
    is_error: bool = True

    def __str__(self) -> str:
        return f"{self.place}: {self.message}" if self.place else self.message


class WorkbookError(KsreportError):
    """The workbook cannot be opened or read at all (not an xlsx, encrypted, too large...)."""


class ValidationError(KsreportError):
    """The workbook was read but holds errors; carries every problem found, warnings included."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.is_error]
        super().__init__(f"Arbetsboken innehåller {len(errors)} fel.")


class RenderError(KsreportError):
    """An output could not be produced."""
