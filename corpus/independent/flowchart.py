"""Flowchart pages: a pattern-based graph builder that imitates clinical
pathway diagrams, a grid layout, an orthogonal connector router with
collision checks, and drawing onto a Pen."""
import math

from common import wrap, sw, fonts, baseline

# pale fills seen on NHS / trust pathway charts
BLUE = (0.85, 0.91, 0.97)
GREEN = (0.88, 0.94, 0.85)
AMBER = (1.0, 0.94, 0.78)
RED = (0.97, 0.84, 0.85)
LILAC = (0.91, 0.88, 0.96)
GREY = (0.92, 0.92, 0.92)
PALETTES = {
    "none": dict(start=None, step=None, dec=None, end=None),
    "nhs": dict(start=GREEN, step=BLUE, dec=AMBER, end=RED),
    "cool": dict(start=LILAC, step=None, dec=BLUE, end=GREEN),
    "grey": dict(start=GREY, step=None, dec=GREY, end=GREY),
    "warm": dict(start=AMBER, step=(1.0, 0.97, 0.9), dec=RED, end=GREEN),
}
INK = [(0, 0, 0), (0.1, 0.1, 0.12), (0.0, 0.16, 0.38), (0.05, 0.25, 0.3)]
BORDER = [(0, 0, 0), (0.0, 0.27, 0.55), (0.13, 0.4, 0.2), (0.55, 0.1, 0.1), (0.3, 0.3, 0.3)]


class Fail(Exception):
    pass


class Node:
    def __init__(self, nid, kind, shape, content, col, row, wrapw):
        self.id, self.kind, self.shape, self.content = nid, kind, shape, content
        self.col, self.row, self.wrapw0 = col, row, wrapw
        self.x0 = self.y0 = self.x1 = self.y1 = 0.0
        self.lines, self.align, self.hexd = [], "c", 0.0
        self.tw = self.th = self.w = self.h = 0.0

    cx = property(lambda s: (s.x0 + s.x1) / 2)
    cy = property(lambda s: (s.y0 + s.y1) / 2)

    def port(self, side):
        return {"t": (self.cx, self.y0), "b": (self.cx, self.y1),
                "l": (self.x0, self.cy), "r": (self.x1, self.cy)}[side]

    def text(self):
        return " ".join(l for l, _ in self.lines)


class Edge:
    def __init__(self, src, dst, label, hint, side=None):
        self.src, self.dst, self.label, self.hint, self.side = src, dst, label, hint, side
        self.pts, self.ports, self.variant = None, None, None
        self.lab = None  # (x, baseline, rect, boxed)


class Pend:
    def __init__(self, src, label, hint, min_row):
        self.src, self.label, self.hint, self.min_row = src, label, hint, min_row


class Style:
    pass


def make_style(rng, lang, land):
    st = Style()
    st.lang = lang
    reg, bold, _ = fonts(lang)
    st.font, st.bfont = reg, bold
    st.fs = rng.uniform(8.4, 9.8) if lang == "en" else rng.uniform(8.8, 10.2)
    st.lead_f = rng.uniform(1.18, 1.3)
    st.term_bold = lang == "en" and rng.random() < 0.5
    st.term_bold_zh = lang == "zh" and rng.random() < 0.5
    st.dec_shape = rng.choices(["diamond", "hexagon", "ellipse"], [0.55, 0.3, 0.15])[0]
    st.dec_alt = rng.uniform(0.15, 0.35)
    st.step_shape = rng.choice(["rect", "rounded", "rect", "rounded"])
    st.term_shape = rng.choice(["pill", "ellipse", "pill", "rounded"])
    st.palette = PALETTES[rng.choice(["none", "nhs", "nhs", "cool", "grey", "warm"])]
    st.ink = rng.choice(INK)
    st.border = rng.choice(BORDER)
    st.bw = rng.uniform(0.6, 1.2)
    st.thick_terms = rng.random() < 0.35
    st.thick_dec = rng.random() < 0.25
    st.edge_col = rng.choice([(0, 0, 0), (0.2, 0.2, 0.2), (0.0, 0.2, 0.45), st.border])
    st.ew = rng.uniform(0.6, 1.3)
    st.arrow = rng.choice(["filled", "open", "small", "filled"])
    st.alen = {"filled": rng.uniform(6, 8), "open": rng.uniform(6, 8), "small": rng.uniform(4, 5)}[st.arrow]
    st.awid = st.alen * rng.uniform(0.65, 0.9)
    st.segmented = rng.random() < 0.45
    st.label_mode = rng.choice(["plain", "plain", "boxed", "bold"])
    st.colgap = rng.uniform(34, 52)
    st.rowgap = rng.uniform(24, 36)
    st.channel = rng.uniform(24, 32)
    st.px = rng.uniform(5, 8)
    st.py = rng.uniform(3.5, 6)
    st.want_loop = rng.random() < 0.6
    st.loop_gap_first = rng.random() < 0.3
    st.yesno = None
    st.ncols = 4 if land else 3
    return st


