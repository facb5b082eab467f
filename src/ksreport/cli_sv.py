"""Swedish for click's own messages (usage errors, help headings), so users never meet English.

click looks its messages up through ``gettext`` bound at import in each of its modules; we bind
those names to a lookup in the table below. Unknown messages fall through unchanged.
"""

from __future__ import annotations

import sys

SV = {
    "Usage:": "Användning:",
    "Options": "Flaggor",
    "Commands": "Kommandon",
    "Show this message and exit.": "Visa den här hjälpen och avsluta.",
    "Show the version and exit.": "Visa versionen och avsluta.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "Error: {message}": "Fel: {message}",
    "Try '{command} {option}' for help.": "Skriv '{command} {option}' för hjälp.",
    "No such option {name!r}.": "Flaggan {name!r} finns inte.",
    "No such command {name!r}.": "Kommandot {name!r} finns inte.",
    "Missing argument": "Argument saknas",
    "Missing option": "Flagga saknas",
    "Missing parameter": "Parameter saknas",
    "Missing command.": "Kommando saknas.",
    "Missing {param_type}": "{param_type} saknas",
    "Missing parameter: {param_name}": "Parameter saknas: {param_name}",
    "Invalid value for {param_hint}: {message}": "Ogiltigt värde för {param_hint}: {message}",
    "Invalid value: {message}": "Ogiltigt värde: {message}",
    "Option {name!r} does not take a value.": "Flaggan {name!r} tar inget värde.",
    "Aborted!": "Avbrutet.",
    "argument": "argument",
    "option": "flagga",
    "parameter": "parameter",
    "default: {default}": "standard: {default}",
    # click names the path "File", "Directory" or "Path" when the option is declared, before
    # these look-ups are bound, so the name is left out; the path is quoted as Swedish text
    # does (its repr would double every backslash of a Windows path).
    "{name} {filename!r} does not exist.": '"{filename}" finns inte.',
    "{name} {filename!r} is a directory.": '"{filename}" är en mapp, inte en fil.',
    "{name} {filename!r} is a file.": '"{filename}" är en fil, inte en mapp.',
    "{name} {filename!r} is not readable.": '"{filename}" går inte att läsa (behörighet saknas).',
    "{name} {filename!r} is not writable.": (
        '"{filename}" går inte att skriva till (behörighet saknas).'
    ),
    "{name} {filename!r} is not executable.": '"{filename}" går inte att köra.',
    "Could not open file {filename!r}: {message}": 'Filen "{filename}" kan inte öppnas: {message}',
    "unknown error": "okänt fel",
    "Argument {name!r} takes {nargs} values.": "Argumentet {name!r} tar {nargs} värden.",
    "{value!r} is not a valid {number_type}.": "{value!r} är inget giltigt tal.",
    "{value} is not in the range {range}.": "{value} ligger utanför intervallet {range}.",
    "Invalid start character for option ({option})": "Ogiltigt första tecken i flagga ({option})",
    "Value must be an iterable.": "Värdet måste vara en lista.",
    "deprecated": "föråldrad",
    "(dynamic)": "(beräknas)",
    "env var: {var}": "miljövariabel: {var}",
    "file": "fil",
    "directory": "mapp",
    "path": "sökväg",
    "File": "Filen",
    "Directory": "Mappen",
    "Path": "Sökvägen",
}
SV_PLURAL = {
    "{value!r} is not {choice}.": (
        "{value!r} är inte {choice}.",
        "{value!r} är inget av de tillåtna värdena {choices}.",
    ),
    "Option {name!r} requires an argument.": (
        "Flaggan {name!r} kräver ett värde.",
        "Flaggan {name!r} kräver {nargs} värden.",
    ),
    "Got unexpected extra argument ({args})": (
        "Oväntat extra argument ({args})",
        "Oväntade extra argument ({args})",
    ),
    "Did you mean {possibility}?": (
        "Menade du {possibility}?",
        "(Menade du någon av: {possibilities}?)",
    ),
}


def _gettext(message: str) -> str:
    return SV.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    pair = SV_PLURAL.get(singular)
    if pair is None:
        return singular if n == 1 else plural
    return pair[0] if n == 1 else pair[1]


def install() -> None:
    """Point click's message look-ups at the Swedish table."""
    import click  # noqa: F401  (imports its submodules)

    for name in (
        "core",
        "exceptions",
        "formatting",
        "decorators",
        "parser",
        "types",
        "termui",
        "utils",
    ):
        module = sys.modules.get(f"click.{name}")
        if module is None:
            continue
        if hasattr(module, "_"):
            module._ = _gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext  # type: ignore[attr-defined]
