#!/usr/bin/env python3
"""Deterministic generator of synthetic clinical guideline PDFs and their ground truth.

Every document comes with `<name>.truth.json`: the blocks in reading order with their region kind,
and the tables and flowcharts as drawn. The same inputs give byte-identical PDFs (reportlab's
invariant mode), so goldens made from them are stable.

Usage: generate.py OUT_DIR
"""

import json
import sys
from pathlib import Path

from reportlab import rl_config

rl_config.invariant = 1  # fixed dates and document ids: byte-identical output

from reportlab.lib import colors  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.lib.utils import ImageReader  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
from reportlab.pdfgen import canvas as pdfcanvas  # noqa: E402
from reportlab.platypus import (  # noqa: E402
    BaseDocTemplate,
    Flowable,
    Frame,
    FrameBreak,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from content import EN, TWO_COLUMN, ZH  # noqa: E402
from scans import scanned_guideline  # noqa: E402
from tables import long_tables, pathological_tables, raster_table  # noqa: E402

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/wqy")]


def register_fonts():
    pdfmetrics.registerFont(TTFont("DejaVu", str(FONT_DIRS[0] / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("WQY", str(FONT_DIRS[1] / "wqy-microhei.ttc"), subfontIndex=0))
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))


class Truth:
    """Collects what a document holds, in reading order."""

    def __init__(self, name, title, lang):
        self.data = {"file": f"{name}.pdf", "title": title, "lang": lang, "blocks": [], "tables": [], "flowcharts": []}

    def block(self, page, kind, text):
        self.data["blocks"].append({"page": page, "kind": kind, "text": text})

    def write(self, out_dir, pages, furniture=None):
        """Writes the truth; `furniture` = (header, footer format) adds each page's header and footer
        after its body, where clinex's reading order puts them."""
        self.data["pages"] = pages
        if furniture:
            ordered = []
            for page in range(1, pages + 1):
                ordered += [b for b in self.data["blocks"] if b["page"] == page]
                ordered.append({"page": page, "kind": "header", "text": furniture[0]})
                ordered.append({"page": page, "kind": "footer", "text": furniture[1].format(page=page)})
            self.data["blocks"] = ordered
        path = out_dir / f"{Path(self.data['file']).stem}.truth.json"
        path.write_text(json.dumps(self.data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


class Flowchart(Flowable):
    """A vector flowchart: nodes are (id, shape, text, x, y) in a w x h box, edges (src, dst, label).

    Shapes: terminal (rounded box), process (box), decision (diamond). Connectors are straight
    lines or one-bend polylines ending in filled triangular arrowheads."""

    def __init__(self, spec, font, size=8.5):
        super().__init__()
        self.spec = spec
        self.font = font
        self.size = size
        self.width, self.height = spec["width"], spec["height"]

    def wrap(self, *_):
        return self.width, self.height

    def node_box(self, node):
        w, h = (node.get("w", 130), node.get("h", 30))
        if node["shape"] == "decision":
            w, h = node.get("w", 150), node.get("h", 56)
        return node["x"] - w / 2, node["y"] - h / 2, w, h

    def draw(self):
        c = self.canv
        nodes = {n["id"]: n for n in self.spec["nodes"]}
        for n in self.spec["nodes"]:
            x, y, w, h = self.node_box(n)
            c.setFillColor(colors.HexColor(n.get("fill", "#EAF2FB")))
            c.setStrokeColor(colors.black)
            c.setLineWidth(0.8)
            if n["shape"] == "terminal":
                c.roundRect(x, y, w, h, h / 2, stroke=1, fill=1)
            elif n["shape"] == "decision":
                p = c.beginPath()
                p.moveTo(x + w / 2, y + h)
                p.lineTo(x + w, y + h / 2)
                p.lineTo(x + w / 2, y)
                p.lineTo(x, y + h / 2)
                p.close()
                c.drawPath(p, stroke=1, fill=1)
            else:
                c.rect(x, y, w, h, stroke=1, fill=1)
            c.setFillColor(colors.black)
            lines = n["text"].split("\n")
            c.setFont(self.font, self.size)
            top = n["y"] + (len(lines) - 1) * self.size * 0.6 - self.size * 0.35
            for i, line in enumerate(lines):
                c.drawCentredString(n["x"], top - i * self.size * 1.2, line)
        for e in self.spec["edges"]:
            self.draw_edge(c, nodes[e["source"]], nodes[e["target"]], e.get("label"))

    def draw_edge(self, c, a, b, label):
        ax, ay, aw, ah = self.node_box(a)
        bx, by, bw, bh = self.node_box(b)
        c.setStrokeColor(colors.black)
        c.setLineWidth(0.8)
        if abs(a["x"] - b["x"]) < 1:  # straight down
            start, end = (a["x"], ay), (b["x"], by + bh)
            points = [start, end]
            label_at = (a["x"] + 4, ay - 10)
        else:  # leave from the side, then down
            side = ax + aw if b["x"] > a["x"] else ax
            start = (side, a["y"])
            end = (b["x"], by + bh)
            points = [start, (b["x"], a["y"]), end]
            label_at = ((side + b["x"]) / 2 - 6, a["y"] + 3)
        p = c.beginPath()
        p.moveTo(*points[0])
        for pt in points[1:-1]:
            p.lineTo(*pt)
        # stop the line at the arrowhead's base
        p.lineTo(end[0], end[1] + 6)
        c.drawPath(p, stroke=1, fill=0)
        head = c.beginPath()
        head.moveTo(end[0], end[1])
        head.lineTo(end[0] - 3.5, end[1] + 7)
        head.lineTo(end[0] + 3.5, end[1] + 7)
        head.close()
        c.setFillColor(colors.black)
        c.drawPath(head, stroke=0, fill=1)
        if label:
            c.setFont(self.font, self.size)
            c.drawString(label_at[0], label_at[1], label)


def furniture(header, footer_fmt, font):
    def draw(canv, doc):
        canv.saveState()
        canv.setFont(font, 8)
        canv.drawString(20 * mm, A4[1] - 12 * mm, header)
        canv.drawCentredString(A4[0] / 2, 10 * mm, footer_fmt.format(page=doc.page))
        canv.restoreState()

    return draw


def table_flowable(spec, font, bold_font, ruled=True):
    """A table with an optional spanning header row; `spec` has rows of strings and spans."""
    data = [list(r) for r in spec["rows"]]
    style = [
        ("FONT", (0, 0), (-1, -1), font, 8.5),
        ("FONT", (0, 0), (-1, spec["header_rows"] - 1), bold_font, 8.5),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    for (c0, r0), (c1, r1) in spec.get("spans", []):
        style.append(("SPAN", (c0, r0), (c1, r1)))
    if ruled:
        style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
        style.append(("BACKGROUND", (0, 0), (-1, spec["header_rows"] - 1), colors.HexColor("#D9E2F3")))
    else:  # booktabs: top, below the header, bottom
        style += [
            ("LINEABOVE", (0, 0), (-1, 0), 1.0, colors.black),
            ("LINEBELOW", (0, spec["header_rows"] - 1), (-1, spec["header_rows"] - 1), 0.5, colors.black),
            ("LINEBELOW", (0, -1), (-1, -1), 1.0, colors.black),
        ]
    wrapped = []
    cell_style = ParagraphStyle("cell", fontName=font, fontSize=8.5, leading=10.5, wordWrap=spec.get("wrap"))
    for r, row in enumerate(data):
        out = []
        for text in row:
            if r >= spec["header_rows"] and len(text) > 24:
                out.append(Paragraph(text, cell_style))
            else:
                out.append(text)
        wrapped.append(out)
    return Table(wrapped, colWidths=spec["col_widths"], style=TableStyle(style), repeatRows=spec["header_rows"])


def build(out_dir, spec):
    """Builds one document from a content spec (see content.py)."""
    truth = Truth(spec["name"], spec["title"], spec["lang"])
    styles = spec["styles"]
    path = out_dir / f"{spec['name']}.pdf"
    doc = BaseDocTemplate(str(path), pagesize=A4, title=spec.get("metadata_title", ""), author="clinex corpus",
                          leftMargin=20 * mm, rightMargin=20 * mm, topMargin=22 * mm, bottomMargin=20 * mm)
    w, h = A4
    full = Frame(20 * mm, 20 * mm, w - 40 * mm, h - 42 * mm, id="full")
    gutter = 8 * mm
    col_w = (w - 40 * mm - gutter) / 2
    head_h = spec.get("two_column_head", 0)
    left = Frame(20 * mm, 20 * mm, col_w, h - 42 * mm - head_h, id="left")
    right = Frame(20 * mm + col_w + gutter, 20 * mm, col_w, h - 42 * mm - head_h, id="right")
    top = Frame(20 * mm, h - 22 * mm - head_h, w - 40 * mm, head_h, id="top") if head_h else None
    on_page = furniture(spec["header"], spec["footer"], spec["fonts"]["body"])
    templates = [PageTemplate("one", [full], onPage=on_page)]
    if head_h:
        headed = PageTemplate("headed_two", [top, left, right], onPage=on_page)
        # The first template in the list lays out the first page.
        if spec.get("first_template") == "headed_two":
            templates.insert(0, headed)
        else:
            templates.append(headed)
    templates.append(PageTemplate("two", [Frame(20 * mm, 20 * mm, col_w, h - 42 * mm, id="l2"),
                                          Frame(20 * mm + col_w + gutter, 20 * mm, col_w, h - 42 * mm, id="r2")],
                                  onPage=on_page))
    doc.addPageTemplates(templates)

    story = []
    for item in spec["story"]:
        kind = item[0]
        page = item[1] if len(item) > 1 and isinstance(item[1], int) else None
        if kind == "template":
            story.append(NextPageTemplate(item[1]))
        elif kind == "pagebreak":
            story.append(PageBreak())
        elif kind == "framebreak":
            story.append(FrameBreak())
        elif kind == "space":
            story.append(Spacer(1, item[1]))
        elif kind == "table":
            _, page, tspec = item
            if tspec.get("caption"):
                story.append(Paragraph(tspec["caption"], styles["caption"]))
                truth.block(page, "caption", tspec["caption"])
            story.append(table_flowable(tspec, spec["fonts"]["body"], spec["fonts"]["bold"], tspec.get("ruled", True)))
            truth.data["tables"].append({"page": page, **{k: v for k, v in tspec.items() if k != "wrap"}})
        elif kind == "flowchart":
            _, page, fspec = item
            story.append(Flowchart(fspec, spec["fonts"]["body"]))
            if fspec.get("caption"):
                story.append(Paragraph(fspec["caption"], styles["caption"]))
                truth.block(page, "caption", fspec["caption"])
            truth.data["flowcharts"].append({"page": page, **fspec})
        else:  # a text block: (kind, page, text[, style])
            _, page, text = item[:3]
            style = styles[item[3] if len(item) > 3 else kind]
            story.append(Paragraph(text.replace("\n", "<br/>"), style))
            truth.block(page, kind, text)
    doc.build(story)
    truth.write(out_dir, doc.page, (spec["header"], spec["footer"]))
    return path


def hyphenation_page(out_dir):
    """Text set by hand: words broken across lines, ligature glyphs, a rotated page."""
    path = out_dir / "typesetting.pdf"
    truth = Truth("typesetting", "Typesetting cases", "en")
    c = pdfcanvas.Canvas(str(path), pagesize=A4)
    c.setTitle("Typesetting cases")
    c.setFont("Helvetica-Bold", 16)
    c.drawString(72, 770, "Typesetting cases")
    truth.block(1, "title", "Typesetting cases")
    c.setFont("Times-Roman", 11)
    lines = ["Intramuscular adrenaline is the recom-", "mended first treatment; antihistamines are", "second-line and non-", "Hodgkin lymphoma is unrelated."]
    for i, line in enumerate(lines):
        c.drawString(72, 730 - 13.5 * i, line)
    truth.block(1, "text", "Intramuscular adrenaline is the recommended first treatment; antihistamines are second-line and non-Hodgkin lymphoma is unrelated.")
    c.setFont("DejaVu", 11)
    c.drawString(72, 650, "The \ufb01rst \ufb02uid bolus is e\ufb00ective.")
    truth.block(1, "text", "The first fluid bolus is effective.")
    c.showPage()
    # Page 2 has /Rotate 90: reportlab stores it with a landscape media box (842 x 595), and a
    # viewer shows it portrait with the text running downwards.
    c.setPageRotation(90)
    c.setFont("Helvetica", 12)
    c.drawString(72, 500, "Shown in landscape")
    truth.block(2, "text", "Shown in landscape")
    c.showPage()
    # Page 3: text rotated within an upright page, as in vertical table headers.
    c.setPageRotation(0)
    c.setFont("Helvetica", 12)
    c.drawString(72, 770, "Upright page")
    truth.block(3, "text", "Upright page")
    c.saveState()
    c.translate(100, 400)
    c.rotate(90)
    c.drawString(0, 0, "Reads upwards")
    c.restoreState()
    c.saveState()
    c.translate(300, 600)
    c.rotate(-90)
    c.drawString(0, 0, "Reads downwards")
    c.restoreState()
    truth.block(3, "text", "Reads downwards")  # higher on the page, so read first
    truth.block(3, "text", "Reads upwards")
    c.showPage()
    c.save()
    truth.write(out_dir, 3)
    return path


def raster_flowchart(out_dir):
    """A guideline page whose algorithm is a picture (as many Chinese guidelines embed theirs):
    the flowchart drawn with PIL into a PNG, placed on the page with its caption as text."""
    from PIL import Image as PILImage, ImageDraw, ImageFont

    font = ImageFont.truetype(str(FONT_DIRS[1] / "wqy-microhei.ttc"), 26)
    img = PILImage.new("RGB", (1000, 760), "white")
    d = ImageDraw.Draw(img)
    steps = [("患者入院评估", 500, 70), ("疼痛评分≥4分？", 500, 220), ("启动阿片类药物滴定", 280, 390),
             ("非药物干预", 720, 390), ("24小时后复评", 280, 560), ("出院随访", 720, 560)]
    boxes = {}
    for text, cx, cy in steps:
        w, h = 300, 80
        box = (cx - w // 2, cy - h // 2, cx + w // 2, cy + h // 2)
        d.rectangle(box, outline="black", width=3)
        d.text((cx, cy), text, fill="black", font=font, anchor="mm")
        boxes[text] = box
    def arrow(a, b):
        d.line([a, b], fill="black", width=3)
        d.polygon([b, (b[0] - 9, b[1] - 16), (b[0] + 9, b[1] - 16)], fill="black")
    arrow((500, 110), (500, 180))
    d.line([(500, 260), (500, 300), (280, 300)], fill="black", width=3)
    arrow((280, 300), (280, 350))
    d.line([(500, 300), (720, 300)], fill="black", width=3)
    arrow((720, 300), (720, 350))
    arrow((280, 430), (280, 520))
    arrow((720, 430), (720, 520))
    d.text((380, 280), "是", fill="black", font=font)
    d.text((600, 280), "否", fill="black", font=font)
    png = out_dir / "raster_flowchart.png"
    img.save(png)

    path = out_dir / "raster_flowchart.pdf"
    truth = Truth("raster_flowchart", None, "zh")
    c = pdfcanvas.Canvas(str(path), pagesize=A4)
    c.setFont("WQY", 14)
    c.drawString(72, 770, "四、疼痛评估与治疗流程")
    truth.block(1, "heading", "四、疼痛评估与治疗流程")
    c.drawImage(ImageReader(str(png)), 72, 360, width=450, height=342)
    c.setFont("WQY", 10)
    c.drawString(72, 340, "图2 疼痛评估与治疗流程图")
    truth.block(1, "caption", "图2 疼痛评估与治疗流程图")
    c.showPage()
    c.save()
    png.unlink()
    edges = [(0, 1, None), (1, 2, "是"), (1, 3, "否"), (2, 4, None), (3, 5, None)]
    truth.data["flowcharts"].append({"page": 1, "raster": True, "caption": "图2 疼痛评估与治疗流程图",
                                     "nodes": [{"id": f"n{k + 1}", "text": t} for k, (t, _, _) in enumerate(steps)],
                                     "edges": [{"source": f"n{a + 1}", "target": f"n{b + 1}", "label": lab}
                                               for a, b, lab in edges]})
    truth.write(out_dir, 1)
    return path


def encrypted(out_dir):
    from reportlab.lib.pdfencrypt import StandardEncryption

    path = out_dir / "encrypted.pdf"
    c = pdfcanvas.Canvas(str(path), pagesize=A4, encrypt=StandardEncryption("secret", canPrint=1))
    c.setFont("Helvetica", 12)
    c.drawString(72, 770, "Confidential protocol")
    c.showPage()
    c.save()
    truth = Truth("encrypted", None, "en")
    truth.block(1, "text", "Confidential protocol")
    truth.data["password"] = "secret"
    truth.write(out_dir, 1)
    return path


def main():
    out_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "corpus/out")
    out_dir.mkdir(parents=True, exist_ok=True)
    register_fonts()
    made = []
    for spec in (EN, TWO_COLUMN, ZH):
        made.append(build(out_dir, spec))
    made.append(hyphenation_page(out_dir))
    made.append(raster_flowchart(out_dir))
    made.append(encrypted(out_dir))
    on_page = furniture("clinex synthetic corpus - Dose tables", "Page {page}", "Helvetica")
    made.append(long_tables(out_dir, Truth, EN["styles"], on_page))
    made.append(pathological_tables(out_dir, Truth))
    made.append(raster_table(out_dir, Truth, str(FONT_DIRS[0] / "DejaVuSans.ttf")))
    made.append(raster_table(out_dir, Truth, str(FONT_DIRS[0] / "DejaVuSans.ttf"), "picture_table", ocr_layer=False))
    fonts = [str(FONT_DIRS[0] / "DejaVuSans.ttf"), str(FONT_DIRS[1] / "wqy-microhei.ttc")]
    for lang in ("en", "zh"):
        made.append(scanned_guideline(out_dir, Truth, fonts, lang))
    for p in made:
        print(f"{p} {p.stat().st_size} bytes")


if __name__ == "__main__":
    main()
