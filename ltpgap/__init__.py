"""ltpgap: NHS Long Term Plan gap analysis from catalogue to board report."""

__version__ = "0.1.0"

#: Version of the place workbook layout written by ltpgap (recorded in each workbook).
TEMPLATE_VERSION = "1"

__all__ = ["TEMPLATE_VERSION", "__version__"]
