"""Kolada: which measures are Kolada key figures, and the HTTP client for the Kolada API v3.

Used only by ``ksreport kolada`` (``kolada_import`` plans and writes the changes). The client
pages through ``next_page``, keeps every comma-separated id list within the API's limit, retries
429 and 5xx answers with exponential backoff (honouring ``Retry-After``), and checks every body
against the documented shape. Every failure is a :class:`KoladaError` with a Swedish message;
all fetching happens before anything is written, so a failure leaves the workbook untouched.

httpx is imported when a client is made, so the other commands never load it.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import math
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from ksreport.errors import KsreportError

DEFAULT_API_URL = "https://api.kolada.se/v3"
NATIONAL = "0000"
"""Kolada's code for the whole country."""

MAX_IDS_PER_REQUEST = 25
"""KPI, municipality and year lists are sent comma-separated; the API takes at most 25 of each."""
PER_PAGE = 5000
"""Items per page, the API's maximum; further pages are followed through ``next_page``."""
MAX_PAGES = 200
TIMEOUT_SECONDS = 30.0
CONNECT_TIMEOUT_SECONDS = 10.0
MAX_ATTEMPTS = 4
"""One request and at most three retries, on 429, 5xx, timeouts and lost connections."""
BACKOFF_SECONDS = 1.0
"""The first wait; doubled for every further retry (1, 2, 4 s) unless Retry-After says more."""
MAX_WAIT_SECONDS = 60.0
"""The longest wait honoured from a Retry-After header."""
MAX_BODY_BYTES = 50 * 1024 * 1024
GENDERS = ("T", "K", "M")
ATTRIBUTION = "Källa: Kolada"

_KPI_ID = re.compile(r"\b([NU]\d{5})\b", re.IGNORECASE)
_BARE_KPI = re.compile(r"^\s*([NU]\d{5})\s*$", re.IGNORECASE)
_MUNICIPALITY = re.compile(r"^(\d{4}|G\d+)$")


def kpi_id(source: str) -> str | None:
    """The Kolada KPI id that a measure's ``Källa`` names, or None.

    ``Kolada N00914``, ``kolada: u00402`` and a bare ``N00914`` name a KPI (returned in upper
    case); other sources (``Medarbetarenkät``, ``SCB``) do not. A KPI id is N or U and five digits.
    """
    text = source.strip()
    if not text:
        return None
    found = _KPI_ID.search(text) if "kolada" in text.casefold() else _BARE_KPI.match(text)
    return found.group(1).upper() if found else None


class KoladaError(KsreportError):
    """Kolada could not be reached or answered something unusable; nothing has been written."""


@dataclass(frozen=True)
class Kpi:
    id: str
    title: str
    divided_by_gender: bool = False


@dataclass(frozen=True)
class Place:
    """A municipality (``0840``), the country (``0000``) or a municipality group (``G37411``)."""

    id: str
    title: str


@dataclass(frozen=True)
class Value:
    """One value from ``/data``: a KPI for a municipality, year and gender; None when missing."""

    kpi: str
    municipality: str
    year: int
    gender: str
    value: float | None
    status: str = ""


def chunks(items: Sequence[str], size: int = MAX_IDS_PER_REQUEST) -> list[list[str]]:
    """``items`` in lists of at most ``size``, in order."""
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def retry_wait(attempt: int, retry_after: str | None, *, now: dt.datetime | None = None) -> float:
    """Seconds to wait before retry number ``attempt`` (1, 2, …).

    ``Retry-After`` (seconds or an HTTP date) wins when given, up to :data:`MAX_WAIT_SECONDS`;
    otherwise 1, 2, 4 … seconds.
    """
    backoff = BACKOFF_SECONDS * 2 ** (attempt - 1)
    if retry_after:
        text = retry_after.strip()
        seconds: float | None = None
        if text.isdigit():
            seconds = float(text)
        else:
            try:
                when = email.utils.parsedate_to_datetime(text)
            except (TypeError, ValueError):
                when = None
            if when is not None:
                if when.tzinfo is None:
                    when = when.replace(tzinfo=dt.UTC)
                seconds = (when - (now or dt.datetime.now(dt.UTC))).total_seconds()
        if seconds is not None:
            return min(max(seconds, 0.0), MAX_WAIT_SECONDS)
    return min(backoff, MAX_WAIT_SECONDS)


