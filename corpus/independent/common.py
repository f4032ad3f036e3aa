"""Shared helpers: fonts, text wrapping, a top-left-origin drawing pen over a
reportlab canvas, and the page scaffolding (header, title, body text, caption,
footer) that surrounds a figure or table."""
import re

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.lib.pagesizes import A4, letter

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
DEJAVU_B = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
DEJAVU_SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
WQY = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

_registered = False


def register_fonts():
    global _registered
    if _registered:
        return
    pdfmetrics.registerFont(TTFont("IndSans", DEJAVU))
    pdfmetrics.registerFont(TTFont("IndSans-Bold", DEJAVU_B))
    pdfmetrics.registerFont(TTFont("IndSerif", DEJAVU_SERIF))
    pdfmetrics.registerFont(TTFont("IndZh", WQY, subfontIndex=0))
    _registered = True


def fonts(lang, serif_body=False):
    """Return (regular, bold, body) font names for a language."""
    if lang == "zh":
        return "IndZh", "IndZh", "IndZh"
    return "IndSans", "IndSans-Bold", ("IndSerif" if serif_body else "IndSans")


def sw(text, font, fs):
    return pdfmetrics.stringWidth(text, font, fs)


NO_START = set("，。；：、）》」』！？%,.;:)!?")
NO_END = set("（《「『(")
_TOKEN = re.compile(r"[A-Za-z0-9\.\-+/%≥≤<>=~～·&'’°²µμ]+|\s+|.", re.S)


def _tokens(text, lang):
    if lang == "zh":
        return _TOKEN.findall(text)
    return re.findall(r"\S+|\s+", text)


def wrap(text, font, fs, width, lang):
    """Greedy wrap. English breaks at spaces; Chinese at any character except
    that closing punctuation never starts a line. Returns a list of lines (no
    trailing spaces).  A single token wider than width gets its own line."""
    toks = _tokens(text, lang)
    lines, cur = [], ""
    for tok in toks:
        if tok.isspace():
            if cur:
                cur += " "
            continue
        cand = cur + tok
        if cur and sw(cand.rstrip(), font, fs) > width:
            if tok in NO_START and lang == "zh":
                # pull the last character down with the punctuation
                body = cur.rstrip()
                if len(body) > 1:
                    lines.append(body[:-1])
                    cur = body[-1] + tok
                else:
                    cur = cand
                continue
            lines.append(cur.rstrip())
            cur = tok
        else:
            cur = cand
    if cur.strip():
        lines.append(cur.rstrip())
    return lines or [""]


PAGE_SIZES = {
    "A4": A4,
    "letter": letter,
    "A4-land": (A4[1], A4[0]),
    "letter-land": (letter[1], letter[0]),
}


