"""A 16:9 deck whose slides have real titles, a lede, and the data source on every one."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from pptx import Presentation
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Inches

from ltpgap.reports._output import atomic_output
from ltpgap.reports._slides import (
    DARK_BLUE,
    FULL,
    GREY,
    HEIGHT,
    LEFT,
    WIDTH,
    Box,
    Run,
    add_text,
    fill_frame,
)
from ltpgap.reports.model import ReportData

__all__ = ["Deck"]


class Deck:
    """A 16:9 presentation whose slides all use the Title Only layout (real slide titles)."""

    def __init__(self, data: ReportData) -> None:
        self.data = data
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = Inches(WIDTH), Inches(HEIGHT)
        self.layout = self.prs.slide_layouts.get_by_name("Title Only")

    def slide(self, title: str, lede: str = "") -> Any:
        """A new slide with its title (a real title placeholder) and an optional lede line."""
        slide = self.prs.slides.add_slide(self.layout)
        head = slide.shapes.title
        head.left, head.top, head.width, head.height = (
            Inches(LEFT),
            Inches(0.3),
            Inches(FULL),
            Inches(0.7),
        )
        frame = head.text_frame
        fill_frame(frame, [[Run(title, bold=True, colour=DARK_BLUE)]], size=26, align=PP_ALIGN.LEFT)
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        frame.margin_left = frame.margin_right = Inches(0.05)  # align with the text below
        if lede:
            add_text(slide, Box(LEFT, 0.98, FULL, 0.4), [[Run(lede, colour=GREY)]], size=13)
        return slide

    def finish(self, path: Path) -> Path:
        """Number the slides, add every footer and the properties, and save atomically."""
        total = len(self.prs.slides)
        for n, slide in enumerate(self.prs.slides, start=1):
            footer = [[Run(self.data.footer, colour=GREY)]]
            add_text(slide, Box(LEFT, 6.98, FULL - 1.6, 0.35), footer, size=9, space_after=0)
            number = [[Run(f"{n} / {total}", colour=GREY)]]
            add_text(
                slide,
                Box(WIDTH - LEFT - 1.5, 6.98, 1.5, 0.35),
                number,
                size=9,
                align=PP_ALIGN.RIGHT,
                space_after=0,
            )
        self._properties()
        with atomic_output(path) as tmp:
            self.prs.save(str(tmp))
        return path

    def _properties(self) -> None:
        """Document properties name the organisation, never the library that wrote the file."""
        data, props = self.data, self.prs.core_properties
        who = data.cover.organisation or data.subject.name
        props.title = data.title
        props.author = props.last_modified_by = who
        props.subject = f"{data.source} as at {data.as_at_text}"
        props.comments = f"Gap analysis from {data.source}, as at {data.as_at_text}."
        props.keywords = "NHS Long Term Plan; gap analysis; RAG"
        props.category = "Board paper"
        props.language = "en-GB"
        for part in self.prs.part.package.iter_parts():
            if str(part.partname) == "/docProps/app.xml":
                text = part.blob.decode("utf-8")
                company = f"<Company>{xml_escape(who)}</Company>"
                text = re.sub(r"<Company\s*/>|<Company>.*?</Company>", company, text, flags=re.S)
                part._blob = text.encode("utf-8")
