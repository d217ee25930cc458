"""Report files of rounds: read a round into ``reports.model.ReportData`` (``data``), make
its PDF, XLSX and CSV files once per round and data version (``cache``), and the
``evalapp report`` command (``cli``).

For the web dashboard: ``load_report_data(session, round_)`` gives the data the charts of
``reports.charts`` draw (e.g. ``reports.charts.png(draw_funnel, data, "awareness")``), and
``cached_file(session, round_, "report.pdf", app.instance_path)`` /
``cached_card(session, round_, unit_code, app.instance_path)`` the paths of files to send.
"""

from .cache import cached_card, cached_file, report_folder
from .data import load_report_data

__all__ = ["cached_card", "cached_file", "load_report_data", "report_folder"]