class Pen:
    """Drawing with origin at the top-left of a region of the page, in points."""

    def __init__(self, c, H, ox=0.0, oy=0.0):
        self.c, self.H, self.ox, self.oy = c, H, ox, oy

    def X(self, x):
        return x - self.ox

    def Y(self, y):
        return self.H - (y - self.oy)

    def stroke_color(self, col):
        self.c.setStrokeColorRGB(*col)

    def fill_color(self, col):
        self.c.setFillColorRGB(*col)

    def line(self, x1, y1, x2, y2, width=1.0, color=(0, 0, 0), dash=None):
        c = self.c
        c.setLineWidth(width)
        c.setStrokeColorRGB(*color)
        c.setDash(dash or [])
        c.line(self.X(x1), self.Y(y1), self.X(x2), self.Y(y2))
        c.setDash([])

    def polyline(self, pts, width=1.0, color=(0, 0, 0)):
        c = self.c
        c.setLineWidth(width)
        c.setStrokeColorRGB(*color)
        p = c.beginPath()
        p.moveTo(self.X(pts[0][0]), self.Y(pts[0][1]))
        for x, y in pts[1:]:
            p.lineTo(self.X(x), self.Y(y))
        c.drawPath(p, stroke=1, fill=0)

    def polygon(self, pts, fill=None, stroke=(0, 0, 0), width=1.0):
        c = self.c
        p = c.beginPath()
        p.moveTo(self.X(pts[0][0]), self.Y(pts[0][1]))
        for x, y in pts[1:]:
            p.lineTo(self.X(x), self.Y(y))
        p.close()
        self._paint(p, fill, stroke, width)

    def _paint(self, p, fill, stroke, width):
        c = self.c
        if fill is not None:
            c.setFillColorRGB(*fill)
        if stroke is not None:
            c.setStrokeColorRGB(*stroke)
            c.setLineWidth(width)
        c.drawPath(p, stroke=1 if stroke is not None else 0, fill=1 if fill is not None else 0)

    def rect(self, x0, y0, x1, y1, fill=None, stroke=(0, 0, 0), width=1.0, radius=0.0):
        c = self.c
        p = c.beginPath()
        if radius > 0:
            p.roundRect(self.X(x0), self.Y(y1), x1 - x0, y1 - y0, radius)
        else:
            p.rect(self.X(x0), self.Y(y1), x1 - x0, y1 - y0)
        self._paint(p, fill, stroke, width)

    def ellipse(self, x0, y0, x1, y1, fill=None, stroke=(0, 0, 0), width=1.0):
        c = self.c
        p = c.beginPath()
        p.ellipse(self.X(x0), self.Y(y1), x1 - x0, y1 - y0)
        self._paint(p, fill, stroke, width)

    def text(self, x, y, s, font, fs, color=(0, 0, 0), align="l", fake_bold=False):
        """y is the baseline (top-left coordinates).  fake_bold strokes the
        glyph outlines as well (how Chinese PDFs often embolden a font
        that has no bold face)."""
        c = self.c
        c.setFillColorRGB(*color)
        c.setFont(font, fs)
        if fake_bold:
            c.setStrokeColorRGB(*color)
            c.setLineWidth(fs * 0.035)
            t = c.beginText(self.X(x), self.Y(y))
            t.setFont(font, fs)
            t.setTextRenderMode(2)
            w = sw(s, font, fs)
            dx = {"c": -w / 2, "r": -w}.get(align, 0.0)
            t.setTextOrigin(self.X(x) + dx, self.Y(y))
            t.textOut(s)
            t.setTextRenderMode(0)
            c.drawText(t)
            return
        if align == "c":
            c.drawCentredString(self.X(x), self.Y(y), s)
        elif align == "r":
            c.drawRightString(self.X(x), self.Y(y), s)
        else:
            c.drawString(self.X(x), self.Y(y), s)


def baseline(top, fs, lead):
    """Baseline of a line whose line box starts at top."""
    return top + (lead - fs) / 2.0 + 0.8 * fs


class PageText:
    """Collects the real-text parts of a page (drawn identically in the
    vector and picture renderings)."""

    def __init__(self, w, h):
        self.w, self.h = w, h
        self.items = []   # (x, baseline, text, font, fs, color, align, fake_bold)
        self.rules = []   # (x0, y, x1, width, color)

    def add(self, x, y, s, font, fs, color=(0, 0, 0), align="l", fake_bold=False):
        self.items.append((x, y, s, font, fs, color, align, fake_bold))

    def draw(self, pen):
        for x, y, s, font, fs, col, al, fb in self.items:
            pen.text(x, y, s, font, fs, col, al, fb)
        for x0, y, x1, wd, col in self.rules:
            pen.line(x0, y, x1, y, wd, col)


def paragraph_lines(rng, pool, lang, font, fs, width, nsent):
    sents = rng.sample(pool, min(nsent, len(pool)))
    text = ("" if lang == "zh" else " ").join(sents)
    return wrap(text, font, fs, width, lang)