# ---------------------------------------------------------------------------
# Graph builder
# ---------------------------------------------------------------------------
class Builder:
    def __init__(self, rng, topic, lang, st, yesno):
        self.rng, self.T, self.lang, self.st = rng, topic, lang, st
        self.yesno = yesno
        self.nodes, self.edges, self.grid = [], [], {}
        self.pools = {}
        for k in ("actions", "decisions", "ends", "starts", "bullets", "tri"):
            lst = list(topic[k])
            rng.shuffle(lst)
            self.pools[k] = lst
        self.spine = 1
        self.loops = set()
        self.used = set()

    def pick(self, k):
        lst = self.pools[k]
        key = (lambda v: v if isinstance(v, str) else v[0])
        i = next((j for j, v in enumerate(lst) if key(v) not in self.used), 0)
        v = lst.pop(i)
        lst.append(v)
        self.used.add(key(v))
        return v

    def free(self, col, row):
        return 0 <= col < self.st.ncols and (col, row) not in self.grid

    def node(self, kind, col, row, tri=False, bullets=False):
        rng, st = self.rng, self.st
        if (col, row) in self.grid or not (0 <= col < st.ncols):
            raise Fail("cell taken")
        labels = None
        if kind == "dec":
            if tri:
                q, labels = self.pick("tri")
            else:
                q, labels = self.pick("decisions")
                if labels is None:
                    labels = self.yesno
                elif rng.random() < 0.5:
                    pass
            content = [("p", q)]
            shape = st.dec_shape if rng.random() > st.dec_alt else rng.choice(
                [s for s in ("diamond", "hexagon", "ellipse") if s != st.dec_shape])
            wrapw = rng.uniform(62, 92) if shape == "diamond" else rng.uniform(80, 120)
            full = sw(q, st.font, st.fs)
            if shape == "diamond" and full > 56:
                wrapw = min(wrapw, max(44.0, full * rng.uniform(0.5, 0.66)))
        elif kind in ("start", "end"):
            content = [("p", self.pick("starts" if kind == "start" else "ends"))]
            shape = st.term_shape if rng.random() > 0.15 else rng.choice(["pill", "ellipse", "rounded"])
            wrapw = rng.uniform(90, 140)
        elif kind == "sink":
            content = [("p", self.pick("ends"))]
            shape = st.step_shape if rng.random() < 0.6 else st.term_shape
            wrapw = rng.uniform(80, 125)
        else:
            if bullets:
                head, items = self.pick("bullets")
                k = rng.randint(2, min(4, len(items)))
                content = [("h", head)] + [("b", it) for it in items[:k]]
                wrapw = rng.uniform(115, 160)
            else:
                content = [("p", self.pick("actions"))]
                wrapw = rng.uniform(85, 150)
            shape = st.step_shape if rng.random() > 0.1 else rng.choice(["pill", "rounded", "rect"])
        n = Node("x%d" % len(self.nodes), kind, shape, content, col, row, wrapw)
        n.labels = labels
        self.nodes.append(n)
        self.grid[(col, row)] = n
        return n

    def edge(self, s, t, label, hint, side=None):
        e = Edge(s, t, label, hint, side)
        self.edges.append(e)
        return e

    def attach(self, pend, n):
        rng = self.rng
        has_down = any(p.hint == "down" for p in pend)
        side_ins = [p for p in pend if p.hint == "side-in"]
        for p in pend:
            hint = p.hint
            if hint == "side-in" and not has_down and p is side_ins[0] and rng.random() < 0.5:
                hint = "dad"
            self.edge(p.src, n, p.label, hint)

    def split_labels(self, labels):
        a, b = labels[0], labels[1]
        return (a, b) if self.rng.random() < 0.6 else (b, a)

    def step(self, r, ready, bullets=None):
        if bullets is None:
            bullets = self.rng.random() < 0.18
        n = self.node("step", self.spine, r, bullets=bullets)
        self.attach(ready, n)
        return n

    def build(self, n_target):
        rng, sp = self.rng, self.spine
        start = self.node("start", sp, 0)
        pending = [Pend(start, None, "down", 1)]
        r = 1
        guard = 0
        while pending:
            guard += 1
            if guard > 60:
                raise Fail("runaway")
            ready = [p for p in pending if p.min_row <= r]
            waiting = [p for p in pending if p.min_row > r]
            if not ready:
                r = min(p.min_row for p in pending)
                continue
            budget = n_target - len(self.nodes)
            ready_side = any(p.hint == "side-in" for p in ready)
            has_down = any(p.hint == "down" for p in ready)
            if budget <= 1 and not waiting:
                n = self.node("end", sp, r)
                self.attach(ready, n)
                pending = []
                break
            if waiting or ready_side or budget <= 2 or not has_down:
                # a decision branching away from the waiting side makes a
                # convergence of branches of two different decisions
                wsides = {(p.src.col > sp) for p in waiting if p.hint == "side-in"}
                if (waiting and not ready_side and has_down and len(wsides) == 1 and budget >= 3
                        and rng.random() < 0.6):
                    s = -1 if wsides.pop() else 1
                    res = self.p_dec_exit(r, ready, budget, force_side=s)
                    if res is not None:
                        pending = waiting + res
                        r += 1
                        continue
                n = self.step(r, ready)
                pending = waiting + [Pend(n, None, "down", r + 1)]
                r += 1
                continue
            pats, wts = ["step", "dec_exit"], [2.0, 3.0]
            if budget >= 5:
                pats.append("dec_two")
                wts.append(3.0)
            if self.st.want_loop and len(self.loops) < 2 and r >= 3:
                pats.append("loop")
                wts.append(4.0 if not self.loops else 1.0)
            if self.st.ncols == 4 and budget >= 5:
                pats.append("side_dec")
                wts.append(2.5)
            pat = rng.choices(pats, wts)[0]
            res = None
            if pat == "dec_exit":
                res = self.p_dec_exit(r, ready, budget)
            elif pat == "dec_two":
                res = self.p_dec_two(r, ready, budget)
            elif pat == "loop":
                res = self.p_loop(r, ready)
            elif pat == "side_dec":
                res = self.p_side_dec(r, ready, budget)
            if res is None:
                n = self.step(r, ready)
                res = [Pend(n, None, "down", r + 1)]
            pending = res
            r += 1
        # renumber in reading order
        self.nodes.sort(key=lambda n: (n.row, n.col))
        for i, n in enumerate(self.nodes):
            n.id = "n%d" % (i + 1)

    def p_dec_exit(self, r, ready, budget, force_side=None):
        rng, sp = self.rng, self.spine
        sides = [s for s in (-1, 1) if 0 <= sp + s < self.st.ncols]
        s = force_side if force_side is not None else rng.choice(sides)
        variant = rng.choice(["h", "elbow", "elbow"])
        length = 2 if (budget >= 4 and rng.random() < 0.45) else 1
        row0 = r if variant == "h" else r + 1
        for k in range(length):
            if not self.free(sp + s, row0 + k):
                return None
        if not self.free(sp + s, r) and variant == "elbow":
            return None
        D = self.node("dec", sp, r)
        self.attach(ready, D)
        lab_down, lab_side = self.split_labels(D.labels)
        converge = rng.random() < 0.55
        chain = []
        for k in range(length):
            last = k == length - 1
            if last and not converge:
                kind = rng.choice(["end", "sink"])
                chain.append(self.node(kind, sp + s, row0 + k))
            else:
                chain.append(self.node("step", sp + s, row0 + k, bullets=rng.random() < 0.25))
        self.edge(D, chain[0], lab_side, variant)
        for a, b in zip(chain, chain[1:]):
            self.edge(a, b, None, "down")
        res = [Pend(D, lab_down, "down", r + 1)]
        if converge:
            res.append(Pend(chain[-1], None, "side-in", chain[-1].row + 1))
        return res

    def p_dec_two(self, r, ready, budget):
        rng, sp = self.rng, self.spine
        if not (sp - 1 >= 0 and sp + 1 < self.st.ncols):
            return None
        tri = rng.random() < 0.4 and budget >= 6
        dad = (not tri) and rng.random() < 0.35
        lens = [1, 1]
        extra = budget - (4 if tri else 3)
        for i in rng.sample([0, 1], 2):
            if extra >= 2 and rng.random() < 0.5:
                lens[i] = 2
                extra -= 1
        for i, s in enumerate((-1, 1)):
            for k in range(lens[i]):
                if not self.free(sp + s, r + 1 + k):
                    return None
        D = self.node("dec", sp, r, tri=tri)
        self.attach(ready, D)
        if tri:
            ll, lm, lr = D.labels
        else:
            ll, lr = self.split_labels(D.labels)
        if tri:
            conv = [rng.random() < 0.5, rng.random() < 0.5]
        else:
            conv = rng.choice([[True, True], [True, True], [True, False], [False, True]])
        res = []
        for i, (s, lab) in enumerate(((-1, ll), (1, lr))):
            chain = []
            for k in range(lens[i]):
                last = k == lens[i] - 1
                kind = "step" if (not last or conv[i]) else rng.choice(["end", "sink"])
                chain.append(self.node(kind, sp + s, r + 1 + k, bullets=(kind == "step" and rng.random() < 0.2)))
            hint = "dad" if (dad and s == -1) else "elbow"
            self.edge(D, chain[0], lab, hint)
            for a, b in zip(chain, chain[1:]):
                self.edge(a, b, None, "down")
            if conv[i]:
                res.append(Pend(chain[-1], None, "side-in", chain[-1].row + 1))
        if tri:
            M = self.node("step", sp, r + 1)
            self.edge(D, M, lm, "down")
            res.append(Pend(M, None, "down", r + 2))
        return res

    def p_loop(self, r, ready):
        rng, sp = self.rng, self.spine
        cands = []
        for s in (-1, 1):
            if s in self.loops:
                continue
            outer = [c for c in range(self.st.ncols) if (c - sp) * s > 0]
            if any((c, r) in self.grid for c in outer):
                continue
            for n in self.nodes:
                if n.col != sp or n.kind != "step" or n.row > r - 1 or n.row < 1:
                    continue
                used = any((e.dst is n and e.hint in ("side-in", "h", "loop")) or
                           (e.src is n and e.hint in ("h", "elbow", "loop")) for e in self.edges)
                if used:
                    continue
                if any((c, n.row) in self.grid for c in outer):
                    continue
                cands.append((s, n))
        if not cands:
            return None
        far = [c for c in cands if r - c[1].row >= 2]
        s, T = rng.choice(far or cands)
        D = self.node("dec", sp, r)
        self.attach(ready, D)
        lab_down, lab_side = self.split_labels(D.labels)
        self.edge(D, T, lab_side, "loop", side=s)
        self.loops.add(s)
        return [Pend(D, lab_down, "down", r + 1)]

    def p_side_dec(self, r, ready, budget):
        rng, sp = self.rng, self.spine
        cells = [(2, r), (2, r + 1), (3, r + 1)]
        if not all(self.free(c, rr) for c, rr in cells):
            return None
        D = self.node("dec", sp, r)
        self.attach(ready, D)
        lab_down, lab_side = self.split_labels(D.labels)
        E = self.node("dec", 2, r)
        self.edge(D, E, lab_side, "h")
        ld, ls = self.split_labels(E.labels)
        conv = rng.random() < 0.6
        X1 = self.node("step" if conv else rng.choice(["sink", "end"]), 2, r + 1)
        X2 = self.node(rng.choice(["sink", "end", "step"]), 3, r + 1)
        self.edge(E, X1, ld, "down")
        self.edge(E, X2, ls, "elbow")
        res = [Pend(D, lab_down, "down", r + 1)]
        if conv:
            res.append(Pend(X1, None, "side-in", r + 2))
        return res


