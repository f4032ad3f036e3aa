#!/usr/bin/env python3
"""Independent test-data generator for flowchart and table extraction.

    python corpus/independent/generate.py OUT_DIR [--only NAME_PREFIX] [--jobs N]

Writes one-page PDFs (vector / picture / scan / fax / photo renderings of
guideline-style flowchart and table pages) and NAME.truth.json next to each.
Deterministic: every base page has its own random.Random(seed)."""
import io
import json
import os
import random
import sys
import tempfile
import time
from multiprocessing import Pool

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from reportlab.pdfgen import canvas  # noqa: E402
from reportlab.lib.utils import ImageReader  # noqa: E402

import common  # noqa: E402
import degrade  # noqa: E402
import flowchart  # noqa: E402
import tablegen  # noqa: E402
import texts  # noqa: E402

FIXED_TIME = time.gmtime(1704067200)  # 2024-01-01, for reproducible PDF metadata

FC_SIZES = ["A4", "letter", "A4", "A4-land", "A4", "letter", "letter-land", "A4"]
TB_KEYS = ["recommendation", "score", "grading", "dose", "class", "strat"]
TB_RULING = {"en": ["full", "none", "full", "booktabs", "full", "none"],
             "zh": ["booktabs", "none", "full", "booktabs", "full", "booktabs"]}
TB_SIZES = {"en": ["A4", "letter", "A4", "A4", "A4-land", "letter"],
            "zh": ["A4", "A4", "A4", "letter", "A4-land", "A4"]}


def base_specs():
    specs = []
    for kind in ("fc", "tb"):
        for li, lang in enumerate(("en", "zh")):
            for i in range(8 if kind == "fc" else 6):
                specs.append(dict(kind=kind, lang=lang, idx=i, name="%s_%s_%02d" % (kind, lang, i),
                                  seed=(1 if kind == "fc" else 2) * 100000 + li * 1000 + i * 17 + 7,
                                  split="heldout" if i % 3 == 2 else "dev"))
    return specs


def renderings(spec):
    if spec["kind"] == "fc":
        return ["vector", "picture", "scan", "fax", "photo"]
    return ["vector", "picture", "scan"] + (["fax"] if spec["idx"] % 2 == 0 else ["photo"])


# ---------------------------------------------------------------------------
class TableFig:
    """A table plus its footnote lines, drawn as one figure block."""

    def __init__(self, table, foot, font, fs):
        self.table, self.foot, self.font, self.fs = table, foot, font, fs

    def draw(self, pen):
        self.table.draw(pen)
        y = self.table.y0 + self.table.height + 4
        for ln in self.foot:
            pen.text(self.table.x0, common.baseline(y, self.fs, self.fs * 1.25), ln, self.font, self.fs,
                     (0.15, 0.15, 0.15))
            y += self.fs * 1.25


class BasePage:
    pass


def build_flowchart_page(spec):
    rng = random.Random(spec["seed"])
    lang, idx = spec["lang"], spec["idx"]
    topic = (texts.FC_EN if lang == "en" else texts.FC_ZH)[idx]
    size = FC_SIZES[idx]
    W, H = common.PAGE_SIZES[size]
    land = W > H
    st = flowchart.make_style(rng, lang, land)
    yesno = rng.choice(texts.YESNO_EN if lang == "en" else texts.YESNO_ZH)
    n_target = rng.randint(8, 11) if land else rng.choice([6, 8, 10, 11, 12, 13, 14, 15])
    if n_target < 8:
        st.want_loop = False
    fig_no = rng.randint(1, 6)
    if lang == "en":
        caption = "%s %d%s %s" % (rng.choice(["Figure", "Figure", "Fig."]), fig_no, rng.choice(["", ".", ":"]),
                                  topic["caption"])
    else:
        caption = "图%d %s" % (fig_no, topic["caption"])
    max_w = W - 2 * 70
    max_h = H - (190 if land else 215)
    for attempt in range(12):
        chart = flowchart.make_chart(rng, topic, lang, st, yesno, n_target, max_w, max_h)
        res = common.layout_page(rng, lang, size, topic, texts.BODY_EN if lang == "en" else texts.BODY_ZH,
                                 chart.W, chart.H, caption, rng.random() < 0.2, "figure")
        if res:
            break
        max_h -= 30
    else:
        raise RuntimeError("page layout failed for " + spec["name"])
    pt, (fx, fy), cap_lines, _ = res
    chart.shift(fx, fy)
    p = BasePage()
    p.spec, p.W, p.H, p.pt, p.fig = spec, W, H, pt, chart
    x0, y0, x1, y1 = chart.bbox()
    p.fig_box = (x0 - 4, y0 - 4, x1 + 4, y1 + 4)
    p.truth = {"flowcharts": [chart.truth()], "tables": []}
    p.meta = {"page_size": size, "nodes": len(chart.nodes), "edges": len(chart.edges),
              "style": {"decision_shape": st.dec_shape, "arrow": st.arrow, "segmented_connectors": st.segmented,
                        "label_mode": st.label_mode,
                        "routes": sorted({e.variant for e in chart.edges})}}
    return p


