"""Synthetic figures for the figure-type classifier: flowcharts, charts, tables, other.

Every generator takes a numpy Generator and returns a grayscale uint8 image (H x W). Styles vary
on purpose (shapes, fonts, colours, orientation, density, English and Chinese labels), so the
classifier learns structure rather than one drawing tool's look.
"""

import io
import subprocess

import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONTS = {
    "latin": ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
              "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"],
    "cjk": ["/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"],
}
EN_WORDS = ("patient assess pain score dose review refer admit discharge oxygen fluids adrenaline sepsis "
            "antibiotics imaging CT MRI consult observe monitor repeat escalate criteria positive negative "
            "treatment surgery follow-up triage airway breathing circulation blood pressure glucose").split()
ZH_WORDS = ("患者 评估 疼痛 评分 剂量 复查 转诊 入院 出院 吸氧 补液 治疗 手术 随访 分诊 气道 呼吸 循环 血压 "
            "血糖 阿片类 药物 镇痛 滴定 不良反应 观察 监测 会诊 影像 诊断 流程").split()


def gray(img):
    return np.asarray(img.convert("L"), dtype=np.uint8)


def label(rng, max_words=4):
    if rng.random() < 0.4:
        n = rng.integers(1, 5)
        return "".join(rng.choice(ZH_WORDS, n)), "cjk"
    n = rng.integers(1, max_words + 1)
    return " ".join(rng.choice(EN_WORDS, n)), "latin"


def font(rng, kind, size):
    path = rng.choice(FONTS[kind])
    return ImageFont.truetype(str(path), int(size))


def light(rng):
    return tuple(int(v) for v in rng.integers(170, 256, 3))


# --- flowcharts -------------------------------------------------------------------------------

def flowchart_graphviz(rng):
    n = int(rng.integers(4, 14))
    shapes = ["box", "box", "ellipse", "diamond", "parallelogram", "hexagon", "octagon"]
    lines = [f'digraph G {{ rankdir={rng.choice(["TB", "TB", "TB", "LR"])}; dpi={int(rng.integers(40, 90))};',
             f'splines={rng.choice(["ortho", "polyline", "spline", "line"])}; nodesep={rng.uniform(0.2, 0.8):.2f}; ranksep={rng.uniform(0.2, 0.8):.2f};']
    fontname = "WenQuanYi Micro Hei" if rng.random() < 0.4 else "DejaVu Sans"
    for i in range(n):
        text, _ = label(rng)
        text = text.replace('"', "")
        if rng.random() < 0.4:
            words = text.split(" ")
            text = "\\n".join(" ".join(words[k:k + 2]) for k in range(0, len(words), 2))
        style = "filled" if rng.random() < 0.5 else "solid"
        if rng.random() < 0.3:
            style += ",rounded"
        fill = "#%02x%02x%02x" % light(rng)
        lines.append(f'n{i} [shape={rng.choice(shapes)}, style="{style}", fillcolor="{fill}", fontname="{fontname}", label="{text}"];')
    for i in range(1, n):
        parent = int(rng.integers(max(0, i - 3), i))
        edge_label = rng.choice(["", "", "Yes", "No", "是", "否", "if stable"])
        lines.append(f'n{parent} -> n{i} [label="{edge_label}", fontname="{fontname}"];')
    for _ in range(int(rng.integers(0, 3))):
        a, b = sorted(rng.integers(0, n, 2))
        if a != b:
            lines.append(f"n{a} -> n{b};")
    lines.append("}")
    png = subprocess.run(["dot", "-Tpng"], input="\n".join(lines).encode(), capture_output=True, check=True).stdout
    return gray(Image.open(io.BytesIO(png)))