# ---------------------------------------------------------------------------
# Measuring and layout
# ---------------------------------------------------------------------------
def measure(n, st, fs, f):
    font = st.bfont if (n.kind in ("start", "end") and st.term_bold) else st.font
    n.font, n.fs = font, fs
    lead = fs * st.lead_f
    n.lead = lead
    ww = n.wrapw0 * f
    lines = []
    has_b = any(k == "b" for k, _ in n.content)
    for k, t in n.content:
        if k == "b":
            bw = sw("• ", font, fs)
            wl = wrap(t, font, fs, ww - bw, st.lang)
            lines.append(("• " + wl[0], 0.0))
            lines += [(l, bw) for l in wl[1:]]
        else:
            lines += [(l, 0.0) for l in wrap(t, font, fs, ww, st.lang)]
    n.lines, n.align = lines, ("l" if has_b else "c")
    tw = max(sw(l, font, fs) + dx for l, dx in lines)
    th = len(lines) * lead
    n.tw, n.th = tw, th
    px, py = st.px, st.py
    if n.shape in ("rect", "rounded"):
        w, h = tw + 2 * px, th + 2 * py
    elif n.shape == "pill":
        h = th + 2 * py
        w = tw + 2 * px + h
    elif n.shape == "ellipse":
        w, h = tw * 1.42 + 2 * px, th * 1.42 + 2 * py
    elif n.shape == "diamond":
        w, h = 2 * tw + 2 * px, 2 * th + 2 * py
    else:  # hexagon
        h = th + 2 * py
        n.hexd = min(16.0, h * 0.42)
        w = tw + 2 * px + 2 * n.hexd
    n.w, n.h = max(w, 46.0), max(h, 18.0)