class KoladaClient:
    """A small client for the Kolada API v3: metadata look-ups and data, with retries and paging.

    ``sleep`` is how the client waits between retries (tests pass a recorder instead).
    """

    def __init__(
        self,
        base_url: str = DEFAULT_API_URL,
        *,
        timeout: float = TIMEOUT_SECONDS,
        max_attempts: int = MAX_ATTEMPTS,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        import httpx

        self._httpx = httpx
        self.base_url = base_url.rstrip("/")
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise KoladaError(
                f'Adressen "{base_url}" till Kolada är ogiltig; ange en http- eller https-adress, '
                f"t.ex. {DEFAULT_API_URL}."
            )
        self._origin = (parts.scheme, parts.netloc)
        self.max_attempts = max(1, max_attempts)
        self.timeout = timeout
        self.sleep = sleep or _sleep
        self.requests = 0
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, CONNECT_TIMEOUT_SECONDS)),
            headers={"Accept": "application/json", "User-Agent": "ksreport"},
            follow_redirects=False,
            trust_env=True,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> KoladaClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- requests ---------------------------------------------------------------------------

    def _fetch(self, url: str, params: dict[str, str | int] | None) -> tuple[int, bytes, str]:
        """One GET: (status, body, Retry-After); network trouble is raised as httpx errors."""
        self.requests += 1
        with self._http.stream("GET", url, params=params) as response:
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
                raise KoladaError(self._too_large())
            body = bytearray()
            for part in response.iter_bytes():
                body += part
                if len(body) > MAX_BODY_BYTES:
                    raise KoladaError(self._too_large())
            return response.status_code, bytes(body), response.headers.get("Retry-After", "")

    def _too_large(self) -> str:
        return (
            f"Kolada ({self.base_url}) svarade med mer än {MAX_BODY_BYTES // (1024 * 1024)} MB. "
            "Svaret används inte och arbetsboken har inte ändrats."
        )

    def get_json(self, url: str, params: dict[str, str | int] | None = None) -> Any | None:
        """GET ``url`` and decode its JSON; None on 404. Retries 429, 5xx and network errors."""
        httpx = self._httpx
        problem = ""
        for attempt in range(1, self.max_attempts + 1):
            retry_after = ""
            try:
                status, body, retry_after = self._fetch(url, params)
            except httpx.TimeoutException:
                problem = f"svarade inte inom {self.timeout:g} sekunder"
            except httpx.TransportError as exc:
                problem = f"kunde inte nås ({exc.__class__.__name__}: {exc})"
            except httpx.HTTPError as exc:
                problem = f"gav ett svar som inte kunde läsas ({exc.__class__.__name__}: {exc})"
            else:
                if status == 200:
                    return self._decode(url, body)
                if status == 404:
                    return None
                if status != 429 and status < 500:
                    raise KoladaError(
                        f"Kolada avvisade frågan {url} med HTTP {status}: {_snippet(body)} "
                        "Arbetsboken har inte ändrats."
                    )
                problem = f"svarade med HTTP {status}" + (
                    " (för många anrop)" if status == 429 else " (serverfel)"
                )
            if attempt < self.max_attempts:
                self.sleep(retry_wait(attempt, retry_after))
        if problem.startswith("kunde inte nås"):
            raise KoladaError(
                f"Kolada ({self.base_url}) {problem}, även efter {self.max_attempts} försök. "
                "Kontrollera nätverksanslutningen (eller adressen i --api-url) och försök igen. "
                "Arbetsboken har inte ändrats."
            )
        raise KoladaError(
            f"Kolada ({self.base_url}) {problem}, även efter {self.max_attempts} försök. "
            "Försök igen om en stund. Arbetsboken har inte ändrats."
        )

    def _decode(self, url: str, body: bytes) -> Any:
        try:
            return json.loads(body.decode("utf-8"), parse_constant=_no_constant)
        except (UnicodeDecodeError, ValueError):
            raise KoladaError(
                f"Kolada svarade på {url} med något som inte är JSON: {_snippet(body)} "
                "Arbetsboken har inte ändrats."
            ) from None

    def pages(self, path: str, params: dict[str, str | int] | None = None) -> Iterator[list[Any]]:
        """The ``values`` of every page of ``path``, following ``next_page`` on the same host.

        Yields nothing when the first page is 404 (an unknown id in a metadata path).
        """
        url: str | None = f"{self.base_url}/{path.lstrip('/')}"
        query: dict[str, str | int] | None = {**(params or {}), "per_page": PER_PAGE}
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            assert url is not None
            seen.add(url)
            body = self.get_json(url, query)
            if body is None:
                return
            if not isinstance(body, dict) or not isinstance(body.get("values"), list):
                raise self.malformed(url, 'fältet "values" saknas eller är ingen lista')
            yield body["values"]
            following = body.get("next_page") or body.get("next_url")
            if following in (None, ""):
                return
            if not isinstance(following, str):
                raise self.malformed(url, '"next_page" är ingen adress')
            url = urljoin(url, following)
            parts = urlsplit(url)
            if (parts.scheme, parts.netloc) != self._origin:
                raise self.malformed(url, f'"next_page" pekar på en annan server ({parts.netloc})')
            if url in seen:
                raise self.malformed(url, '"next_page" pekar på en sida som redan har hämtats')
            query = None
        raise KoladaError(
            f"Kolada svarade med fler än {MAX_PAGES} sidor för {path}; hämta färre år eller "
            "nyckeltal åt gången. Arbetsboken har inte ändrats."
        )

    def malformed(self, url: str, what: str) -> KoladaError:
        return KoladaError(
            f"Kolada svarade på {url} i ett oväntat format ({what}). Svaret används inte och "
            "arbetsboken har inte ändrats."
        )

    # --- metadata ---------------------------------------------------------------------------

    def municipality(self, code: str) -> Place | None:
        """The municipality (or ``0000``, the country) with this code, or None if unknown."""
        _check_ids([code])
        for item in self._items(f"municipality/{code}"):
            if str(item.get("id")) == code:
                return Place(code, _text(item.get("title")))
        return None

    def kpis(self, ids: Sequence[str]) -> dict[str, Kpi]:
        """The KPIs among ``ids`` that Kolada knows, by id."""
        _check_ids(ids)
        found: dict[str, Kpi] = {}
        for batch in chunks(sorted(set(ids))):
            for item in self._items(f"kpi/{','.join(batch)}"):
                kid = _text(item.get("id")).upper()
                if kid in batch:
                    divided = item.get("is_divided_by_gender", item.get("divided_by_gender"))
                    found[kid] = Kpi(kid, _text(item.get("title")), bool(divided))
        return found

    def group(self, group_id: str) -> Place | None:
        """The municipality group with this id (``G37411``), or None if unknown."""
        _check_ids([group_id])
        for item in self._items(f"municipality_groups/{group_id}"):
            if _text(item.get("id")).upper() == group_id.upper():
                return Place(group_id.upper(), _text(item.get("title")))
        return None

    def groups(self, title: str) -> list[Place]:
        """Municipality groups whose title contains ``title`` (Kolada's title search)."""
        return [
            Place(_text(item.get("id")), _text(item.get("title")))
            for item in self._items("municipality_groups", {"title": title})
            if _text(item.get("id"))
        ]

    def _items(
        self, path: str, params: dict[str, str | int] | None = None
    ) -> Iterator[dict[str, Any]]:
        for page in self.pages(path, params):
            for item in page:
                if not isinstance(item, dict):
                    raise self.malformed(f"{self.base_url}/{path}", "en post är inget objekt")
                yield item

    # --- data -------------------------------------------------------------------------------

    def values(
        self, kpis: Sequence[str], municipalities: Sequence[str], years: Sequence[int]
    ) -> list[Value]:
        """Every value of ``kpis`` for ``municipalities`` and ``years``, in batches of 25 ids."""
        _check_ids([*kpis, *municipalities])
        found: list[Value] = []
        year_texts = [str(y) for y in sorted(set(years))]
        for kpi_batch in chunks(sorted(set(kpis))):
            for muni_batch in chunks(list(dict.fromkeys(municipalities))):
                for year_batch in chunks(year_texts):
                    path = (
                        f"data/kpi/{','.join(kpi_batch)}/municipality/{','.join(muni_batch)}"
                        f"/year/{','.join(year_batch)}"
                    )
                    for item in self._items(path):
                        found.extend(self._parse_values(path, item))
        return found

    def _parse_values(self, path: str, item: dict[str, Any]) -> list[Value]:
        url = f"{self.base_url}/{path}"
        kpi = item.get("kpi")
        municipality = item.get("municipality")
        period = item.get("period")
        entries = item.get("values")
        if not isinstance(kpi, str) or not isinstance(municipality, str):
            raise self.malformed(url, '"kpi" eller "municipality" saknas')
        if isinstance(period, str) and period.strip().isdigit():
            period = int(period)
        if not isinstance(period, int) or isinstance(period, bool) or not 1900 <= period <= 2200:
            raise self.malformed(url, f'"period" {period!r} är inget år')
        if not isinstance(entries, list):
            raise self.malformed(url, '"values" för ett år är ingen lista')
        out = []
        for entry in entries:
            if not isinstance(entry, dict):
                raise self.malformed(url, "ett värde är inget objekt")
            gender = entry.get("gender", "T")
            number = entry.get("value")
            status = entry.get("status") or ""
            if gender not in GENDERS:
                raise self.malformed(url, f'"gender" {gender!r} är inte T, K eller M')
            if number is not None and (
                isinstance(number, bool)
                or not isinstance(number, int | float)
                or not math.isfinite(number)
            ):
                raise self.malformed(url, f'"value" {number!r} är inget tal')
            if not isinstance(status, str):
                raise self.malformed(url, '"status" är ingen text')
            out.append(
                Value(
                    kpi.upper(),
                    municipality,
                    period,
                    gender,
                    None if number is None else float(number),
                    status.strip(),
                )
            )
        return out


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


def _check_ids(ids: Sequence[str]) -> None:
    """Ids go into URL paths: only KPI ids, municipality codes and group ids are allowed."""
    for i in ids:
        if not (_BARE_KPI.match(i) or _MUNICIPALITY.match(i)):
            raise KoladaError(f'"{i}" är inget id för ett nyckeltal, en kommun eller en grupp.')


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _snippet(body: bytes, limit: int = 120) -> str:
    text = " ".join(body.decode("utf-8", "replace").split())
    if not text:
        return "(tomt svar)."
    return f'"{text[:limit]}…".' if len(text) > limit else f'"{text}".'


def _no_constant(name: str) -> float:
    raise ValueError(name)
