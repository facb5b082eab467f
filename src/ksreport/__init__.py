"""ksreport: goal follow-up reports (måluppfyllelse) for Swedish municipal boards."""

__version__ = "0.1.0"
