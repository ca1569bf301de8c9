"""Issue 14's goal rows with their verdicts, and the sweep chart (an SVG written here: no plotting dependency).

    >>> bound(300, 21_000)
    6666.666666666667
    >>> bound(100, 21_000, calls_per_page=2)
    10000.0

The bound of a read at `latency` ms is min(10 x 200 / latency / calls a page, the CPU bound): ten calls in flight
of 200 records each, or what one core parses and prints (records per CPU second past start-up, R5 at 0 ms).
Issue 14 wrote it as 10 x 200 / latency, one call a page; a page of 63-field Leads takes two calls (50 fields a
call, docs/zoho-api.md 3.1), so ten calls in flight carry 1,000 rows a round trip, not 2,000. The goal rows judge
each read against the bound for its own calls a page and show its share of the one-call bound beside it; the
`R5 REST 50 fields` rows (one call a page) are judged against the issue's bound as written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from math import ceil

from benchmarks.floor import PAGE
from benchmarks.sweep import SLOTS
from benchmarks.table import Row

REST_SCENARIOS = ("R5 REST", "R5 REST 50 fields", "R6 REST x4")
SHARE = 0.70  # steady rate >= 70% of the bound (issue 14)
CPU_GOAL = 20_000  # records per CPU second past start-up, 63-field Leads at 0 ms


@dataclass(frozen=True)
class Goal:
    goal: str
    measured: str
    bound: str
    verdict: str


def bound(latency_ms: float, cpu_bound: float | None, calls_per_page: float = 1.0) -> float:
    calls = SLOTS * PAGE / calls_per_page / (latency_ms / 1000) if latency_ms else float("inf")
    return min(calls, cpu_bound) if cpu_bound else calls


def calls_per_page(row: Row) -> float:
    """Calls a page of 200 rows takes (one per group of 50 fields): the floor over the pages; 1 when unknown."""
    if not row.floor or not row.records:
        return 1.0
    return max(1.0, row.floor / ceil(row.records / PAGE))


def cpu_past_startup(rows: list[Row]) -> float | None:
    """(rows - small rows) / (CPU s - small CPU s) of R5's two REST reads at 0 ms, when both ran."""
    big = next((r for r in rows if r.scenario == "R5 REST" and r.latency_ms == 0), None)
    small = next((r for r in rows if r.scenario == "R5 REST small"), None)
    if not (big and small and big.cpu_s and small.cpu_s) or big.cpu_s <= small.cpu_s:
        return None
    return (big.records - small.records) / (big.cpu_s - small.cpu_s)


def goals(rows: list[Row]) -> list[Goal]:
    cpu = cpu_past_startup(rows)
    out = []
    for row in rows:
        if row.scenario in REST_SCENARIOS and row.latency_ms:
            per_page = calls_per_page(row)
            limit = bound(row.latency_ms, cpu or row.rate_per_cpu, per_page)
            source = "R5 at 0 ms" if cpu else "this run's rec/CPU-s"
            steady = row.steady_rate or 0.0
            measured = f"{steady:,.0f} rec/s = {steady / limit:.0%}"
            calls = f"{SLOTS} x {PAGE} / latency"
            if per_page > 1:
                one_call = bound(row.latency_ms, cpu or row.rate_per_cpu)
                measured += f" ({steady / one_call:.0%} of the one-call bound {one_call:,.0f})"
                calls = f"{SLOTS} x {PAGE} / {per_page:.2g} calls a page / latency"
            out.append(Goal(f"{row.scenario}, {row.size}, {row.latency_ms:.0f} ms: steady >= {SHARE:.0%} of bound",
                            measured, f"{limit:,.0f} rec/s (min of {calls}, CPU bound from {source})",
                            _verdict(steady >= SHARE * limit)))
    if cpu is not None:
        out.append(Goal(f"records per CPU second past start-up, Leads at 0 ms: >= {CPU_GOAL:,}",
                        f"{cpu:,.0f} rec/CPU-s", f"{CPU_GOAL:,}", _verdict(cpu >= CPU_GOAL)))
    return out


