"""Raster renderings: rasterise with pdftoppm, then scan / fax / phone-photo
degradations with PIL only (deterministic: all noise comes from
random.Random.randbytes).  Each degradation returns the image and a function
mapping page points (top-left origin) to output-image pixels, so that truth
bounding boxes can follow the geometry."""
import os
import subprocess
import tempfile
from statistics import NormalDist

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from common import DEJAVU

_ND = NormalDist()
_INV = [_ND.inv_cdf((v + 0.5) / 256.0) for v in range(256)]


def rasterise(pdf, rx, ry=None, gray=True):
    ry = ry or rx
    with tempfile.TemporaryDirectory() as td:
        stem = os.path.join(td, "p")
        cmd = ["pdftoppm", "-r" if rx == ry else "-rx", str(rx)]
        if rx != ry:
            cmd += ["-ry", str(ry)]
        cmd += ["-singlefile", "-aa", "yes", "-aaVector", "yes"]
        cmd += ["-gray"] if gray else ["-png"]
        cmd += [pdf, stem]
        subprocess.run(cmd, check=True)
        fn = stem + (".pgm" if gray else ".png")
        im = Image.open(fn)
        im.load()
        return im.convert("L" if gray else "RGB")


def noise(rng, size, sigma):
    """Gaussian-like noise image centred on 128 (mode L)."""
    w, h = size
    im = Image.frombytes("L", (w, h), rng.randbytes(w * h))
    lut = [max(0, min(255, int(round(128 + sigma * z)))) for z in _INV]
    return im.point(lut)


def add_noise(img, rng, sigma):
    if img.mode == "L":
        return ImageChops.add(img, noise(rng, img.size, sigma), 1.0, -128)
    n = noise(rng, img.size, sigma)
    return Image.merge("RGB", [ImageChops.add(c, n, 1.0, -128) for c in img.split()])


def tone(img, black, white):
    """Map 0..255 to black..white (paper tone and ink density)."""
    lut = [int(black + (white - black) * v / 255.0) for v in range(256)]
    return img.point(lut * (3 if img.mode == "RGB" else 1))


def affine(img, fwd, fill):
    """Apply a forward affine map (a,b,c,d,e,f): x'=ax+by+c, y'=dx+ey+f."""
    a, b, c, d, e, f = fwd
    det = a * e - b * d
    ia, ib, id_, ie = e / det, -b / det, -d / det, a / det
    ic = -(ia * c + ib * f)
    if_ = -(id_ * c + ie * f)
    return img.transform(img.size, Image.AFFINE, (ia, ib, ic, id_, ie, if_), resample=Image.BICUBIC,
                         fillcolor=fill)


def rotation(angle_deg, cx, cy, sx=1.0, sy=1.0):
    """Forward affine in pixel space for a rotation by angle about (cx, cy) in
    physical space, where pixels are sx by sy physical units."""
    import math
    t = math.radians(angle_deg)
    c, s = math.cos(t), math.sin(t)
    # p_phys = (x*sx, y*sy); rotate; back to pixels
    a, b = c, -s * sy / sx
    d, e = s * sx / sy, c
    return (a, b, cx - a * cx - b * cy, d, e, cy - d * cx - e * cy)


def solve(A, bvec):
    n = len(bvec)
    M = [row[:] + [bvec[i]] for i, row in enumerate(A)]
    for col in range(n):
        piv = max(range(col, n), key=lambda r: abs(M[r][col]))
        M[col], M[piv] = M[piv], M[col]
        p = M[col][col]
        for j in range(col, n + 1):
            M[col][j] /= p
        for r in range(n):
            if r != col and M[r][col] != 0:
                f = M[r][col]
                for j in range(col, n + 1):
                    M[r][j] -= f * M[col][j]
    return [M[i][n] for i in range(n)]


def homography(src, dst):
    """8 coefficients mapping src points to dst points:
    u=(a x+b y+c)/(g x+h y+1), v=(d x+e y+f)/(g x+h y+1)."""
    A, B = [], []
    for (x, y), (u, v) in zip(src, dst):
        A.append([x, y, 1, 0, 0, 0, -x * u, -y * u])
        B.append(u)
        A.append([0, 0, 0, x, y, 1, -x * v, -y * v])
        B.append(v)
    return solve(A, B)


