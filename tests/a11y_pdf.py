"""PDF accessibility audit (PDF/UA-1 checks a reviewer would run), read with pikepdf.

Each function returns a list of findings (empty when the PDF passes), so a test can assert
``== []`` and print what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name


def walk(pdf: pikepdf.Pdf) -> Iterator[Any]:
    """Every structure element reachable from the StructTreeRoot, in reading order."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    seen: set[tuple[int, int]] = set()
    stack = [root.get("/K")]
    while stack:
        node = stack.pop()
        if isinstance(node, Array):
            stack.extend(reversed(list(node)))
        elif isinstance(node, Dictionary) and "/S" in node:
            if node.is_indirect:
                if node.objgen in seen:
                    continue
                seen.add(node.objgen)
            yield node
            if "/K" in node:
                stack.append(node.K)


def _kids(elem: Any) -> list[Any]:
    k = elem.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, Array) else [k]


def _page_index(pdf: pikepdf.Pdf) -> dict[tuple[int, int], int]:
    return {p.obj.objgen: i for i, p in enumerate(pdf.pages)}


def reachable_mcids(pdf: pikepdf.Pdf) -> set[tuple[int, int]]:
    """(page index, MCID) of every marked-content sequence the structure tree links to."""
    pages = _page_index(pdf)
    found: set[tuple[int, int]] = set()
    for elem in walk(pdf):
        for kid in _kids(elem):
            if isinstance(kid, int):
                page = elem.get("/Pg")
                found.add((pages.get(page.objgen, -1) if page is not None else -1, int(kid)))
            elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR:
                page = kid.get("/Pg", elem.get("/Pg"))
                found.add((pages.get(page.objgen, -1), int(kid.MCID)))
    return found


_BDC = re.compile(rb"/(\w+)\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")


def marked_content(pdf: pikepdf.Pdf) -> list[tuple[int, str, int]]:
    """(page index, tag, MCID) of every marked-content sequence with an MCID on every page."""
    found = []
    for i, page in enumerate(pdf.pages):
        for operands, _operator in pikepdf.parse_content_stream(page, "BDC"):
            props = operands[1] if len(operands) == 2 else None
            if isinstance(props, Dictionary) and "/MCID" in props:
                found.append((i, str(operands[0])[1:], int(props.MCID)))
    return found


def untagged_content(pdf: pikepdf.Pdf) -> list[str]:
    """Marked content not reachable from the StructTreeRoot and not an Artifact."""
    reachable = reachable_mcids(pdf)
    return [
        f"page {page + 1}: /{tag} MCID {mcid} is not in the structure tree"
        for page, tag, mcid in marked_content(pdf)
        if tag != "Artifact" and (page, mcid) not in reachable
    ]


def stale_parent_tree(pdf: pikepdf.Pdf) -> list[str]:
    """ParentTree entries that point at elements the structure tree does not reach."""
    root = pdf.Root.get("/StructTreeRoot")
    tree = root.get("/ParentTree") if root is not None else None
    if tree is None:
        return []
    reachable = {e.objgen for e in walk(pdf)}
    found = []
    for key, value in pikepdf.NumberTree(tree).items():
        for mcid, elem in enumerate(value if isinstance(value, Array) else [value]):
            if isinstance(elem, Dictionary) and elem.objgen not in reachable:
                found.append(f"ParentTree {key}[{mcid}] -> unreachable /{str(elem.get('/S'))[1:]}")
    return found


def scopes(pdf: pikepdf.Pdf) -> dict[str, int]:
    """How many TH have each /Scope."""
    counts: dict[str, int] = {}
    for elem in walk(pdf):
        if elem.S == Name.TH and isinstance(elem.get("/A"), Dictionary):
            scope = str(elem.A.get("/Scope", "/none"))[1:]
            counts[scope] = counts.get(scope, 0) + 1
    return counts


def pagination_artifacts(pdf: pikepdf.Pdf) -> int:
    """How many ``/Artifact <</Type /Pagination>>`` sequences the pages have."""
    count = 0
    for page in pdf.pages:
        for operands, _ in pikepdf.parse_content_stream(page, "BDC"):
            if (
                operands[0] == Name.Artifact
                and isinstance(operands[1], Dictionary)
                and operands[1].get("/Type") == Name.Pagination
            ):
                count += 1
    return count


def heading_skips(pdf: pikepdf.Pdf) -> list[str]:
    """Headings that go down more than one level from the previous heading (H1 → H3)."""
    found, previous = [], 0
    for elem in walk(pdf):
        tag = str(elem.S)[1:]
        if re.fullmatch(r"H[1-6]", tag):
            level = int(tag[1])
            if level > previous + 1:
                found.append(f"H{level} after H{previous or '–'}")
            previous = level
    return found


def figures_without_alt(pdf: pikepdf.Pdf) -> list[str]:
    return [
        f"Figure #{n}" for n, e in enumerate(walk(pdf)) if Name.Figure == e.S and not e.get("/Alt")
    ]


