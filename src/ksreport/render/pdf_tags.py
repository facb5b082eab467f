"""Render stage, PDF post-processing: mend WeasyPrint's tag tree for PDF/UA-1 (ISO 14289-1).

WeasyPrint (70) tags the page-margin boxes (running headers, "Sida N av M") as content under
NonStruct elements that the tree never links (Kozea/WeasyPrint issue 1836), and drops the HTML
``scope`` of header cells. This step, run on WeasyPrint's bytes with pikepdf (qpdf), turns every
marked-content sequence that the structure tree cannot reach into ``/Artifact <</Type
/Pagination>>``, removes it from the ParentTree, and gives every TH a /Scope.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name


def struct_elements(root: Any) -> Iterator[Any]:
    """Every structure element reachable from ``root`` (StructTreeRoot), parents first."""
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


def _page_mappings(root: Any) -> dict[int, tuple[Any, int]]:
    """Where each ParentTree key's array sits: {key: (the /Nums array, index of the value)}.

    WeasyPrint writes one flat /Nums array; a tree with /Kids (not written by it) is left alone.
    """
    tree = root.get("/ParentTree")
    nums = tree.get("/Nums") if isinstance(tree, Dictionary) else None
    if not isinstance(nums, Array):
        return {}
    return {int(nums[i]): (nums, i + 1) for i in range(0, len(nums) - 1, 2)}


_MARKED = re.compile(rb"/\w+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")


def _artifact_page(pdf: pikepdf.Pdf, page: pikepdf.Page, orphans: set[int]) -> None:
    """Rewrite ``/Tag <</MCID n>> BDC`` as ``/Artifact <</Type /Pagination>> BDC`` for n in
    ``orphans``.

    A regular expression over the decoded stream rather than a token parse: five times faster
    on the report, and safe on WeasyPrint's streams, which write text as hex strings only.
    """

    def swap(match: re.Match[bytes]) -> bytes:
        if int(match[1]) in orphans:
            return b"/Artifact <</Type /Pagination>> BDC"
        return match[0]

    contents = page.obj.Contents
    streams = list(contents) if isinstance(contents, Array) else [contents]
    for stream in streams:
        stream.write(_MARKED.sub(swap, stream.read_bytes()))


def _scope(th: Any) -> Name:
    """Column for a header in THead or in a row of headers only, Row for one beside data cells
    (the HTML's ``scope="row"`` and ``"col"``, which WeasyPrint does not carry over)."""
    row = th.get("/P")
    if row is None:
        return Name.Column
    section = row.get("/P")
    if section is not None and section.get("/S") == Name.THead:
        return Name.Column
    cells = row.get("/K", Array())
    cells = cells if isinstance(cells, Array) else Array([cells])
    has_data = any(isinstance(c, Dictionary) and c.get("/S") == Name.TD for c in cells)
    return Name.Row if has_data else Name.Column


def mend_tags(data: bytes) -> bytes:
    """WeasyPrint's PDF bytes → the same PDF with pagination as Artifact and TH with /Scope."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            return data
        elements = list(struct_elements(root))
        reachable = {e.objgen for e in elements if e.is_indirect}
        mappings = _page_mappings(root)
        for page in pdf.pages:
            key = page.obj.get("/StructParents")
            if key is None or int(key) not in mappings:
                continue
            nums, at = mappings[int(key)]
            mapping = nums[at]
            if not isinstance(mapping, Array):
                continue
            orphans = {
                mcid
                for mcid, elem in enumerate(mapping)
                if isinstance(elem, Dictionary) and elem.objgen not in reachable
            }
            if not orphans:
                continue
            _artifact_page(pdf, page, orphans)
            kept = [None if mcid in orphans else elem for mcid, elem in enumerate(mapping)]
            while kept and kept[-1] is None:
                kept.pop()
            nums[at] = Array(kept)
        for element in elements:
            if element.S == Name.TH:
                attributes = element.get("/A")
                if not isinstance(attributes, Dictionary):
                    attributes = Dictionary(O=Name.Table)
                    element.A = attributes
                if "/Scope" not in attributes:
                    attributes.Scope = _scope(element)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()