def apply_h(h, x, y):
    a, b, c, d, e, f, g, hh = h
    w = g * x + hh * y + 1
    return (a * x + b * y + c) / w, (d * x + e * y + f) / w


def apply_aff(m, x, y):
    a, b, c, d, e, f = m
    return a * x + b * y + c, d * x + e * y + f


# ---------------------------------------------------------------------------
def scan(pdf, page_w, page_h, rng):
    dpi = rng.choice([200, 240, 300])
    im = rasterise(pdf, dpi)
    k = dpi / 72.0
    paper = rng.randint(222, 246)
    ink = rng.randint(18, 52)
    im = tone(im, ink, paper)
    # uneven illumination: a soft vertical/horizontal gradient
    grad = Image.linear_gradient("L").resize(im.size)
    if rng.random() < 0.5:
        grad = grad.transpose(Image.ROTATE_90).resize(im.size)
    depth = rng.uniform(0.03, 0.10)
    shade = grad.point(lambda v: 255 - int(v * depth))
    im = ImageChops.multiply(im, shade)
    im = add_noise(im, rng, rng.uniform(6, 14))
    ang = rng.choice([-1, 1]) * rng.uniform(0.5, 3.0)
    m = rotation(ang, im.size[0] / 2, im.size[1] / 2)
    im = affine(im, m, paper - 6)
    im = im.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 1.1)))
    im = add_noise(im, rng, rng.uniform(2, 5))
    q = rng.randint(40, 75)

    def fmap(x, y):
        px, py = apply_aff(m, x * k, y * k)
        return px / k, py / k  # back to page points of the same-size page
    return im, (dpi, dpi), fmap, dict(dpi=dpi, skew_deg=round(ang, 2), jpeg_quality=q)


