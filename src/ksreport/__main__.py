"""Entry point for ``python -m ksreport``."""

from ksreport.cli import main

main()
