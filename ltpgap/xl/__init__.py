"""The Excel add-in: one set of workbook operations for desktop xlwings, Server and Lite.

- :mod:`ltpgap.xl.operations` — ``push_catalogue``, ``recompute``, ``check`` on an
  ``xlwings.Book`` (any runtime);
- :mod:`ltpgap.xl.scripts` — the ``@script`` buttons; :mod:`ltpgap.xl.server` (``ltpgap
  serve``), :mod:`ltpgap.xl.desktop` (RunPython) and :mod:`ltpgap.xl.lite` run them.

Importing this package imports neither xlwings nor any xlwings PRO code; the runtime
adapters do, and only they need the licences described in the README (the add-in section,
"Licensing").
"""

from ltpgap.xl.operations import Outcome, check, push_catalogue, recompute

__all__ = ["Outcome", "check", "push_catalogue", "recompute"]
