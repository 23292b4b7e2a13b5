"""xlwings Lite: the add-in's scripts inside Excel, with Python running in the browser.

In the xlwings Lite editor, add ltpgap's wheel to ``requirements.txt`` and put one line in
``main.py``::

    from ltpgap.xl.lite import check, push_catalogue, recompute  # noqa: F401

The three scripts then appear as Lite buttons. Everything they import is pure Python (pandas,
numpy and PyYAML come with Pyodide); the catalogue ships inside the package. xlwings Lite has
no way to lift sheet protection, so unprotect the Gap analysis and Summary sheets first
(Review › Unprotect Sheet; there is no password). No server is involved and no identity is
checked: the scripts change only the workbook open in your own Excel.
"""

from __future__ import annotations

from ltpgap.xl import runtime
from ltpgap.xl.protection import NoProtection
from ltpgap.xl.scripts import check, push_catalogue, recompute

__all__ = ["check", "push_catalogue", "recompute"]

runtime.configure(runtime.Runtime(name="lite", protection=NoProtection()))
