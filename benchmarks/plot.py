"""Plot build time against content size from a saved build benchmark, as a small SVG (no plotting library).

    python benchmarks/plot.py benchmarks/results/build.json benchmarks/results/build-time.svg
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
from html import escape
from pathlib import Path

WIDTH, HEIGHT = 720, 400
LEFT, RIGHT, TOP, BOTTOM = 64, 240, 36, 52  # margins: the legend sits on the right (its longest label fits)
COLOURS = ["#1f4e9c", "#6b8fd6", "#c0392b", "#2e7d32", "#8e6c00", "#6a1b9a", "#00838f"]
DASHES = ["", "6 3", "", "2 3", "8 3 2 3", "4 2", "1 2"]


def log_ticks(low: float, high: float) -> list[float]:
    """1, 2, 5 × powers of ten between low and high."""
    ticks = []
    for exponent in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1):
        ticks += [m * 10 ** exponent for m in (1, 2, 5) if low <= m * 10 ** exponent <= high]
    return ticks


def svg_plot(series: dict[str, list[tuple[float, float]]], title: str, x_label: str, y_label: str) -> str:
    xs = [x for points in series.values() for x, _ in points]
    ys = [y for points in series.values() for _, y in points]
    x_low, x_high = min(xs) / 1.3, max(xs) * 1.3
    y_low, y_high = 10 ** math.floor(math.log10(min(ys))), 10 ** math.ceil(math.log10(max(ys)))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def px(x: float) -> float:
        return LEFT + plot_w * (math.log10(x) - math.log10(x_low)) / (math.log10(x_high) - math.log10(x_low))

    def py(y: float) -> float:
        return TOP + plot_h * (1 - (math.log10(y) - math.log10(y_low)) / (math.log10(y_high) - math.log10(y_low)))

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
           f'font-family="sans-serif" font-size="12" role="img" aria-labelledby="t">',
           f'<title id="t">{escape(title)}</title>',
           f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>',
           f'<text x="{LEFT}" y="20" font-size="14" font-weight="bold">{escape(title)}</text>']
    for y in log_ticks(y_low, y_high):
        out.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{py(y):.1f}" y2="{py(y):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{LEFT - 6}" y="{py(y) + 4:.1f}" text-anchor="end">{y:g}</text>')
    for x in sorted(set(xs)):
        out.append(f'<line x1="{px(x):.1f}" x2="{px(x):.1f}" y1="{TOP}" y2="{TOP + plot_h}" stroke="#eee"/>')
        out.append(f'<text x="{px(x):.1f}" y="{TOP + plot_h + 18}" text-anchor="middle">{x:g}×</text>')
    out.append(f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#888"/>')
    out.append(f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 12}" text-anchor="middle">{escape(x_label)}</text>')
    out.append(f'<text transform="translate(16 {TOP + plot_h / 2}) rotate(-90)" text-anchor="middle">{escape(y_label)}</text>')
    for i, (name, points) in enumerate(series.items()):
        colour, dash = COLOURS[i % len(COLOURS)], DASHES[i % len(DASHES)]
        path = " ".join(f"{'M' if j == 0 else 'L'}{px(x):.1f},{py(y):.1f}" for j, (x, y) in enumerate(points))
        out.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>')
        out += [f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3.5" fill="{colour}"><title>{escape(name)}: '
                f'{y:.2f} s at {x:g}×</title></circle>' for x, y in points]
        legend_y = TOP + 10 + 22 * i
        out.append(f'<line x1="{WIDTH - RIGHT + 14}" x2="{WIDTH - RIGHT + 40}" y1="{legend_y}" y2="{legend_y}" '
                   f'stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>')
        out.append(f'<text x="{WIDTH - RIGHT + 46}" y="{legend_y + 4}">{escape(name)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def build_series(results: dict, key: str = "wall") -> dict[str, list[tuple[float, float]]]:
    """Median time of each step at each size."""
    series: dict[str, list[tuple[float, float]]] = {}
    for scale, result in sorted(results["scales"].items(), key=lambda item: int(item[0])):
        for step, runs in result["runs"].items():
            series.setdefault(results["steps"][step], []).append((int(scale), statistics.median(r[key] for r in runs)))
    return series


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", type=Path, help="JSON written by build.py --save")
    parser.add_argument("svg", type=Path, help="where to write the plot")
    # Wall time by default: what a contributor waits (the offline bundle's build runs on a second core)
    parser.add_argument("--time", choices=["cpu", "wall"], default="wall", help="which time to plot (default wall)")
    args = parser.parse_args()
    results = json.loads(args.results.read_text(encoding="utf-8"))
    what = "CPU time" if args.time == "cpu" else "wall time"
    args.svg.write_text(svg_plot(build_series(results, args.time), f"Build {what} against content size (log–log)",
                                 "content size (copies of the real content)", f"{what}, seconds (median)"),
                        encoding="utf-8")
    print(f"wrote {args.svg}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