def th_without_scope(pdf: pikepdf.Pdf) -> list[str]:
    found = []
    for elem in walk(pdf):
        if elem.S == Name.TH:
            attrs = elem.get("/A")
            attrs = list(attrs) if isinstance(attrs, Array) else [attrs]
            if not any(isinstance(a, Dictionary) and "/Scope" in a for a in attrs):
                found.append(f"TH {elem.get('/ID', '?')}")
    return found


def tables_without_caption(pdf: pikepdf.Pdf) -> list[str]:
    """Tables with neither a Caption nor /Alt, except the later parts of a table split at a
    page break (WeasyPrint makes one Table per page; the caption stays with the first part):
    a table that follows another with no heading between them."""
    found = []
    n, after_table = 0, False
    for elem in walk(pdf):
        if re.fullmatch(r"/H[1-6]", str(elem.S)):
            after_table = False
        elif Name.Table == elem.S:
            n += 1
            captioned = any(
                isinstance(k, Dictionary) and k.get("/S") == Name.Caption for k in _kids(elem)
            )
            if not captioned and not elem.get("/Alt") and not after_table:
                found.append(f"Table #{n}")
            after_table = True
    return found


def tables_of_headers_only(pdf: pikepdf.Pdf) -> list[str]:
    """Tables whose every cell is a TH: nothing for the headers to head."""
    found = []
    for n, elem in enumerate(e for e in walk(pdf) if Name.Table == e.S):
        cells = _cells(elem)
        if cells and all(c.S == Name.TH for c in cells):
            found.append(f"Table #{n + 1} ({len(cells)} TH, no TD)")
    return found


def _cells(table: Any) -> list[Any]:
    out: list[Any] = []
    for kid in _kids(table):
        if isinstance(kid, Dictionary) and "/S" in kid:
            if kid.S in (Name.TH, Name.TD):
                out.append(kid)
            elif Name.Table != kid.S:
                out.extend(_cells(kid))
    return out


def font_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Fonts used on the pages (and their forms) that are not embedded or lack ToUnicode."""
    found: set[str] = set()
    seen: set[tuple[int, int]] = set()

    def check_resources(res: Any) -> None:
        if not isinstance(res, Dictionary):
            return
        for font in (res.get("/Font") or Dictionary()).values():
            if font.is_indirect and font.objgen in seen:
                continue
            if font.is_indirect:
                seen.add(font.objgen)
            name = str(font.get("/BaseFont", "?"))
            fonts = [font]
            if font.get("/Subtype") == Name.Type0:
                fonts = list(font.DescendantFonts)
            if font.get("/Subtype") != Name.Type3:
                for f in fonts:
                    desc = f.get("/FontDescriptor")
                    if desc is None or not any(
                        k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")
                    ):
                        found.add(f"{name}: not embedded")
            if "/ToUnicode" not in font:
                found.add(f"{name}: no ToUnicode")
        for xobj in (res.get("/XObject") or Dictionary()).values():
            if xobj.is_indirect and xobj.objgen in seen:
                continue
            if xobj.is_indirect:
                seen.add(xobj.objgen)
            if xobj.get("/Subtype") == Name.Form:
                check_resources(xobj.get("/Resources"))

    for page in pdf.pages:
        check_resources(page.obj.get("/Resources"))
    return sorted(found)


@dataclass
class Audit:
    """All findings for one PDF."""

    untagged: list[str] = field(default_factory=list)
    stale_parent_tree: list[str] = field(default_factory=list)
    heading_skips: list[str] = field(default_factory=list)
    figures_without_alt: list[str] = field(default_factory=list)
    th_without_scope: list[str] = field(default_factory=list)
    tables_without_caption: list[str] = field(default_factory=list)
    tables_of_headers_only: list[str] = field(default_factory=list)
    fonts: list[str] = field(default_factory=list)
    tables: int = 0
    pagination: int = 0
    scopes: dict[str, int] = field(default_factory=dict)

    def problems(self) -> dict[str, list[str]]:
        return {k: v for k, v in vars(self).items() if isinstance(v, list) and v and k != "tables"}

    def counts(self) -> dict[str, int]:
        return {k: len(v) for k, v in vars(self).items() if isinstance(v, list)} | {
            "tables": self.tables,
            "pagination": self.pagination,
        }


def audit(path: Path | bytes) -> Audit:
    source: Any = path if isinstance(path, Path) else __import__("io").BytesIO(path)
    with pikepdf.open(source) as pdf:
        return Audit(
            untagged=untagged_content(pdf),
            stale_parent_tree=stale_parent_tree(pdf),
            heading_skips=heading_skips(pdf),
            figures_without_alt=figures_without_alt(pdf),
            th_without_scope=th_without_scope(pdf),
            tables_without_caption=tables_without_caption(pdf),
            tables_of_headers_only=tables_of_headers_only(pdf),
            fonts=font_problems(pdf),
            tables=sum(1 for e in walk(pdf) if Name.Table == e.S),
            pagination=pagination_artifacts(pdf),
            scopes=scopes(pdf),
        )


if __name__ == "__main__":
    import sys

    for arg in sys.argv[1:]:
        print(arg, audit(Path(arg)).counts())