def flowchart_drawn(rng):
    """Boxes on a grid joined by arrows, as office tools draw clinical algorithms."""
    w, h = int(rng.integers(300, 700)), int(rng.integers(300, 900))
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)
    cols, rows = int(rng.integers(1, 4)), int(rng.integers(3, 7))
    cw, rh = w / cols, h / rows
    boxes = {}
    for r in range(rows):
        for c in range(cols):
            if rng.random() < 0.75 or c == 0:
                bw, bh = cw * rng.uniform(0.55, 0.85), rh * rng.uniform(0.35, 0.6)
                x0, y0 = c * cw + (cw - bw) / 2, r * rh + (rh - bh) / 2
                boxes[(r, c)] = (x0, y0, x0 + bw, y0 + bh)
    fill = light(rng) if rng.random() < 0.6 else None
    size = int(rng.uniform(9, 16))
    for (r, c), (x0, y0, x1, y1) in boxes.items():
        kind = rng.choice(["rect", "round", "diamond"], p=[0.55, 0.3, 0.15])
        width = int(rng.integers(1, 3))
        if kind == "rect":
            d.rectangle((x0, y0, x1, y1), outline="black", fill=fill, width=width)
        elif kind == "round":
            d.rounded_rectangle((x0, y0, x1, y1), radius=(y1 - y0) / 3, outline="black", fill=fill, width=width)
        else:
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
            d.polygon([(cx, y0), (x1, cy), (cx, y1), (x0, cy)], outline="black", fill=fill)
        text, kind_font = label(rng, 3)
        f = font(rng, kind_font, size)
        d.text(((x0 + x1) / 2, (y0 + y1) / 2), text[:18], fill="black", font=f, anchor="mm")
    for (r, c), (x0, y0, x1, y1) in boxes.items():
        below = boxes.get((r + 1, c))
        if below:
            arrow(d, ((x0 + x1) / 2, y1), ((below[0] + below[2]) / 2, below[1]), rng)
        right = boxes.get((r, c + 1))
        if right and rng.random() < 0.5:
            arrow(d, (x1, (y0 + y1) / 2), (right[0], (right[1] + right[3]) / 2), rng)
    return gray(img)


def arrow(d, a, b, rng):
    d.line([a, b], fill="black", width=int(rng.integers(1, 3)))
    vx, vy = b[0] - a[0], b[1] - a[1]
    n = max((vx * vx + vy * vy) ** 0.5, 1e-3)
    ux, uy = vx / n, vy / n
    s = rng.uniform(5, 10)
    left = (b[0] - s * ux + s * 0.5 * uy, b[1] - s * uy - s * 0.5 * ux)
    right = (b[0] - s * ux - s * 0.5 * uy, b[1] - s * uy + s * 0.5 * ux)
    d.polygon([b, left, right], fill="black")


# --- charts -----------------------------------------------------------------------------------

def chart(rng):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(rng.uniform(3, 7), rng.uniform(2.5, 6)), dpi=int(rng.integers(50, 90)))
    kind = rng.choice(["bar", "line", "scatter", "pie", "hist", "box", "forest", "km", "stacked"])
    x = np.arange(int(rng.integers(3, 12)))
    if kind == "bar":
        ax.bar(x, rng.random(len(x)) * 10, color=rng.choice(["C0", "C1", "gray", "black"]))
    elif kind == "stacked":
        base = rng.random(len(x)) * 5
        ax.bar(x, base)
        ax.bar(x, rng.random(len(x)) * 5, bottom=base)
    elif kind == "line":
        for _ in range(int(rng.integers(1, 4))):
            ax.plot(x, np.cumsum(rng.normal(size=len(x))), marker=rng.choice(["o", "s", "", "^"]))
    elif kind == "scatter":
        ax.scatter(rng.normal(size=80), rng.normal(size=80), s=8)
    elif kind == "pie":
        ax.pie(rng.random(int(rng.integers(3, 7))) + 0.2)
    elif kind == "hist":
        ax.hist(rng.normal(size=400), bins=int(rng.integers(8, 30)))
    elif kind == "box":
        ax.boxplot([rng.normal(size=50) for _ in range(int(rng.integers(2, 6)))])
    elif kind == "forest":
        k = int(rng.integers(4, 12))
        est = rng.normal(1, 0.3, k)
        ax.errorbar(est, np.arange(k), xerr=rng.random(k) * 0.4, fmt="s", color="black")
        ax.axvline(1.0, color="black", linestyle="--")
    else:  # Kaplan-Meier steps
        for _ in range(int(rng.integers(1, 3))):
            t = np.sort(rng.random(30)) * 60
            ax.step(t, np.linspace(1, rng.uniform(0.2, 0.7), 30), where="post")
    if rng.random() < 0.7:
        ax.set_xlabel(label(rng, 2)[0] if rng.random() < 0.5 else "Months")
        ax.set_ylabel("Rate")
    if rng.random() < 0.5:
        ax.set_title("Outcome by group")
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return gray(Image.open(buf))


