"""The PDF report of a round (cover, method, league table, charts, report cards, appendix)
and the unit report card, drawn with matplotlib only (see `document`)."""

from reports.pdf.document import Page, plan, render, report_pdf, unit_card_pdf

__all__ = ["Page", "plan", "render", "report_pdf", "unit_card_pdf"]
