"""Regenerate the packaged Word template ``src/ksreport/templates/verksamhetsberattelse.docx``.

Run ``python tools/make_docx_template.py`` after changing the house styles in
``ksreport/render/docx.py``. The output is reproducible (fixed dates, fixed zip order).
"""

from __future__ import annotations

from pathlib import Path

from ksreport.render.docx import TEMPLATE_NAME, build_template

TARGET = Path(__file__).resolve().parents[1] / "src" / "ksreport" / "templates" / TEMPLATE_NAME


def main() -> None:
    TARGET.write_bytes(build_template())
    print(TARGET)


if __name__ == "__main__":
    main()