def grid_geometry(nodes, edges, st, fs, f):
    for n in nodes:
        measure(n, st, fs, f)
    lfs = fs - 0.8
    cols = sorted({n.col for n in nodes})
    rows = sorted({n.row for n in nodes})
    colw = {c: max(n.w for n in nodes if n.col == c) for c in cols}
    gap = {}
    for a, b in zip(cols, cols[1:]):
        g = st.colgap
        for e in edges:
            if e.hint == "h" and {e.src.col, e.dst.col} == {a, b} and e.label:
                g = max(g, sw(e.label, st.font, lfs) + 22)
        gap[a] = g
    loops = {e.side for e in edges if e.hint == "loop"}
    chL = st.channel if -1 in loops else 4.0
    chR = st.channel if 1 in loops else 4.0
    xc, x = {}, chL
    for c in cols:
        xc[c] = x + colw[c] / 2
        x += colw[c] + gap.get(c, 0)
    W = x + chR
    rowh = {r: max(n.h for n in nodes if n.row == r) for r in rows}
    rgap = {}
    for a, b in zip(rows, rows[1:]):
        g = st.rowgap
        for e in edges:
            if e.src.row == a and e.label and e.hint in ("down", "dad"):
                g = max(g, lfs + 16)
            if e.hint == "dad" and e.dst.row == b:
                g = max(g, 30)
        rgap[a] = g
    yc, top, y = {}, {}, 0.0
    for r in rows:
        top[r] = y
        yc[r] = y + rowh[r] / 2
        y += rowh[r] + rgap.get(r, 0)
    Hh = y
    for n in nodes:
        n.x0, n.x1 = xc[n.col] - n.w / 2, xc[n.col] + n.w / 2
        n.y0, n.y1 = yc[n.row] - n.h / 2, yc[n.row] + n.h / 2
    geo = dict(W=W, H=Hh, chL=chL, chR=chR, xc=xc, colw=colw, gap=gap, top=top, rgap=rgap, rows=rows, cols=cols,
               lfs=lfs, fs=fs)
    return geo


