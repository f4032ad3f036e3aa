"""Scanned guideline pages: a whole page drawn as a picture (heading, prose, a ruled dose table and
a treatment flowchart), turned by a slight skew, with scanner noise, in a PDF without any text
layer. The same page in English and in Chinese. Truth: the table's rows and the flowchart's
nodes and edges with their labels."""

import random

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas as pdfcanvas

DPI = 200
PX = DPI / 72.0  # pixels per point

TEXT = {
    "en": {
        "heading": "3. Management of acute asthma in adults",
        "prose": ["Assess severity on arrival and record peak flow. Give oxygen to keep saturation",
                  "between 94 and 98 percent. The doses below apply to adults over 50 kg."],
        "caption_table": "Table 2. Initial drug doses",
        "rows": [["Drug", "Dose", "Route"], ["Salbutamol", "5 mg", "Nebulised"], ["Ipratropium", "0.5 mg", "Nebulised"],
                 ["Prednisolone", "40 mg", "Oral"], ["Magnesium", "2 g", "IV"]],
        "caption_chart": "Figure 1. Treatment algorithm",
        "nodes": [("start", "terminal", "Patient arrives"), ("assess", "process", "Measure peak flow"),
                  ("severe", "decision", "PEF < 50%?"), ("icu", "process", "Call critical care"),
                  ("neb", "process", "Nebulised salbutamol"), ("review", "terminal", "Review in 1 hour")],
        "yes": "Yes", "no": "No",
        "font": 0,
    },
    "zh": {
        "heading": "三、成人急性哮喘的处理",
        "prose": ["到达后评估严重程度并记录呼气峰流速。给予氧疗使血氧饱和度维持在94%至98%。",
                  "下表剂量适用于体重50千克以上的成人。"],
        "caption_table": "表2 初始药物剂量",
        "rows": [["药物", "剂量", "途径"], ["沙丁胺醇", "5 mg", "雾化"], ["异丙托溴铵", "0.5 mg", "雾化"],
                 ["泼尼松龙", "40 mg", "口服"], ["硫酸镁", "2 g", "静脉"]],
        "caption_chart": "图1 治疗流程图",
        "nodes": [("start", "terminal", "患者到达"), ("assess", "process", "测量呼气峰流速"),
                  ("severe", "decision", "峰流速<50%？"), ("icu", "process", "呼叫重症监护"),
                  ("neb", "process", "雾化沙丁胺醇"), ("review", "terminal", "1小时后复评")],
        "yes": "是", "no": "否",
        "font": 1,
    },
}

# Flowchart layout in points from the chart's top left: centre x, centre y.
POSITIONS = {"start": (230, 20), "assess": (230, 85), "severe": (230, 165), "icu": (90, 250), "neb": (370, 250),
             "review": (370, 325)}
EDGES = [("start", "assess", None), ("assess", "severe", None), ("severe", "icu", "yes"), ("severe", "neb", "no"),
         ("neb", "review", None)]


