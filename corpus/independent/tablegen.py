"""Table pages: guideline-style tables (recommendation, dose, score, grading,
drug-class and risk tables), laid out with wrapped multi-line cells and
drawn fully ruled, booktabs ("three-line") or unruled."""
from common import wrap, sw, fonts, baseline

HEAD_FILLS = [(0.85, 0.91, 0.97), (0.9, 0.9, 0.9), (0.0, 0.27, 0.55), (0.88, 0.94, 0.85)]
SECTION_FILLS = [(0.93, 0.95, 0.98), (0.95, 0.95, 0.95), (0.99, 0.95, 0.86)]


class Cell:
    def __init__(self, row, col, content, rowspan=1, colspan=1, kind="body", align="l"):
        self.row, self.col, self.rowspan, self.colspan = row, col, rowspan, colspan
        if isinstance(content, str):
            content = [("p", content)]
        elif isinstance(content, list):
            content = [("b", t) for t in content]
        self.content, self.kind, self.align = content, kind, align
        self.lines = []


def build_model(rng, key, lang, T):
    """Return (caption, header_rows, ncols, cells)."""
    cells = []
    if key == "recommendation":
        head = T["head"]
        for c, h in enumerate(head):
            cells.append(Cell(0, c, h, kind="head", align="l" if c == 0 else "c"))
        r = 1
        secs = list(T["sections"])
        for title, rows in secs:
            k = rng.randint(2, len(rows))
            if r + 1 + k > 14:
                k = 14 - r - 1
            if k < 1:
                break
            cells.append(Cell(r, 0, title, colspan=3, kind="section"))
            r += 1
            for rec, cls, lev in rows[:k]:
                cells += [Cell(r, 0, rec), Cell(r, 1, cls, align="c"), Cell(r, 2, lev, align="c")]
                r += 1
        return 1, 3, cells
    if key == "dose":
        other = T["other"]
        cells += [Cell(0, 0, other[0], rowspan=2, kind="head"), Cell(0, 1, T["group"], colspan=2, kind="head",
                                                                         align="c"),
                  Cell(0, 3, other[1], rowspan=2, kind="head"), Cell(0, 4, other[2], rowspan=2, kind="head")]
        ncols = 5
        if rng.random() < 0.6:
            cells.append(Cell(0, 5, other[3], rowspan=2, kind="head"))
            ncols = 6
        cells += [Cell(1, 1, T["sub"][0], kind="head", align="c"), Cell(1, 2, T["sub"][1], kind="head", align="c")]
        rows = list(T["rows"])
        k = rng.randint(5, len(rows))
        idx = sorted(rng.sample(range(len(rows)), k))
        for r, i in enumerate(idx, start=2):
            vals = list(rows[i]) + ([T["duration"][i]] if ncols == 6 else [])
            for c, v in enumerate(vals):
                cells.append(Cell(r, c, v, align="l" if c in (0, 3, 4) else "c"))
        return 2, ncols, cells
    if key == "score":
        for c, h in enumerate(T["head"]):
            cells.append(Cell(0, c, h, kind="head", align="c" if c == 2 else "l"))
        rows = list(T["rows"])
        k = rng.randint(max(4, len(rows) - 3), len(rows))
        r = 1
        for row in rows[:k] + list(T["total"]):
            for c, v in enumerate(row):
                cells.append(Cell(r, c, v, align="c" if c == 2 else "l"))
            r += 1
        return 1, 3, cells
    if key == "grading":
        for c, h in enumerate(T["head"]):
            cells.append(Cell(0, c, h, kind="head"))
        rows = list(T["rows"])
        k = rng.randint(4, len(rows))
        for r, (g, feat, man) in enumerate(rows[:k], start=1):
            cells += [Cell(r, 0, g), Cell(r, 1, list(feat)), Cell(r, 2, list(man))]
        return 1, 3, cells
    if key == "class":
        for c, h in enumerate(T["head"]):
            cells.append(Cell(0, c, h, kind="head"))
        groups = list(T["groups"])
        gk = rng.randint(3, len(groups))
        r = 1
        for gname, drugs in groups[:gk]:
            n = len(drugs) if (rng.random() < 0.7 or len(drugs) < 3) else len(drugs) - 1
            cells.append(Cell(r, 0, gname, rowspan=n))
            for d in drugs[:n]:
                for c, v in enumerate(d, start=1):
                    cells.append(Cell(r, c, v))
                r += 1
        return 1, 5, cells
    if key == "strat":
        for c, h in enumerate(T["head"]):
            cells.append(Cell(0, c, h, kind="head", align="c" if c in (0, 2) else "l"))
        for r, row in enumerate(T["rows"], start=1):
            for c, v in enumerate(row):
                cells.append(Cell(r, c, v, align="c" if c in (0, 2) else "l"))
        return 1, len(T["head"]), cells
    raise KeyError(key)