# ---------------------------------------------------------------------------
# Routing
# ---------------------------------------------------------------------------
def _segs(pts):
    return list(zip(pts, pts[1:]))


def _shorten(pts, d=5.0):
    pts = [list(p) for p in pts]
    for i, j in ((0, 1), (-1, -2)):
        (x0, y0), (x1, y1) = pts[i], pts[j]
        L = math.hypot(x1 - x0, y1 - y0)
        if L > 0:
            k = min(d, L / 2) / L
            pts[i] = [x0 + (x1 - x0) * k, y0 + (y1 - y0) * k]
    return [tuple(p) for p in pts]


def seg_hits_rect(a, b, r, infl=3.0):
    x0, y0, x1, y1 = r[0] - infl, r[1] - infl, r[2] + infl, r[3] + infl
    (ax, ay), (bx, by) = a, b
    if abs(ay - by) < 1e-6:  # horizontal
        lo, hi = min(ax, bx), max(ax, bx)
        return y0 < ay < y1 and lo < x1 and hi > x0
    lo, hi = min(ay, by), max(ay, by)
    return x0 < ax < x1 and lo < y1 and hi > y0


def seg_overlap(s1, s2, tol=3.0):
    (a, b), (c, d) = s1, s2
    h1, h2 = abs(a[1] - b[1]) < 1e-6, abs(c[1] - d[1]) < 1e-6
    if h1 != h2:
        return False
    if h1:
        if abs(a[1] - c[1]) >= tol:
            return False
        lo1, hi1 = sorted((a[0], b[0]))
        lo2, hi2 = sorted((c[0], d[0]))
    else:
        if abs(a[0] - c[0]) >= tol:
            return False
        lo1, hi1 = sorted((a[1], b[1]))
        lo2, hi2 = sorted((c[1], d[1]))
    return min(hi1, hi2) - max(lo1, lo2) > -2.0


def node_rect(n):
    return (n.x0, n.y0, n.x1, n.y1)


