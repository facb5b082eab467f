"""Workbook input and output: reading the xlsx workbook and writing the blank template."""