class Table:
    def __init__(self, rng, key, lang, T, ruling, caption, max_w, max_h):
        self.rng, self.lang, self.ruling, self.caption = rng, lang, ruling, caption
        self.reg, self.bold, _ = fonts(lang)
        self.header_rows, self.ncols, self.cells = build_model(rng, key, lang, T)
        self.head_fill = rng.choice(HEAD_FILLS + [None, None]) if ruling == "full" else None
        self.sec_fill = rng.choice(SECTION_FILLS) if ruling == "full" else None
        self.head_white = self.head_fill == (0.0, 0.27, 0.55)
        self.line_w = rng.uniform(0.4, 0.9)
        self.line_col = rng.choice([(0, 0, 0), (0.3, 0.3, 0.3), (0.45, 0.5, 0.6)])
        self.full_width = rng.random() < 0.75
        self.rowspan_valign = rng.choice(["top", "middle"]) if ruling == "full" else "top"
        fs = rng.uniform(8.2, 9.4)
        while True:
            ok = self.layout(fs, max_w)
            if ok and self.height <= max_h:
                break
            if fs > 7.0:
                fs -= 0.4
                continue
            # drop the last body row (never below 4 rows in total)
            nrows = self.nrows
            if nrows <= 4:
                break
            last = nrows - 1
            spans = [c for c in self.cells if c.row < last < c.row + c.rowspan]
            for c in spans:
                c.rowspan -= 1
            self.cells = [c for c in self.cells if c.row != last]
        if not ok or self.height > max_h:
            raise ValueError("table does not fit")

    @property
    def nrows(self):
        return max(c.row + c.rowspan for c in self.cells)

    def cell_font(self, c):
        return self.bold if c.kind in ("head", "section") else self.reg

    def layout(self, fs, max_w):
        rng = self.rng
        self.fs = fs
        self.lead = fs * 1.22
        if self.ruling == "full":
            self.px, self.py = 4.5, 3.5
        elif self.ruling == "booktabs":
            self.px, self.py = 5.0, 3.2
        else:
            self.px, self.py = 5.5, 4.2
        px = self.px
        nat = [30.0] * self.ncols
        mn = [20.0] * self.ncols
        for c in self.cells:
            if c.colspan != 1:
                continue
            font = self.cell_font(c)
            for k, t in c.content:
                extra = sw("• ", font, fs) if k == "b" else 0
                nat[c.col] = max(nat[c.col], min(230.0, sw(t, font, fs) + extra) + 2 * px)
                if self.lang == "en":
                    words = t.split()
                    wmax = max(sw(w, font, fs) for w in words) if words else 0
                else:
                    wmax = sw(t[:4], font, fs)
                mn[c.col] = max(mn[c.col], wmax + extra + 2 * px + 1)
        if sum(nat) <= max_w:
            widths = nat[:]
            if self.full_width or self.ruling != "full":
                spare = max_w - sum(nat)
                widths = [w + spare * w / sum(nat) for w in nat]
        else:
            if sum(mn) > max_w:
                return False
            room = max_w - sum(mn)
            flex = [max(0.0, a - b) for a, b in zip(nat, mn)]
            tot = sum(flex) or 1.0
            widths = [m + room * f / tot for m, f in zip(mn, flex)]
        self.widths = widths
        self.xs = [0.0]
        for w in widths:
            self.xs.append(self.xs[-1] + w)
        nrows = self.nrows
        need = [0.0] * nrows
        for c in self.cells:
            font = self.cell_font(c)
            width = self.xs[c.col + c.colspan] - self.xs[c.col] - 2 * px
            lines = []
            for k, t in c.content:
                if k == "b":
                    bw = sw("• ", font, fs)
                    wl = wrap(t, font, fs, width - bw, self.lang)
                    lines.append(("• " + wl[0], 0.0))
                    lines += [(l, bw) for l in wl[1:]]
                else:
                    lines += [(l, 0.0) for l in wrap(t, font, fs, width, self.lang)]
            if any(sw(l, font, fs) + dx > width + 0.5 for l, dx in lines):
                return False
            c.lines = lines
            c.need = len(lines) * self.lead + 2 * self.py
            if c.rowspan == 1:
                need[c.row] = max(need[c.row], c.need)
        for c in self.cells:
            if c.rowspan > 1:
                have = sum(need[c.row:c.row + c.rowspan])
                if have < c.need:
                    need[c.row + c.rowspan - 1] += c.need - have
        if self.ruling == "none":
            need = [h + 2.0 for h in need]
        self.ys = [0.0]
        for h in need:
            self.ys.append(self.ys[-1] + h)
        self.width = self.xs[-1]
        self.height = self.ys[-1]
        self.x0 = self.y0 = 0.0
        return True

    def place(self, x0, y0):
        self.x0, self.y0 = x0, y0

    def draw(self, pen):
        X = lambda x: self.x0 + x
        Y = lambda y: self.y0 + y
        xs, ys, nr, nc = self.xs, self.ys, self.nrows, self.ncols
        owner = {}
        for c in self.cells:
            for r in range(c.row, c.row + c.rowspan):
                for k in range(c.col, c.col + c.colspan):
                    owner[(r, k)] = c
        # fills
        for c in self.cells:
            fill = None
            if c.kind == "head" and self.head_fill:
                fill = self.head_fill
            if c.kind == "section" and self.sec_fill:
                fill = self.sec_fill
            if fill:
                pen.rect(X(xs[c.col]), Y(ys[c.row]), X(xs[c.col + c.colspan]), Y(ys[c.row + c.rowspan]),
                         fill=fill, stroke=None)
        lw, lc = self.line_w, self.line_col
        if self.ruling == "full":
            for k in range(nr + 1):  # horizontal rules, merged into runs
                run = None
                for j in range(nc + 1):
                    on = j < nc and (k in (0, nr) or owner[(k - 1, j)] is not owner[(k, j)])
                    if on and run is None:
                        run = j
                    if not on and run is not None:
                        pen.line(X(xs[run]), Y(ys[k]), X(xs[j]), Y(ys[k]), lw, lc)
                        run = None
            for j in range(nc + 1):
                run = None
                for k in range(nr + 1):
                    on = k < nr and (j in (0, nc) or owner[(k, j - 1)] is not owner[(k, j)])
                    if on and run is None:
                        run = k
                    if not on and run is not None:
                        pen.line(X(xs[j]), Y(ys[run]), X(xs[j]), Y(ys[k]), lw, lc)
                        run = None
        elif self.ruling == "booktabs":
            pen.line(X(0), Y(0), X(xs[-1]), Y(0), 1.1, (0, 0, 0))
            hy = ys[self.header_rows]
            pen.line(X(0), Y(hy), X(xs[-1]), Y(hy), 0.6, (0, 0, 0))
            pen.line(X(0), Y(ys[-1]), X(xs[-1]), Y(ys[-1]), 1.1, (0, 0, 0))
            for c in self.cells:
                if c.kind == "head" and c.colspan > 1 and c.row + c.rowspan < self.header_rows:
                    y = ys[c.row + c.rowspan]
                    pen.line(X(xs[c.col]) + 3, Y(y), X(xs[c.col + c.colspan]) - 3, Y(y), 0.45, (0, 0, 0))
        # text
        for c in self.cells:
            font = self.cell_font(c)
            col = (1, 1, 1) if (c.kind == "head" and self.head_white) else (0, 0, 0)
            x_a, x_b = X(xs[c.col]) + self.px, X(xs[c.col + c.colspan]) - self.px
            top = Y(ys[c.row]) + self.py
            if c.rowspan > 1 and self.rowspan_valign == "middle":
                span_h = ys[c.row + c.rowspan] - ys[c.row]
                top = Y(ys[c.row]) + (span_h - len(c.lines) * self.lead) / 2
            if c.kind == "head" and c.rowspan > 1 and self.ruling != "none":
                span_h = ys[c.row + c.rowspan] - ys[c.row]
                top = Y(ys[c.row]) + (span_h - len(c.lines) * self.lead) / 2
            tw = max(sw(l, font, self.fs) + dx for l, dx in c.lines)
            for i, (l, dx) in enumerate(c.lines):
                b = baseline(top + i * self.lead, self.fs, self.lead)
                fb = self.lang == "zh" and c.kind in ("head", "section")
                if c.align == "c" and not dx and not l.startswith("• "):
                    pen.text((x_a + x_b) / 2, b, l, font, self.fs, col, "c", fb)
                else:
                    pen.text(x_a + dx, b, l, font, self.fs, col, "l", fb)

    def truth(self):
        cells = []
        for c in sorted(self.cells, key=lambda c: (c.row, c.col)):
            cells.append({"row": c.row, "col": c.col, "rowspan": c.rowspan, "colspan": c.colspan,
                          "text": " ".join(l for l, _ in c.lines)})
        return {"page": 1, "caption": self.caption, "ruling": self.ruling, "header_rows": self.header_rows,
                "n_rows": self.nrows, "n_cols": self.ncols,
                "bbox": [round(self.x0, 1), round(self.y0, 1), round(self.x0 + self.width, 1),
                         round(self.y0 + self.height, 1)],
                "cells": cells}

    def check_grid(self):
        seen = {}
        for c in self.cells:
            for r in range(c.row, c.row + c.rowspan):
                for k in range(c.col, c.col + c.colspan):
                    assert (r, k) not in seen, (r, k)
                    seen[(r, k)] = c
        for r in range(self.nrows):
            for k in range(self.ncols):
                assert (r, k) in seen, ("hole", r, k)