def route_variant(e, v, geo, nodes):
    s, t = e.src, e.dst
    if v == "down":
        if abs(s.cx - t.cx) > 0.5 or t.y0 <= s.y1:
            return None
        return [s.port("b"), t.port("t")], ("b", "t")
    if v == "dad":
        if abs(s.cx - t.cx) < 0.5:
            return None
        ymid = geo["top"][t.row] - geo["rgap"].get(_prev_row(geo, t.row), 0) / 2
        if ymid < s.y1 + 8 or t.y0 - ymid < 10:
            return None
        return [s.port("b"), (s.cx, ymid), (t.cx, ymid), t.port("t")], ("b", "t")
    if v == "h":
        if abs(s.cy - t.cy) > 0.5:
            return None
        side = "r" if t.cx > s.cx else "l"
        opp = "l" if side == "r" else "r"
        return [s.port(side), t.port(opp)], (side, opp)
    if v == "elbow":
        side = "r" if t.cx > s.cx else "l"
        p = s.port(side)
        if (t.cx - p[0]) * (1 if side == "r" else -1) < 14 or t.y0 - p[1] < 14:
            return None
        return [p, (t.cx, p[1]), t.port("t")], (side, "t")
    if v == "side-in":
        side = "l" if s.cx < t.cx else "r"
        q = t.port(side)
        if q[1] - s.y1 < 12 or abs(q[0] - s.cx) < 14:
            return None
        return [s.port("b"), (s.cx, q[1]), q], ("b", side)
    if v in ("loop-margin", "loop-gap"):
        side = "l" if e.side < 0 else "r"
        if v == "loop-margin":
            X = geo["chL"] * 0.42 if side == "l" else geo["W"] - geo["chR"] * 0.42
        else:
            cols = geo["cols"]
            sc = s.col
            nb = [c for c in cols if (c - sc) * e.side > 0]
            if not nb:
                return None
            nc = min(nb, key=lambda c: abs(c - sc))
            if side == "r":
                X = (geo["xc"][sc] + geo["colw"][sc] / 2 + geo["xc"][nc] - geo["colw"][nc] / 2) / 2
            else:
                X = (geo["xc"][sc] - geo["colw"][sc] / 2 + geo["xc"][nc] + geo["colw"][nc] / 2) / 2
        p, q = s.port(side), t.port(side)
        if abs(X - p[0]) < 10 or abs(X - q[0]) < 10:
            return None
        return [p, (X, p[1]), (X, q[1]), q], (side, side)
    raise ValueError(v)


def _prev_row(geo, r):
    rows = geo["rows"]
    i = rows.index(r)
    return rows[i - 1] if i > 0 else None


VARIANTS = {
    "down": ["down", "dad"],
    "dad": ["dad", "side-in"],
    "h": ["h", "elbow"],
    "elbow": ["elbow"],
    "side-in": ["side-in", "dad"],
}


def route_all(nodes, edges, geo, st):
    ports = {}
    placed = []  # segments of routed edges
    for e in edges:
        if e.hint == "loop":
            vs = ["loop-gap", "loop-margin"] if st.loop_gap_first else ["loop-margin", "loop-gap"]
        else:
            vs = VARIANTS[e.hint]
        ok = False
        for v in vs:
            res = route_variant(e, v, geo, nodes)
            if res is None:
                continue
            pts, (ps, pt_) = res
            if (e.src.id, ps) in ports or (e.dst.id, pt_) in ports:
                continue
            segs = _segs(pts)
            if any(math.hypot(b[0] - a[0], b[1] - a[1]) < 1.0 for a, b in segs):
                continue
            last = segs[-1]
            if math.hypot(last[1][0] - last[0][0], last[1][1] - last[0][1]) < st.alen + 5:
                continue
            short = _segs(_shorten(pts))
            if any(seg_hits_rect(a, b, node_rect(n)) for a, b in short for n in nodes):
                continue
            if any(seg_overlap(s1, s2) for s1 in segs for s2 in placed):
                continue
            e.pts, e.variant = pts, v
            ports[(e.src.id, ps)] = e
            ports[(e.dst.id, pt_)] = e
            placed.extend(segs)
            ok = True
            break
        if not ok:
            raise Fail("no route for %s->%s (%s)" % (e.src.id, e.dst.id, e.hint))


def rect_overlap(a, b, infl=0.0):
    return a[0] - infl < b[2] and b[0] - infl < a[2] and a[1] - infl < b[3] and b[1] - infl < a[3]