def fax(pdf, page_w, page_h, rng):
    rx, ry = 204, 98
    im = rasterise(pdf, rx, ry)
    sx, sy = 72.0 / rx, 72.0 / ry  # points per pixel
    ang = rng.choice([-1, 1]) * rng.uniform(0.0, 0.9)
    m = rotation(ang, im.size[0] / 2, im.size[1] / 2, sx, sy)
    im = affine(im, m, 255)
    im = add_noise(im, rng, rng.uniform(14, 26))
    thr = rng.randint(135, 170)
    bw = im.point(lambda v: 255 if v > thr else 0)
    # dropouts that break thin lines, and specks
    drop = noise(rng, im.size, 60).filter(ImageFilter.BoxBlur(1)).point(
        lambda v: 255 if v > 166 else 0)
    bw = ImageChops.lighter(bw, drop)
    specks = noise(rng, im.size, 42).point(lambda v: 0 if v >= 255 else 255)
    bw = ImageChops.darker(bw, specks)
    d = ImageDraw.Draw(bw)
    # occasional scan-line streaks
    for _ in range(rng.randint(0, 3)):
        y = rng.randint(40, im.size[1] - 5)
        x0 = rng.randint(0, im.size[0] // 2)
        d.line([(x0, y), (x0 + rng.randint(80, im.size[0] // 2), y)], fill=0)
    # fax header line (not part of the truth; it is transmission metadata)
    try:
        font = ImageFont.truetype(DEJAVU, 13)
        hdr = "%s  %02d:%02d   FROM: WARD %d%s   TO: 01632 %06d      P.%02d/%02d" % (
            rng.choice(["MAR-14-2024", "NOV-02-2023", "JAN-23-2025", "JUN-07-2024"]), rng.randint(7, 19),
            rng.randint(0, 59), rng.randint(1, 12), rng.choice("ABC"), rng.randint(0, 999999),
            rng.randint(1, 3), rng.randint(3, 6))
        big = Image.new("L", (im.size[0], 14), 255)
        ImageDraw.Draw(big).text((30, 0), hdr, font=font, fill=0)
        big = big.resize((im.size[0], 7)).point(lambda v: 255 if v > 140 else 0)
        bw.paste(big, (0, 2))
    except OSError:
        pass
    bw = bw.convert("1")

    def fmap(x, y):
        px, py = apply_aff(m, x / sx, y / sy)
        return px * sx, py * sy
    return bw, (rx, ry), fmap, dict(dpi=[rx, ry], skew_deg=round(ang, 2), threshold=thr)


def photo(pdf, page_w, page_h, rng):
    dpi = rng.choice([110, 120, 130])
    pg = rasterise(pdf, dpi, gray=False)
    pw, ph = pg.size
    mx, my = int(pw * rng.uniform(0.10, 0.15)), int(ph * rng.uniform(0.09, 0.12))
    W, H = pw + 2 * mx, ph + 2 * my
    # desk: dark wood / grey / green with texture
    desk = rng.choice([(92, 64, 44), (60, 58, 56), (44, 60, 52), (110, 96, 80), (38, 40, 48)])
    bg = Image.new("RGB", (W, H), desk)
    tex = noise(rng, (W // 6 + 1, H // 6 + 1), 34).resize((W, H), Image.BICUBIC).filter(
        ImageFilter.GaussianBlur(2.0))
    bg = Image.merge("RGB", [ImageChops.add(c, tex, 1.0, -128) for c in bg.split()])
    # page corners moved by 3-8% of page size
    def jit(v, size):
        return v + rng.choice([-1, 1]) * rng.uniform(0.03, 0.08) * size
    quad = [(jit(mx, pw), jit(my, ph)), (jit(mx + pw, pw), jit(my, ph)),
            (jit(mx + pw, pw), jit(my + ph, ph)), (jit(mx, pw), jit(my + ph, ph))]
    src = [(0, 0), (pw, 0), (pw, ph), (0, ph)]
    inv = homography(quad, src)   # output -> input, for PIL
    fwd = homography(src, quad)   # page pixel -> photo pixel
    warped = pg.transform((W, H), Image.PERSPECTIVE, inv, resample=Image.BICUBIC, fillcolor=(0, 0, 0))
    mask = Image.new("L", (pw, ph), 255).transform((W, H), Image.PERSPECTIVE, inv, resample=Image.BILINEAR,
                                                   fillcolor=0)
    # soft drop shadow of the sheet on the desk
    sh = mask.filter(ImageFilter.GaussianBlur(12)).point(lambda v: int(v * 0.55))
    sh = ImageChops.offset(sh, rng.randint(4, 12), rng.randint(4, 12))
    bg = Image.composite(Image.new("RGB", (W, H), (15, 12, 10)), bg, sh)
    img = Image.composite(warped, bg, mask)
    # shadow gradient across part of the photo (a hand / phone shadow)
    g = Image.linear_gradient("L").resize((W, H))
    g = g.rotate(rng.choice([0, 90, 180, 270]) + rng.uniform(-25, 25), resample=Image.BILINEAR,
                 expand=False, fillcolor=255)
    depth = rng.uniform(0.25, 0.5)
    cut = rng.uniform(0.35, 0.65)
    g = g.point(lambda v: 255 if v / 255.0 < cut else int(255 * (1 - depth * (v / 255.0 - cut) / (1 - cut))))
    g = g.filter(ImageFilter.GaussianBlur(20))
    img = Image.merge("RGB", [ImageChops.multiply(c, g) for c in img.split()])
    # colour cast
    cast = rng.choice([(1.0, 0.94, 0.80), (1.0, 0.97, 0.88), (0.88, 0.95, 1.0), (0.92, 0.97, 1.0)])
    bright = rng.uniform(0.85, 1.0)
    img = Image.merge("RGB", [c.point(lambda v, f=f: min(255, int(v * f * bright))) for c, f in
                              zip(img.split(), cast)])
    img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.7, 1.3)))
    img = add_noise(img, rng, rng.uniform(3, 7))
    q = rng.randint(60, 82)
    k = dpi / 72.0

    def fmap(x, y):
        u, v = apply_h(fwd, x * k, y * k)
        return u / k, v / k    # photo page is laid out at the same dpi
    return img, (dpi, dpi), fmap, dict(dpi=dpi, corners_px=[[round(a), round(b)] for a, b in quad],
                                                  jpeg_quality=q, cast=cast)
