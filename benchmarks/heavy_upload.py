"""A large but valid upload: 100 acupoints x 5 sites on the back view, all in one complaint's plan.

`python benchmarks/heavy_upload.py > heavy.yaml` writes it; `benchmarks/run.py` times how long the
app's path (sandboxed parse and validation, then the figure) takes for it. The points are
synthetic (EX-LE10 to EX-LE99, EX-UE10 to EX-UE19) and placed on a grid over the back, so the
layout has many marks and labels to keep apart.
"""

from __future__ import annotations

POINTS = 100
SITES = 5
# Files at the upload limits, for `benchmarks/run.py` (each must draw in <= 2 s of CPU): (points, sites, what).
# (0, 0) is crowded_panels(): the routing budget runs out part way, and the other panels are stacked.
AT_THE_LIMIT = (
    (100, 5, "1,000 marks (the per-complaint cap) in one panel"),
    (48, 1, "48 points crammed into one close-up (reaches the routing budget)"),
    (0, 0, "48 points crammed into each of 7 head, ear, foot and hand panels"),
)
DETAIL_PANELS = {"head-lateral": (400, 500), "ear": (300, 440), "foot-lateral": (480, 500), "foot-medial": (480, 500),
                 "foot-dorsum": (320, 400), "foot-plantar": (300, 440), "hand-dorsum": (340, 440)}  # width, height


def heavy_upload(points: int = POINTS, sites: int = SITES) -> str:
    codes = [f"EX-LE{n}" for n in range(10, 100)] + [f"EX-UE{n}" for n in range(10, 100)]
    lines = ["complaints:", "  - id: heavy-test", "    name: Heavy synthetic test",
             "    summary: A synthetic complaint with many points, for timing the layout.", "acupoints:"]
    for i, code in enumerate(codes[:points]):
        lines += [f"  - code: {code}", f"    pinyin: Test {i}", "    location: A synthetic grid position on the back",
                  "    source: Synthetic benchmark data 2026", "    sites:"]
        for s in range(sites):
            x = 240 + (i % 10) * 14 + (s % 5) * 3  # the right half of the back (the panel is 440 x 1000)
            y = 200 + ((i // 10) * 55 + s * 9) % 700
            lines.append(f"      - {{panel: body-posterior, at: [{x}, {y}], why: synthetic grid}}")
    lines += ["acupuncture:", "  - complaint: heavy-test", "    rationale: Synthetic.", "    foot_points: None.",
              "    source: Synthetic benchmark data 2026", "    points:"]
    lines += [f"      - {{code: {code}, placement: local, source: Synthetic benchmark data 2026}}" for code in codes[:points]]
    return "\n".join(lines) + "\n"


def crowded_panels(per_panel: int = 48) -> str:
    """per_panel one-site points in the middle fifth of each detail panel: every panel's labels routed, crowded."""
    codes = iter([f"EX-LE{n}" for n in range(10, 100)] + [f"EX-UE{n}" for n in range(10, 100)]
                 + [f"EX-HN{n}" for n in range(20, 100)] + [f"EX-CA{n}" for n in range(10, 100)])
    lines = ["complaints:", "  - id: heavy-test", "    name: Heavy synthetic test",
             "    summary: A synthetic complaint with crowded detail panels, for timing the layout.", "acupoints:"]
    used = []
    for panel, (w, h) in DETAIL_PANELS.items():
        for k in range(per_panel):
            code = next(codes)
            used.append(code)
            x, y = w * (0.4 + 0.2 * (k % 7) / 6), h * (0.4 + 0.2 * (k // 7) / 6)
            lines += [f"  - code: {code}", f"    pinyin: Test {len(used)}", "    location: A synthetic crowded position",
                      "    source: Synthetic benchmark data 2026", "    sites:",
                      f"      - {{panel: {panel}, at: [{x:.1f}, {y:.1f}], why: synthetic crowd}}"]
    lines += ["acupuncture:", "  - complaint: heavy-test", "    rationale: Synthetic.", "    foot_points: None.",
              "    source: Synthetic benchmark data 2026", "    points:"]
    lines += [f"      - {{code: {code}, placement: local, source: Synthetic benchmark data 2026}}" for code in used]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(heavy_upload(), end="")