def layout_page(rng, lang, size, topic, body_pool, fig_w, fig_h, caption, cap_above, fig_kind):
    """Place header, title, paragraphs, caption and the figure box on a page.
    Returns (PageText, (fx0, fy0) top-left of the figure box, caption_lines)
    or None when the figure does not fit."""
    W, H = PAGE_SIZES[size]
    land = W > H
    reg, bold, body = fonts(lang, serif_body=rng.random() < 0.4)
    ml = rng.uniform(48, 68) if not land else rng.uniform(40, 54)
    mt = rng.uniform(34, 48)
    mb = rng.uniform(36, 48)
    tw = W - 2 * ml
    pt = PageText(W, H)
    y = mt
    # running header
    hfs = 7.0
    pt.add(ml, baseline(y, hfs, 9), topic["header"], reg, hfs, (0.35, 0.35, 0.4))
    pt.add(W - ml, baseline(y, hfs, 9), ("第%d页" % rng.randint(2, 30)) if lang == "zh" else
           "Page %d of %d" % (rng.randint(2, 12), rng.randint(13, 30)), reg, hfs, (0.35, 0.35, 0.4), "r")
    y += 10
    pt.rules.append((ml, y, W - ml, 0.5, (0.5, 0.5, 0.55)))
    y += 10
    # title
    tfs = rng.uniform(12.5, 15)
    tcol = rng.choice([(0, 0, 0), (0.0, 0.19, 0.45), (0.05, 0.3, 0.35)])
    for ln in wrap(topic["title"], bold, tfs, tw, lang):
        pt.add(ml, baseline(y, tfs, tfs * 1.25), ln, bold, tfs, tcol, "l", lang == "zh")
        y += tfs * 1.25
    y += 6
    bfs = rng.uniform(9, 10)
    blead = bfs * rng.uniform(1.3, 1.45)
    cfs = rng.uniform(8.5, 9.5)
    clead = cfs * 1.3
    cap_lines = wrap(caption, reg, cfs, tw, lang)
    cap_h = len(cap_lines) * clead + 8
    bottom = H - mb - 14  # footer line
    avail = bottom - y - cap_h - 10
    # paragraph above: as many lines as fit while keeping the figure
    above = paragraph_lines(rng, body_pool, lang, body, bfs, tw, rng.randint(2, 4))
    n_above = len(above)
    while n_above > 0 and avail - n_above * blead - 8 < fig_h:
        n_above -= 1
    if avail - n_above * blead - 8 < fig_h or fig_w > tw + 1:
        return None
    for ln in above[:n_above]:
        pt.add(ml, baseline(y, bfs, blead), ln, body, bfs, (0, 0, 0))
        y += blead
    y += 8 if n_above else 0

    def put_caption(y):
        for i, ln in enumerate(cap_lines):
            pt.add(ml if fig_kind == "table" or len(cap_lines) > 1 else W / 2, baseline(y, cfs, clead), ln,
                   reg, cfs, (0, 0, 0),
                   "l" if fig_kind == "table" or len(cap_lines) > 1 else "c")
            y += clead
        return y

    fx0 = ml + (tw - fig_w) / 2 if fig_kind == "figure" else ml
    if cap_above:
        y = put_caption(y) + 6
        fy0 = y
        y += fig_h + 10
    else:
        fy0 = y
        y += fig_h + 8
        y = put_caption(y) + 6
    # paragraphs below fill the rest of the page
    y += 4
    for k in range(4):
        below = paragraph_lines(rng, body_pool, lang, body, bfs, tw, rng.randint(3, 6))
        if lang == "zh":
            below = paragraph_lines(rng, body_pool, lang, body, bfs, tw - 2 * bfs, rng.randint(3, 6))
        full = True
        for i, ln in enumerate(below):
            if y + blead > bottom:
                full = False
                break
            x = ml + (2 * bfs if (lang == "zh" and i == 0) else 0)
            pt.add(x, baseline(y, bfs, blead), ln, body, bfs, (0, 0, 0))
            y += blead
        if not full or y + 3 * blead > bottom:
            break
        y += blead * 0.5
    # footer
    pt.add(W / 2, H - mb + 4, str(rng.randint(2, 40)), reg, 8, (0.3, 0.3, 0.3), "c")
    return pt, (fx0, fy0), cap_lines, (ml, tw)
