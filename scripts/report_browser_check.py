#!/usr/bin/env python3
"""Opens a restake-risk HTML report in headless Chromium and checks it as a reader would see it.

    report_browser_check.py REPORT.html [REPORT.html ...] [--screenshot FILE] [--self-test]

For each report:
1. static: every <img> is a data: URI, and nothing (img, script, link, CSS url()) is fetched from
   outside the file;
2. console: Chromium loads the page itself with `--enable-logging=stderr --v=0`, which prints
   every console message of the page as an `INFO:CONSOLE` line; the report has no script, so any
   such line (a failed load, a decoding error, a CSP complaint) fails the check;
3. images: a copy of the page with a small probe script (registered first in <head>: window
   `error` events in the capture phase, console.error/warn, then at `load` every image's
   `complete`, `naturalWidth`, `naturalHeight` and the page's resource entries) is loaded with
   `--dump-dom`; the probe writes its findings as JSON into the DOM, which this script reads.
   Every image must have decoded to a non-zero width and height.
4. with --screenshot, a full-width screenshot of the first report (`--screenshot`), checked to
   be a PNG that is not one flat colour.
`--self-test` first runs the checks on a broken page (a corrupt image, a console error, an
external image) and fails unless each problem is caught. Uses only the standard library (and
Pillow, when present, to look at the screenshot). Chromium: $CHROMIUM, else `chromium`.
"""
import argparse
import html.parser
import json
import os
import pathlib
import re
import shutil
import struct
import subprocess
import sys
import tempfile

PROBE = """<script>
(function () {
  var errors = [];
  window.addEventListener('error', function (e) {
    var t = e.target || {};
    errors.push(t.tagName ? ('failed to load ' + t.tagName + ' ' + String(t.src || t.href).slice(0, 80))
                          : ('error: ' + e.message));
  }, true);
  ['error', 'warn'].forEach(function (k) {
    var orig = console[k];
    console[k] = function () { errors.push('console.' + k + ': ' + Array.prototype.join.call(arguments, ' ')); orig.apply(console, arguments); };
  });
  window.addEventListener('load', function () {
    var imgs = Array.prototype.map.call(document.images, function (i) {
      return {id: i.id, alt: i.alt, complete: i.complete, w: i.naturalWidth, h: i.naturalHeight};
    });
    var res = performance.getEntriesByType('resource').map(function (r) { return r.name.slice(0, 120); });
    var pre = document.createElement('pre');
    pre.id = '__report_check__';
    pre.textContent = JSON.stringify({images: imgs, errors: errors, resources: res});
    document.body.appendChild(pre);
  });
})();
</script>"""