def place_labels(nodes, edges, geo, st):
    lfs = geo["lfs"]
    font = st.bfont if st.label_mode == "bold" else st.font
    st.lfont, st.lfs = font, lfs
    taken = []
    for e in edges:
        if not e.label:
            continue
        lw = sw(e.label, font, lfs)
        (ax, ay), (bx, by) = e.pts[0], e.pts[1]
        L = math.hypot(bx - ax, by - ay)
        cands = []
        if abs(ay - by) < 1e-6:
            dx = 1 if bx > ax else -1
            x = ax + 4 if dx > 0 else ax - 4 - lw
            if st.label_mode == "boxed" and L >= lw + 18:
                cx = ax + dx * (7 + lw / 2)
                cands.append(("box", cx - lw / 2, ay + 0.33 * lfs))
            if L >= lw + 10:
                cands.append(("plain", x, ay - 2.5 - 0.22 * lfs))
                cands.append(("plain", x, ay + 2.5 + 0.78 * lfs))
        else:
            if st.label_mode == "boxed" and L >= lfs + 16:
                cands.append(("box", ax - lw / 2, ay + 6 + 0.78 * lfs))
            cands.append(("plain", ax + 4, ay + 3 + 0.78 * lfs))
            cands.append(("plain", ax - 4 - lw, ay + 3 + 0.78 * lfs))
        done = False
        for mode, x, b in cands:
            rect = (x, b - 0.8 * lfs, x + lw, b + 0.25 * lfs)
            if mode == "box":
                rect = (rect[0] - 2, rect[1] - 1.2, rect[2] + 2, rect[3] + 1.2)
            if any(rect_overlap(rect, node_rect(n), 1.5) for n in nodes):
                continue
            if any(rect_overlap(rect, r, 1.0) for r in taken):
                continue
            bad = False
            for o in edges:
                segs = _segs(o.pts)
                if o is e:
                    segs = segs[1:] if mode == "plain" else segs[1:]
                    if mode == "plain" and any(seg_hits_rect(a, c, rect, 0.8) for a, c in _segs(e.pts)[:1]):
                        bad = True
                for a, c in segs:
                    if seg_hits_rect(a, c, rect, 1.0):
                        bad = True
                        break
                if bad:
                    break
            if bad:
                continue
            e.lab = (x, b, rect, mode == "box")
            taken.append(rect)
            done = True
            break
        if not done:
            raise Fail("label")


def check_features(nodes, edges, st, attempt=0):
    indeg = {}
    for e in edges:
        indeg.setdefault(e.dst.id, set()).add(e.variant)
    conv = any(len([e for e in edges if e.dst is n]) >= 2 for n in nodes)
    elbow = any(e.variant == "elbow" and e.src.kind == "dec" for e in edges)
    loop = any(e.variant.startswith("loop") for e in edges)
    if (not conv and attempt < 60) or not elbow:
        raise Fail("features")
    if st.want_loop and not loop and attempt < 30:
        raise Fail("want loop")


class Chart:
    """A laid-out, routed flowchart in its own coordinates (origin top-left)."""

    def __init__(self, nodes, edges, st, W, H):
        self.nodes, self.edges, self.st, self.W, self.H = nodes, edges, st, W, H

    def shift(self, dx, dy):
        for n in self.nodes:
            n.x0 += dx
            n.x1 += dx
            n.y0 += dy
            n.y1 += dy
        for e in self.edges:
            e.pts = [(x + dx, y + dy) for x, y in e.pts]
            if e.lab:
                x, b, r, box = e.lab
                e.lab = (x + dx, b + dy, (r[0] + dx, r[1] + dy, r[2] + dx, r[3] + dy), box)

    def bbox(self):
        xs, ys = [], []
        for n in self.nodes:
            xs += [n.x0, n.x1]
            ys += [n.y0, n.y1]
        for e in self.edges:
            xs += [p[0] for p in e.pts]
            ys += [p[1] for p in e.pts]
            if e.lab:
                xs += [e.lab[2][0], e.lab[2][2]]
                ys += [e.lab[2][1], e.lab[2][3]]
        return min(xs), min(ys), max(xs), max(ys)

    def draw(self, pen):
        st = self.st
        for n in self.nodes:
            draw_node(pen, n, st)
        for e in self.edges:
            draw_edge(pen, e, st)
        for e in self.edges:
            if e.lab:
                x, b, r, box = e.lab
                if box:
                    pen.rect(r[0], r[1], r[2], r[3], fill=(1, 1, 1), stroke=None)
                pen.text(x, b, e.label, st.lfont, st.lfs, st.ink)

    def truth(self):
        return {
            "page": 1,
            "nodes": [{"id": n.id, "shape": n.shape, "text": n.text(),
                       "bbox": [round(n.x0, 1), round(n.y0, 1), round(n.x1, 1), round(n.y1, 1)]}
                      for n in self.nodes],
            "edges": [{"source": e.src.id, "target": e.dst.id, "label": e.label} for e in self.edges],
        }