def build_table_page(spec):
    rng = random.Random(spec["seed"])
    lang, idx = spec["lang"], spec["idx"]
    key = TB_KEYS[idx]
    T = (texts.TB_EN if lang == "en" else texts.TB_ZH)[key]
    ruling = TB_RULING[lang][idx]
    size = TB_SIZES[lang][idx]
    W, H = common.PAGE_SIZES[size]
    no = rng.randint(1, 9)
    caption = ("%s %d%s %s" % (rng.choice(["Table", "Table", "TABLE"]), no, rng.choice(["", ".", ":"]),
                               T["caption"])) if lang == "en" else "表%d %s" % (no, T["caption"])
    topic = {"title": T["title"], "header": texts.FC_EN[idx]["header"] if lang == "en" else
             texts.FC_ZH[idx]["header"]}
    reg = common.fonts(lang)[0]
    ffs = 7.5
    max_w = W - 2 * 70
    max_h = H - 240
    for attempt in range(10):
        trng = random.Random(spec["seed"] * 7 + attempt)
        table = tablegen.Table(trng, key, lang, T, ruling, "", max_w, max_h)
        foot = []
        if rng.random() < 0.7:
            pool = texts.FOOT_EN if lang == "en" else texts.FOOT_ZH
            note = pool[-1] if key == "recommendation" else rng.choice(pool[:-1])
            foot = common.wrap(note, reg, ffs, table.width, lang)
        fh = table.height + (4 + len(foot) * ffs * 1.25 if foot else 0)
        res = common.layout_page(rng, lang, size, topic, texts.BODY_EN if lang == "en" else texts.BODY_ZH,
                                 table.width, fh, caption, True, "table")
        if res:
            break
        max_h -= 40
    else:
        raise RuntimeError("page layout failed for " + spec["name"])
    pt, (fx, fy), cap_lines, _ = res
    table.caption = " ".join(cap_lines)
    table.place(fx, fy)
    table.check_grid()
    p = BasePage()
    p.spec, p.W, p.H, p.pt = spec, W, H, pt
    p.fig = TableFig(table, foot, reg, ffs)
    p.fig_box = (fx - 4, fy - 4, fx + table.width + 4, fy + fh + 4)
    p.truth = {"flowcharts": [], "tables": [table.truth()]}
    p.meta = {"page_size": size, "rows": table.nrows, "cols": table.ncols, "template": key}
    return p


# ---------------------------------------------------------------------------
def new_canvas(path, W, H, title):
    c = canvas.Canvas(path, pagesize=(W, H), invariant=1, pageCompression=1)
    c.setTitle(title)
    c.setAuthor("corpus/independent")
    return c


def write_vector(p, path):
    c = new_canvas(path, p.W, p.H, p.spec["name"])
    pen = common.Pen(c, p.H)
    p.pt.draw(pen)
    p.fig.draw(pen)
    c.showPage()
    c.save()