def _verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def render_goals(found: list[Goal]) -> str:
    lines = ["| goal | measured | bound | verdict |", "|---|---|---|---|"]
    lines += [f"| {g.goal} | {g.measured} | {g.bound} | {g.verdict} |" for g in found]
    return "\n".join(lines)


# (scenario, legend, colour): one line per read mode
SERIES = (("R5 REST", "REST, 1 module", "#1f77b4"), ("R5 REST 50 fields", "REST, 1 module, 50 fields", "#9467bd"),
          ("R5 bulk", "Bulk Read, 1 module", "#2ca02c"), ("R6 REST x4", "REST, 4 modules", "#ff7f0e"))
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 700, 400, 70, 240, 30, 50


def chart_svg(rows: list[Row], title: str = "Steady records/s against latency") -> str:
    """The sweep as an SVG line chart: a line per read mode from the rows' steady rates, and the bound."""
    cpu = cpu_past_startup(rows)
    series = [(legend, colour, sorted((r.latency_ms, r.steady_rate) for r in rows
                                      if r.scenario == scenario and r.steady_rate))
              for scenario, legend, colour in SERIES]
    xs = [x for _, _, points in series for x, _ in points] or [0.0]
    x_max = max(max(xs), 100.0)
    y_max = 1.1 * max([y for _, _, points in series for _, y in points] + [cpu or 0.0, 1000.0])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def at(x: float, y: float) -> str:
        return f"{LEFT + plot_w * x / x_max:.1f},{TOP + plot_h * (1 - min(y, y_max) / y_max):.1f}"

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" font-family="sans-serif" '
           'font-size="12">', f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
           f'<text x="{LEFT}" y="18" font-size="14">{escape(title)}</text>']
    out += _axes(x_max, y_max, at)
    legends = []
    two = max((calls_per_page(r) for r in rows if r.scenario == "R5 REST"), default=1.0)
    for per_page, colour in ((1.0, "#888"), (two, "#bbb")) if two > 1 else ((1.0, "#888"),):
        curve = [(x, bound(x, cpu, per_page)) for x in _samples(x_max)]
        out.append(_polyline([at(x, y) for x, y in curve], colour, dashed=True))
        legends.append((f"bound, {per_page:.2g} call(s) a page", colour, True))
    for legend, colour, points in series:
        if not points:
            continue
        out.append(_polyline([at(x, y) for x, y in points], colour))
        out += [f'<circle cx="{at(x, y).split(",")[0]}" cy="{at(x, y).split(",")[1]}" r="3" fill="{colour}"/>'
                for x, y in points]
        legends.append((legend, colour, False))
    for n, (legend, colour, dashed) in enumerate(legends):
        y = TOP + 14 + 18 * n
        x = WIDTH - RIGHT + 12
        out.append(_polyline([f"{x},{y - 4}", f"{x + 20},{y - 4}"], colour, dashed))
        out.append(f'<text x="{x + 26}" y="{y}">{escape(legend)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _samples(x_max: float) -> list[float]:
    return [x_max * n / 100 for n in range(1, 101)]


def _axes(x_max: float, y_max: float, place: Callable[[float, float], str]) -> list[str]:
    out = [_polyline([place(0, y_max), place(0, 0), place(x_max, 0)], "black")]
    for n in range(5):
        x = x_max * n / 4
        px, py = place(x, 0).split(",")
        out.append(f'<text x="{px}" y="{float(py) + 16}" text-anchor="middle">{x:.0f}</text>')
        y = y_max * n / 4
        px, py = place(0, y).split(",")
        out.append(f'<text x="{float(px) - 6}" y="{float(py) + 4}" text-anchor="end">{y:,.0f}</text>')
    out.append(f'<text x="{LEFT + (WIDTH - LEFT - RIGHT) / 2}" y="{HEIGHT - 12}" text-anchor="middle">'
               "latency of every call, ms</text>")
    out.append(f'<text x="14" y="{TOP + (HEIGHT - TOP - BOTTOM) / 2}" transform="rotate(-90 14 '
               f'{TOP + (HEIGHT - TOP - BOTTOM) / 2})" text-anchor="middle">steady records/s</text>')
    return out


def _polyline(points: list[str], colour: str, dashed: bool = False) -> str:
    dash = ' stroke-dasharray="5,4"' if dashed else ""
    return f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>'
