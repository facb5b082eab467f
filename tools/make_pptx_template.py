"""Regenerate the packaged PowerPoint master ``src/ksreport/templates/presentation.pptx``.

Run ``python tools/make_pptx_template.py`` after changing the house master in
``ksreport/render/pptx.py``. The output is reproducible (fixed dates, fixed zip order).
"""

from __future__ import annotations

from pathlib import Path

from ksreport.render.pptx import TEMPLATE_NAME, build_template

TARGET = Path(__file__).resolve().parents[1] / "src" / "ksreport" / "templates" / TEMPLATE_NAME


def main() -> None:
    TARGET.write_bytes(build_template())
    print(TARGET)


if __name__ == "__main__":
    main()
