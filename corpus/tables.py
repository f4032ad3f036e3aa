"""Generated table documents: tables continued over pages, and pathological tables.

`long_tables.pdf`: a ruled dose table of 70 rows that runs over three pages with its header
repeated, a booktabs table that runs over two pages without a repeated header, and after them a
different table (other columns, its own caption) that must not be joined to them.
`pathological_tables.pdf`: a page full of rules, a 5,000-cell table, and a table whose rules are
drawn as thousands of one-point segments. Each comes with a truth JSON.
"""

from reportlab.lib import colors
from reportlab.lib.utils import ImageReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle

DRUGS = ["Adrenaline", "Amiodarone", "Atropine", "Ceftriaxone", "Dexamethasone", "Fentanyl", "Heparin"]


def dose_rows(n):
    rows = []
    for i in range(n):
        drug = DRUGS[i % len(DRUGS)]
        rows.append([f"{drug} {i + 1}", f"{(i % 9 + 1) * 5} mg", f"{(i % 4 + 1) * 6} h", "IV" if i % 3 else "IM"])
    return rows


def long_tables(out_dir, truth_cls, styles, on_page):
    name = "long_tables"
    truth = truth_cls(name, "Dose tables over several pages", "en")
    path = out_dir / f"{name}.pdf"
    doc = BaseDocTemplate(str(path), pagesize=A4, title="Dose tables over several pages", author="clinex corpus",
                          leftMargin=20 * mm, rightMargin=20 * mm, topMargin=22 * mm, bottomMargin=20 * mm)
    w, h = A4
    doc.addPageTemplates([PageTemplate("one", [Frame(20 * mm, 20 * mm, w - 40 * mm, h - 42 * mm)], onPage=on_page)])
    story = []
    header = ["Drug", "Dose", "Interval", "Route"]
    ruled_rows = dose_rows(70)
    story.append(Paragraph("Table 1. Doses of emergency drugs", styles["caption"]))
    ruled = Table([header] + ruled_rows, colWidths=[60 * mm, 35 * mm, 35 * mm, 30 * mm], repeatRows=1,
                  style=TableStyle([("FONT", (0, 0), (-1, -1), "Helvetica", 9),
                                    ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
                                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    story.append(ruled)
    story.append(Spacer(1, 8 * mm))
    story.append(Paragraph("Table 2. Monitoring after each dose", styles["caption"]))
    booktabs_rows = [[f"Check {i + 1}", f"every {(i % 5 + 1) * 15} min", "nurse" if i % 2 else "doctor"]
                     for i in range(40)]
    booktabs = Table([["Observation", "Frequency", "By"]] + booktabs_rows, colWidths=[60 * mm, 50 * mm, 40 * mm],
                     style=TableStyle([("FONT", (0, 0), (-1, -1), "Helvetica", 9),
                                       ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
                                       ("LINEABOVE", (0, 0), (-1, 0), 1.0, colors.black),
                                       ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                                       ("LINEBELOW", (0, -1), (-1, -1), 1.0, colors.black)]))
    story.append(booktabs)
    story.append(Spacer(1, 8 * mm))
    story.append(Paragraph("Table 3. Contacts", styles["caption"]))
    contacts = Table([["Service", "Phone"], ["Poison centre", "0800 111"], ["Allergy clinic", "0800 222"]],
                     colWidths=[60 * mm, 40 * mm],
                     style=TableStyle([("FONT", (0, 0), (-1, -1), "Helvetica", 9),
                                       ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    story.append(contacts)
    doc.build(story)
    truth.data["tables"] = [
        {"caption": "Table 1. Doses of emergency drugs", "header": header, "rows": ruled_rows},
        {"caption": "Table 2. Monitoring after each dose", "header": ["Observation", "Frequency", "By"],
         "rows": booktabs_rows},
        {"caption": "Table 3. Contacts", "header": ["Service", "Phone"],
         "rows": [["Poison centre", "0800 111"], ["Allergy clinic", "0800 222"]]},
    ]
    truth.write(out_dir, doc.page)
    return path


def pathological_tables(out_dir, truth_cls):
    name = "pathological_tables"
    path = out_dir / f"{name}.pdf"
    c = pdfcanvas.Canvas(str(path), pagesize=A4)
    w, h = A4
    # Page 1: a page full of rules, a 120 x 160 grid and no text.
    c.setLineWidth(0.2)
    for i in range(121):
        x = 20 + i * (w - 40) / 120
        c.line(x, 20, x, h - 20)
    for j in range(161):
        y = 20 + j * (h - 40) / 160
        c.line(20, y, w - 20, y)
    c.showPage()
    # Page 2: a 5,000-cell table (100 rows x 50 columns) in 3-point type, fully ruled.
    rows, cols = 100, 50
    x0, y0, cw, ch = 20, h - 30, (w - 40) / cols, (h - 60) / rows
    c.setFont("Helvetica", 3)
    for r in range(rows):
        for k in range(cols):
            c.drawString(x0 + k * cw + 0.8, y0 - (r + 1) * ch + 1.5, f"{r}.{k}")
    for k in range(cols + 1):
        c.line(x0 + k * cw, y0, x0 + k * cw, y0 - rows * ch)
    for r in range(rows + 1):
        c.line(x0, y0 - r * ch, x0 + cols * cw, y0 - r * ch)
    c.showPage()
    # Page 3: a 20 x 5 table whose rules are drawn as one-point segments.
    c.setFont("Helvetica", 9)
    rows, cols, cw, ch = 20, 5, 90, 16
    x0, y0 = 60, h - 80
    c.drawString(x0, y0 + 10, "Table 1. Segmented rules")
    for r in range(rows):
        for k in range(cols):
            c.drawString(x0 + k * cw + 4, y0 - (r + 1) * ch + 5, f"R{r} C{k}")
    for k in range(cols + 1):
        y = y0
        while y > y0 - rows * ch:
            c.line(x0 + k * cw, y, x0 + k * cw, max(y - 1, y0 - rows * ch))
            y -= 1
    for r in range(rows + 1):
        x = x0
        while x < x0 + cols * cw:
            c.line(x, y0 - r * ch, min(x + 1, x0 + cols * cw), y0 - r * ch)
            x += 1
    c.showPage()
    c.save()
    truth = truth_cls(name, None, "en")
    truth.data["segmented_table"] = {"page": 3, "rows": 20, "cols": 5}
    truth.write(out_dir, 3)
    return path


def raster_table(out_dir, truth_cls, font_path, name="raster_table", ocr_layer=True):
    """A ruled dose table as a picture with its caption as ordinary text. With `ocr_layer`, an
    invisible text layer lies over the picture (what OCR software leaves in a scanned PDF);
    without it, the page is born-digital around a pasted screenshot of the table."""
    from PIL import Image as PILImage, ImageDraw, ImageFont

    rows = [["Drug", "Adult dose", "Route"], ["Adrenaline", "0.5 mg", "IM"], ["Hydrocortisone", "200 mg", "IV"],
            ["Chlorphenamine", "10 mg", "IV"], ["Salbutamol", "5 mg", "Nebulised"]]
    col_w, row_h, scale = [330, 220, 220], 70, 2.0  # pixels; 2 px per point on the page
    font = ImageFont.truetype(font_path, 30)
    img = PILImage.new("RGB", (sum(col_w) + 20, row_h * len(rows) + 20), "white")
    d = ImageDraw.Draw(img)
    x0, y0 = 10, 10
    for r, row in enumerate(rows):
        x = x0
        for k, text in enumerate(row):
            d.rectangle((x, y0 + r * row_h, x + col_w[k], y0 + (r + 1) * row_h), outline="black", width=3)
            d.text((x + 14, y0 + r * row_h + row_h // 2), text, fill="black", font=font, anchor="lm")
            x += col_w[k]
    png = out_dir / f"{name}.png"
    img.save(png)
    path = out_dir / f"{name}.pdf"
    c = pdfcanvas.Canvas(str(path), pagesize=A4)
    w_pt, h_pt = img.width / scale, img.height / scale
    left, top = 72, A4[1] - 140
    c.setFont("Helvetica-Bold", 10)
    c.drawString(left, top + 12, "Table 4. Drugs for anaphylaxis (scanned)")
    c.drawImage(ImageReader(str(png)), left, top - h_pt, width=w_pt, height=h_pt)
    if not ocr_layer:
        c.setFont("Helvetica", 10)
        c.drawString(left, top - h_pt - 30, "Give adrenaline first; the other drugs follow once the airway is secure.")
    text = c.beginText()
    text.setTextRenderMode(3)  # invisible, as an OCR layer
    text.setFont("Helvetica", 15 / scale * 2)
    for r, row in enumerate(rows):
        x = x0
        for k, cell in enumerate(row):
            baseline = top - (y0 + r * row_h + row_h // 2 + 10) / scale
            text.setTextOrigin(left + (x + 14) / scale, baseline)
            text.textOut(cell)
            x += col_w[k]
    if ocr_layer:
        c.drawText(text)
    c.showPage()
    c.save()
    png.unlink()
    truth = truth_cls(name, None, "en")
    truth.data["tables"].append({"page": 1, "raster": True, "caption": "Table 4. Drugs for anaphylaxis (scanned)",
                                 "rows": rows})
    truth.write(out_dir, 1)
    return path
