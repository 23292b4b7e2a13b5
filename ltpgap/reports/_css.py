"""The PDF's style sheet: A4, page numbers, NHS identity colours, RAG words on their colours."""

from __future__ import annotations

from ltpgap.schema import RAG_COLOURS

__all__ = ["css", "css_string"]


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string; anything but plain characters as a CSS escape.

    The footer names the source file, which a user chose: escaping every quote, backslash,
    angle bracket and control character means it can never end the string or the style sheet.
    """
    safe = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;()-_·")
    return '"' + "".join(ch if ch in safe else f"\\{ord(ch):x} " for ch in text) + '"'


def _rag_rules() -> str:
    rules = []
    for rag, (fill, text) in RAG_COLOURS.items():
        name = "rag-" + rag.lower().replace(" ", "-").replace("/", "")
        border = "#768692" if rag in ("Not assessed", "N/A") else f"#{fill}"
        rules.append(
            f".{name} {{ background: #{fill}; color: #{text}; border: 0.6pt solid {border}; }}"
        )
    return "\n".join(rules)


def css(footer: str) -> str:
    """The style sheet, with the data source and as-at date in every page's footer."""
    return f"""
@page {{
  size: A4;
  margin: 16mm 14mm 20mm 14mm;
  @bottom-left {{ content: {css_string(footer)}; font-size: 7.5pt; color: #425563;
                  width: 80%; vertical-align: top; padding-top: 3mm; }}
  @bottom-right {{ content: "Page " counter(page) " of " counter(pages); font-size: 7.5pt;
                   color: #425563; vertical-align: top; padding-top: 3mm; }}
}}
@page landscape {{ size: A4 landscape; margin: 12mm 12mm 18mm 12mm; }}
html {{ font-family: Arial, "Liberation Sans", "DejaVu Sans", sans-serif; font-size: 10pt;
        color: #212B32; line-height: 1.35; }}
h1 {{ color: #003087; font-size: 24pt; margin: 0 0 2mm; }}
h2 {{ color: #003087; font-size: 16pt; margin: 0 0 2mm; border-bottom: 1.5pt solid #005EB8;
      padding-bottom: 1mm; break-after: avoid; }}
h3 {{ color: #005EB8; font-size: 12pt; margin: 4mm 0 1mm; break-after: avoid; }}
section {{ margin-top: 7mm; }}
.landscape {{ page: landscape; break-before: page; }}
.landscape + section {{ break-before: page; }}
.cover {{ margin-bottom: 8mm; }}
.kicker {{ color: #005EB8; font-weight: bold; margin: 0 0 6mm; font-size: 11pt; }}
.subject {{ font-size: 15pt; color: #005EB8; margin: 0 0 6mm; }}
.lede {{ color: #425563; margin: 0 0 3mm; break-after: avoid; }}
.charts {{ break-before: page; }}
.note {{ color: #425563; font-size: 8.5pt; margin: 1mm 0 4mm; }}
table {{ border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; }}
caption {{ text-align: left; font-weight: bold; color: #003087; padding: 0 0 1.5mm;
           caption-side: top; }}
th, td {{ border: 0.6pt solid #AEB7BD; padding: 1.2mm 1.6mm; text-align: left;
          vertical-align: top; }}
thead th {{ background: #003087; color: #FFFFFF; }}
tbody th {{ background: #F3F6F7; }}
td.num {{ text-align: right; }}
tr {{ break-inside: avoid; }}
thead {{ display: table-header-group; }}
.small {{ font-size: 8.5pt; }}
.cover-table th {{ width: 28%; background: #E8EDEE; color: #003087; }}
.cover-table td {{ font-size: 11pt; }}
.highlights li {{ margin-bottom: 1.5mm; }}
td.rag {{ font-weight: bold; }}
figure {{ margin: 0 0 5mm; break-inside: avoid; }}
figure img {{ width: 100%; }}
figcaption {{ font-size: 8.5pt; color: #425563; }}
.grid {{ font-size: 6.8pt; table-layout: fixed; line-height: 1.2; }}
.grid thead th {{ font-size: 7.5pt; }}
.grid col.stage {{ width: 0.75in; }}
.grid tbody th {{ color: #003087; }}
.grid td {{ padding: 1mm; }}
.grid tr {{ break-inside: avoid; }}
.grid + .grid {{ break-before: page; }}
ul.items {{ list-style: none; margin: 0; padding: 0; }}
ul.items li {{ margin: 0 0 0.7mm; }}
.badge {{ font-weight: bold; padding: 0 0.8mm; border-radius: 0.8mm; white-space: nowrap; }}
{_rag_rules()}
"""
