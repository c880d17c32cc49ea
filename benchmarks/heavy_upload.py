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
AT_THE_LIMIT = (
    (100, 5, "1,000 marks (the per-complaint cap) in one panel"),
    (48, 1, "48 points crammed into one close-up (the most routing work found: it reaches the routing budget)"),
)


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


if __name__ == "__main__":
    print(heavy_upload(), end="")