# --- tables -----------------------------------------------------------------------------------

def table(rng):
    rows, cols = int(rng.integers(3, 16)), int(rng.integers(2, 7))
    size = int(rng.uniform(9, 15))
    widths = [int(rng.integers(50, 160)) for _ in range(cols)]
    rh = int(size * rng.uniform(1.6, 2.6))
    w, h = sum(widths) + 20, rows * rh + 20
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)
    style = rng.choice(["grid", "booktabs", "zebra", "header"])
    kind = "cjk" if rng.random() < 0.4 else "latin"
    f = font(rng, kind, size)
    for r in range(rows):
        y = 10 + r * rh
        if style == "zebra" and r % 2 == 1:
            d.rectangle((10, y, w - 10, y + rh), fill=(230, 230, 230))
        if style == "header" and r == 0:
            d.rectangle((10, y, w - 10, y + rh), fill=light(rng))
        x = 10
        for c in range(cols):
            text = label(rng, 3)[0] if rng.random() < 0.6 else f"{rng.integers(0, 500)}"
            d.text((x + 4, y + rh / 2), text[:14], fill="black", font=f, anchor="lm")
            if style == "grid":
                d.rectangle((x, y, x + widths[c], y + rh), outline="black")
            x += widths[c]
    if style in ("booktabs", "zebra", "header"):
        for y in (10, 10 + rh, h - 10):
            d.line((10, y, w - 10, y), fill="black", width=2 if y != 10 + rh else 1)
    return gray(img)


# --- other ------------------------------------------------------------------------------------

def other(rng):
    kind = rng.choice(["photo", "illustration", "text", "molecule", "logo"])
    w, h = int(rng.integers(150, 600)), int(rng.integers(150, 600))
    if kind == "photo":
        base = rng.random((h // 16 + 2, w // 16 + 2))
        img = Image.fromarray((base * 255).astype(np.uint8)).resize((w, h), Image.BICUBIC)
        arr = np.asarray(img, dtype=np.float32) + rng.normal(0, 12, (h, w))
        return np.clip(arr, 0, 255).astype(np.uint8)
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)
    if kind == "illustration":
        for _ in range(int(rng.integers(3, 12))):
            pts = [(float(rng.uniform(0, w)), float(rng.uniform(0, h))) for _ in range(int(rng.integers(3, 8)))]
            d.polygon(pts, fill=light(rng) if rng.random() < 0.7 else tuple(int(v) for v in rng.integers(0, 150, 3)))
        for _ in range(int(rng.integers(0, 6))):
            x, y, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(5, 60)
            d.ellipse((x - r, y - r, x + r, y + r), outline="black", width=int(rng.integers(1, 4)))
    elif kind == "text":
        f = font(rng, "latin", int(rng.uniform(9, 14)))
        y = 5
        while y < h - 15:
            d.text((5, y), " ".join(rng.choice(EN_WORDS, 8)), fill="black", font=f)
            y += int(rng.uniform(14, 22))
    elif kind == "molecule":
        cx, cy = w / 2, h / 2
        for _ in range(int(rng.integers(2, 5))):
            r = rng.uniform(20, 45)
            pts = [(cx + r * np.cos(a), cy + r * np.sin(a)) for a in np.linspace(0, 2 * np.pi, 7)[:-1]]
            d.line(pts + [pts[0]], fill="black", width=2)
            cx, cy = cx + rng.uniform(-60, 60), cy + rng.uniform(-50, 50)
        f = font(rng, "latin", 12)
        for _ in range(int(rng.integers(2, 6))):
            d.text((rng.uniform(0, w - 30), rng.uniform(0, h - 15)), rng.choice(["OH", "NH2", "CH3", "O", "N"]), fill="black", font=f)
    else:
        d.ellipse((w * 0.2, h * 0.2, w * 0.8, h * 0.8), fill=light(rng), outline="black", width=4)
        f = font(rng, "latin", int(min(w, h) / 8))
        d.text((w / 2, h / 2), "".join(rng.choice(list("ABCDEFGHIJKLMNOP"), 3)), fill="black", font=f, anchor="mm")
    return gray(img)


GENERATORS = {
    "flowchart": [flowchart_graphviz, flowchart_drawn],
    "chart": [chart],
    "table": [table],
    "other": [other],
}
CLASSES = ["flowchart", "chart", "table", "other"]