def _draw_chart(d, font, spec, left, top):
    """Draws the flowchart at (left, top) pixels; returns nothing, the truth is the spec."""
    px = lambda v: int(round(v * PX))  # noqa: E731
    sizes = {"process": (150, 34), "terminal": (130, 30), "decision": (150, 56)}
    boxes = {}
    for node, shape, text in spec["nodes"]:
        cx, cy = POSITIONS[node]
        w, h = sizes[shape]
        x0, y0, x1, y1 = left + px(cx - w / 2), top + px(cy - h / 2), left + px(cx + w / 2), top + px(cy + h / 2)
        if shape == "decision":
            mx, my = (x0 + x1) // 2, (y0 + y1) // 2
            d.polygon([(mx, y0), (x1, my), (mx, y1), (x0, my)], outline="black", width=3)
        elif shape == "terminal":
            d.rounded_rectangle((x0, y0, x1, y1), radius=(y1 - y0) // 2, outline="black", width=3)
        else:
            d.rectangle((x0, y0, x1, y1), outline="black", width=3)
        d.text(((x0 + x1) // 2, (y0 + y1) // 2), text, fill="black", font=font, anchor="mm")
        boxes[node] = (x0, y0, x1, y1)

    def arrow(points):
        d.line(points, fill="black", width=3)
        (ax, ay), (bx, by) = points[-2], points[-1]
        if by > ay:
            head = [(bx, by), (bx - 9, by - 16), (bx + 9, by - 16)]
        elif bx > ax:
            head = [(bx, by), (bx - 16, by - 9), (bx - 16, by + 9)]
        else:
            head = [(bx, by), (bx + 16, by - 9), (bx + 16, by + 9)]
        d.polygon(head, fill="black")

    for src, dst, label in EDGES:
        s, t = boxes[src], boxes[dst]
        scx, tcx = (s[0] + s[2]) // 2, (t[0] + t[2]) // 2
        if abs(scx - tcx) < 5:
            arrow([(scx, s[3]), (tcx, t[1])])
        else:
            # Leaves the decision from its side, runs across, then down into the target.
            sy = (s[1] + s[3]) // 2
            sx = s[0] if tcx < scx else s[2]
            arrow([(sx, sy), (tcx, sy), (tcx, t[1])])
            if label:
                lx = (sx + tcx) // 2
                d.text((lx, sy - 8), spec[label], fill="black", font=font, anchor="mb")


def scanned_guideline(out_dir, truth_cls, font_paths, lang):
    from PIL import Image as PILImage, ImageDraw, ImageFont

    spec = TEXT[lang]
    name = f"scanned_guideline_{lang}"
    font_path = font_paths[spec["font"]]
    body = ImageFont.truetype(font_path, int(10 * PX))
    bold = ImageFont.truetype(font_path, int(13 * PX))
    small = ImageFont.truetype(font_path, int(9 * PX))
    w, h = int(A4[0] * PX), int(A4[1] * PX)
    img = PILImage.new("L", (w, h), 255)
    d = ImageDraw.Draw(img)
    px = lambda v: int(round(v * PX))  # noqa: E731
    left = px(72)
    y = px(80)
    d.text((left, y), spec["heading"], fill=0, font=bold)
    y += px(30)
    for line in spec["prose"]:
        d.text((left, y), line, fill=0, font=body)
        y += px(15)
    y += px(20)
    d.text((left, y), spec["caption_table"], fill=0, font=body)
    y += px(18)
    col_w, row_h = [px(150), px(110), px(110)], px(22)
    for r, row in enumerate(spec["rows"]):
        x = left
        for k, cell in enumerate(row):
            d.rectangle((x, y + r * row_h, x + col_w[k], y + (r + 1) * row_h), outline=0, width=2)
            d.text((x + px(6), y + r * row_h + row_h // 2), cell, fill=0, font=body, anchor="lm")
            x += col_w[k]
    y += row_h * len(spec["rows"]) + px(30)
    _draw_chart(d, small, spec, left, y)
    y += px(360)
    d.text((left, y), spec["caption_chart"], fill=0, font=body)
    # A scanner's slight skew and speckle, the same on every run.
    img = img.rotate(0.7, resample=PILImage.BICUBIC, fillcolor=255)
    rng = random.Random(7)
    pixels = img.load()
    for _ in range(4000):
        pixels[rng.randrange(w), rng.randrange(h)] = rng.choice((0, 120))
    png = out_dir / f"{name}.png"
    img.save(png)
    path = out_dir / f"{name}.pdf"
    c = pdfcanvas.Canvas(str(path), pagesize=A4)
    c.drawImage(ImageReader(str(png)), 0, 0, width=A4[0], height=A4[1])
    c.showPage()
    c.save()
    png.unlink()
    truth = truth_cls(name, None, lang)
    truth.data["scanned"] = True
    truth.data["tables"].append({"page": 1, "raster": True, "caption": spec["caption_table"], "rows": spec["rows"]})
    truth.data["flowcharts"].append({
        "page": 1, "raster": True, "caption": spec["caption_chart"],
        "nodes": [{"id": n, "shape": s, "text": t} for n, s, t in spec["nodes"]],
        "edges": [{"source": a, "target": b, "label": spec[lab] if lab else None} for a, b, lab in EDGES],
    })
    truth.write(out_dir, 1)
    return path