def write_picture(p, path, rng, td):
    x0, y0, x1, y1 = p.fig_box
    w, h = x1 - x0, y1 - y0
    fig_pdf = os.path.join(td, "fig.pdf")
    c = new_canvas(fig_pdf, w, h, "figure")
    p.fig.draw(common.Pen(c, h, x0, y0))
    c.showPage()
    c.save()
    dpi = rng.choice([150, 170, 200])
    img = degrade.rasterise(fig_pdf, dpi, gray=False)
    c = new_canvas(path, p.W, p.H, p.spec["name"])
    pen = common.Pen(c, p.H)
    p.pt.draw(pen)
    if rng.random() < 0.5:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=rng.randint(80, 92))
        buf.seek(0)
        c.drawImage(ImageReader(buf), pen.X(x0), pen.Y(y1), w, h)
        fmt = "jpeg"
    else:
        c.drawImage(ImageReader(img), pen.X(x0), pen.Y(y1), w, h)
        fmt = "png"
    c.showPage()
    c.save()
    return {"image_dpi": dpi, "image_format": fmt, "image_bbox": [round(v, 1) for v in p.fig_box]}


def write_raster(p, path, kind, rng, vector_pdf):
    fn = {"scan": degrade.scan, "fax": degrade.fax, "photo": degrade.photo}[kind]
    img, dpi, fmap, meta = fn(vector_pdf, p.W, p.H, rng)
    kw = dict(dpi=dpi, title=p.spec["name"] + "_" + kind, creationDate=FIXED_TIME, modDate=FIXED_TIME,
              producer="corpus/independent")
    if kind != "fax":
        kw["quality"] = meta["jpeg_quality"]
    img.save(path, "PDF", **kw)
    return fmap, meta


def map_bbox(fmap, b):
    pts = [fmap(x, y) for x, y in ((b[0], b[1]), (b[2], b[1]), (b[2], b[3]), (b[0], b[3]))]
    xs, ys = [q[0] for q in pts], [q[1] for q in pts]
    return [round(min(xs), 1), round(min(ys), 1), round(max(xs), 1), round(max(ys), 1)]


def truth_for(p, rendering, fname, fmap=None):
    t = json.loads(json.dumps(p.truth))
    if fmap is not None:
        for fc in t["flowcharts"]:
            for n in fc["nodes"]:
                n["bbox"] = map_bbox(fmap, n["bbox"])
        for tb in t["tables"]:
            tb["bbox"] = map_bbox(fmap, tb["bbox"])
    out = {"file": fname, "base": p.spec["name"], "lang": p.spec["lang"], "rendering": rendering,
           "split": p.spec["split"], "generator": "corpus/independent"}
    out.update(t)
    return out


def run_base(args):
    spec, out_dir = args
    t0 = time.time()
    common.register_fonts()
    p = build_flowchart_page(spec) if spec["kind"] == "fc" else build_table_page(spec)
    written = []
    with tempfile.TemporaryDirectory() as td:
        vec_tmp = os.path.join(td, "vector.pdf")
        write_vector(p, vec_tmp)
        for r in renderings(spec):
            rrng = random.Random("%d-%s" % (spec["seed"], r))
            fname = "%s_%s.pdf" % (spec["name"], r)
            path = os.path.join(out_dir, fname)
            fmap, meta = None, {}
            if r == "vector":
                write_vector(p, path)
            elif r == "picture":
                meta = write_picture(p, path, rrng, td)
            else:
                fmap, meta = write_raster(p, path, r, rrng, vec_tmp)
            t = truth_for(p, r, fname, fmap)
            t["render"] = dict(p.meta, **meta)
            with open(os.path.join(out_dir, fname[:-4] + ".truth.json"), "w", encoding="utf-8") as f:
                json.dump(t, f, ensure_ascii=False, indent=1)
            written.append((fname, spec["lang"], r, spec["split"]))
    return spec["name"], written, time.time() - t0


def main(argv):
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir")
    ap.add_argument("--only", default=None, help="only base pages whose name starts with this")
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args(argv[1:])
    out_dir, only, jobs = a.out_dir, a.only, a.jobs
    os.makedirs(out_dir, exist_ok=True)
    specs = [s for s in base_specs() if not only or s["name"].startswith(only)]
    t0 = time.time()
    counts = {}
    with Pool(jobs) as pool:
        for name, written, dt in pool.imap_unordered(run_base, [(s, out_dir) for s in specs]):
            print("%-10s %2d files %5.1fs" % (name, len(written), dt), flush=True)
            for fname, lang, r, split in written:
                counts[(r, lang, split)] = counts.get((r, lang, split), 0) + 1
    total = sum(counts.values())
    print("wrote %d documents in %.1fs" % (total, time.time() - t0))
    for k in sorted(counts):
        print("  %-8s %-3s %-8s %3d" % (k + (counts[k],)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