def draw_node(pen, n, st):
    fill = st.palette[{"start": "start", "end": "end", "sink": "end", "dec": "dec"}.get(n.kind, "step")]
    width = st.bw
    if (n.kind in ("start", "end") and st.thick_terms) or (n.kind == "dec" and st.thick_dec):
        width = st.bw * 2.0 + 0.4
    col = st.border
    x0, y0, x1, y1 = n.x0, n.y0, n.x1, n.y1
    if n.shape == "rect":
        pen.rect(x0, y0, x1, y1, fill, col, width)
    elif n.shape == "rounded":
        pen.rect(x0, y0, x1, y1, fill, col, width, radius=min(8.0, n.h / 3))
    elif n.shape == "pill":
        pen.rect(x0, y0, x1, y1, fill, col, width, radius=n.h / 2)
    elif n.shape == "ellipse":
        pen.ellipse(x0, y0, x1, y1, fill, col, width)
    elif n.shape == "diamond":
        pen.polygon([(n.cx, y0), (x1, n.cy), (n.cx, y1), (x0, n.cy)], fill, col, width)
    else:
        d = n.hexd
        pen.polygon([(x0 + d, y0), (x1 - d, y0), (x1, n.cy), (x1 - d, y1), (x0 + d, y1), (x0, n.cy)], fill, col,
                    width)
    top = n.cy - n.th / 2
    lx = n.cx - n.tw / 2
    for i, (l, dx) in enumerate(n.lines):
        b = baseline(top + i * n.lead, n.fs, n.lead)
        fb = st.lang == "zh" and n.kind in ("start", "end") and st.term_bold_zh
        if n.align == "c":
            pen.text(n.cx, b, l, n.font, n.fs, st.ink, "c", fb)
        else:
            pen.text(lx + dx, b, l, n.font, n.fs, st.ink, "l", fb)


def draw_edge(pen, e, st):
    pts = list(e.pts)
    (px, py), (tx, ty) = pts[-2], pts[-1]
    L = math.hypot(tx - px, ty - py)
    ux, uy = (tx - px) / L, (ty - py) / L
    if st.arrow in ("filled", "small"):
        pts[-1] = (tx - ux * st.alen * 0.7, ty - uy * st.alen * 0.7)
    if st.segmented:
        for a, b in _segs(pts):
            pen.line(a[0], a[1], b[0], b[1], st.ew, st.edge_col)
    else:
        pen.polyline(pts, st.ew, st.edge_col)
    bx, by = tx - ux * st.alen, ty - uy * st.alen
    nx, ny = -uy * st.awid / 2, ux * st.awid / 2
    if st.arrow == "open":
        pen.polyline([(bx + nx, by + ny), (tx, ty), (bx - nx, by - ny)], st.ew, st.edge_col)
    else:
        pen.polygon([(tx, ty), (bx + nx, by + ny), (bx - nx, by - ny)], st.edge_col, st.edge_col, 0.3)


def make_chart(rng, topic, lang, st, yesno, n_target, max_w, max_h):
    """Build, lay out and route one flowchart; retries with fresh structure."""
    for attempt in range(80):
        b = Builder(rng, topic, lang, st, yesno)
        try:
            b.build(n_target if attempt < 40 else max(5, n_target - 3))
        except Fail:
            continue
        nodes, edges = b.nodes, b.edges
        fs, f = st.fs, 1.0
        geo = None
        for it in range(14):
            geo = grid_geometry(nodes, edges, st, fs, f)
            if geo["W"] <= max_w and geo["H"] <= max_h:
                break
            if geo["W"] > max_w and f > 0.62:
                f *= 0.9
            elif fs > 7.2:
                fs -= 0.4
            else:
                geo = None
                break
            if geo and geo["H"] > max_h:
                st.rowgap = max(20.0, st.rowgap - 2)
        if geo is None or geo["W"] > max_w or geo["H"] > max_h:
            n_target = max(5, n_target - 1)
            continue
        try:
            route_all(nodes, edges, geo, st)
            place_labels(nodes, edges, geo, st)
            check_features(nodes, edges, st, attempt)
        except Fail:
            continue
        ch = Chart(nodes, edges, st, geo["W"], geo["H"])
        x0, y0, x1, y1 = ch.bbox()
        ch.shift(-x0 + 3, -y0 + 3)
        ch.W, ch.H = x1 - x0 + 6, y1 - y0 + 6
        return ch
    raise Fail("could not build chart")