class Refs(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.imgs, self.external = [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.imgs.append(a.get("src") or "")
        for key in ("src", "href", "srcset", "poster", "data"):
            v = (a.get(key) or "").strip()
            if v and not v.startswith(("data:", "#")):
                self.external.append(f"<{tag} {key}={v[:80]}>")


def chromium():
    exe = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        sys.exit("report-check: no chromium on PATH (apt-get install -y chromium, or set CHROMIUM)")
    return exe


def run_chromium(args, profile, timeout=180):
    cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
           "--mute-audio", f"--user-data-dir={profile}"] + args
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def check_page(page: pathlib.Path, work: pathlib.Path) -> list:
    problems = []
    text = page.read_text(encoding="utf-8")
    refs = Refs()
    refs.feed(text)
    if not refs.imgs:
        problems.append("no <img> in the page")
    for src in refs.imgs:
        if not src.startswith("data:image/"):
            problems.append(f"image not embedded: {src[:80]}")
    problems += [f"external reference {e}" for e in refs.external]
    for m in re.finditer(r"url\(\s*['\"]?(https?:|//)", text):
        problems.append(f"CSS fetches from outside: {text[m.start():m.start() + 60]}")
    if re.search(r"<script[^>]*\bsrc=", text, re.I):
        problems.append("a <script src=...> in the page")

    # 2. console messages of the page itself
    url = page.resolve().as_uri()
    r = run_chromium(["--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000", "--dump-dom", url],
                     work / "profile-console")
    console = [l for l in r.stderr.splitlines() if ":CONSOLE" in l]
    problems += [f"console: {l[l.find('CONSOLE'):][:200]}" for l in console]
    if r.returncode != 0:
        problems.append(f"chromium exited {r.returncode}: {r.stderr[-300:]}")

    # 3. the probe copy
    probe_page = work / ("probe-" + page.name)
    head = re.search(r"<head[^>]*>", text, re.I)
    probed = text[:head.end()] + PROBE + text[head.end():] if head else PROBE + text
    probe_page.write_text(probed, encoding="utf-8")
    r = run_chromium(["--virtual-time-budget=10000", "--dump-dom", probe_page.as_uri()], work / "profile-probe")
    m = re.search(r'<pre id="__report_check__">(.*?)</pre>', r.stdout, re.S)
    if not m:
        problems.append("the probe never reported (the page did not finish loading)")
        return problems
    import html as h
    found = json.loads(h.unescape(m.group(1)))
    problems += [f"page error: {e}" for e in found["errors"]]
    problems += [f"page fetched a resource: {u}" for u in found["resources"]]
    for img in found["images"]:
        if not img["complete"] or img["w"] <= 0 or img["h"] <= 0:
            problems.append(f"image {img['id'] or img['alt']!r} did not decode "
                            f"(complete={img['complete']}, {img['w']}x{img['h']})")
    if len(found["images"]) != len(refs.imgs):
        problems.append(f"the browser saw {len(found['images'])} images, the file has {len(refs.imgs)}")
    if not problems:
        ws = [i["w"] for i in found["images"]]
        print(f"  {page}: {len(ws)} images decoded (natural widths {min(ws)}-{max(ws)} px), "
              f"0 console messages, 0 external resources")
    return problems


def png_size(path):
    data = pathlib.Path(path).read_bytes()[:24]
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", data[16:24])


def screenshot(page: pathlib.Path, out: pathlib.Path, work: pathlib.Path, size="1100,3000") -> list:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = work / "shot.png"
    r = run_chromium([f"--window-size={size}", f"--screenshot={tmp}", "--virtual-time-budget=5000",
                      page.resolve().as_uri()], work / "profile-shot")
    if not tmp.is_file():
        return [f"no screenshot written (chromium exited {r.returncode}: {r.stderr[-300:]})"]
    dims = png_size(tmp)
    if not dims or dims[0] < 500 or dims[1] < 500:
        return [f"screenshot is not a PNG of the window: {dims}"]
    try:
        from PIL import Image
        with Image.open(tmp) as im:
            lo_hi = im.convert("L").getextrema()
        if lo_hi[1] - lo_hi[0] < 50:
            return [f"screenshot is one flat colour (grey levels {lo_hi})"]
    except ImportError:
        pass
    shutil.copyfile(tmp, out)
    print(f"  screenshot {out} ({dims[0]}x{dims[1]})")
    return []


def self_test(work: pathlib.Path) -> bool:
    """The checks must fail on a page with a corrupt image, a console error and an outside image."""
    bad = work / "broken.html"
    good_png = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
    bad.write_text("<!DOCTYPE html><html><head><meta charset=utf-8><title>x</title></head><body>"
                   f'<img id=ok src="data:image/png;base64,{good_png}">'
                   '<img id=corrupt src="data:image/png;base64,AAAA">'
                   '<img id=outside src="http://127.0.0.1:9/x.png">'
                   "<script>console.error('self-test error')</script></body></html>")
    problems = check_page(bad, work)
    want = {"corrupt": any("'corrupt' did not decode" in p for p in problems),
            "console": any("console" in p for p in problems),
            "outside": any("external reference" in p and "127.0.0.1" in p for p in problems)}
    missed = [k for k, v in want.items() if not v]
    if missed:
        print(f"report-check self-test: FAILED, the checks missed {missed}; they found {problems}")
        return False
    print(f"report-check self-test: a broken page is caught ({len(problems)} problems found)")
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pages", nargs="+", type=pathlib.Path)
    ap.add_argument("--screenshot", type=pathlib.Path)
    ap.add_argument("--window", default="1100,3000", help="screenshot window size W,H")
    ap.add_argument("--self-test", action="store_true")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="report-check-") as tmp:
        work = pathlib.Path(tmp)
        ok = True
        if a.self_test:
            ok = self_test(work / "self") if (work / "self").mkdir() is None else False
        for page in a.pages:
            sub = work / f"p{a.pages.index(page)}"
            sub.mkdir()
            problems = check_page(page, sub)
            if problems:
                ok = False
                print(f"report-check: {page}: FAILED")
                for p in problems:
                    print(f"    {p}")
        if a.screenshot and ok:
            problems = screenshot(a.pages[0], a.screenshot, work, a.window)
            if problems:
                ok = False
                print("report-check: screenshot FAILED: " + "; ".join(problems))
    print("report-check: " + ("ok" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
