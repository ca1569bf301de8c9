"""The benchmark's goal rows and sweep chart, from fixed numbers (the benchmark itself is never a test)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from benchmarks.report import bound, chart_svg, cpu_past_startup, goals, render_goals
from benchmarks.table import Row

ROWS = [
    Row("R5 REST", "100,000 Leads", 0, records=100_000, cpu_s=6.0, steady_rate=15_000),
    Row("R5 REST small", "1,000 Leads", 0, records=1_000, cpu_s=1.5),
    Row("R5 bulk", "100,000 Leads", 0, records=100_000, cpu_s=7.0, steady_rate=9_000),
    Row("R5 REST", "100,000 Leads", 100, records=100_000, cpu_s=6.5, steady_rate=15_500),
    Row("R5 REST", "100,000 Leads", 300, records=100_000, cpu_s=6.5, steady_rate=4_000),
    Row("R5 bulk", "100,000 Leads", 300, records=100_000, cpu_s=7.0, steady_rate=8_000),
    Row("R6 REST x4", "25,000 Leads,Contacts,Accounts,Deals", 100, records=100_000, cpu_s=7.0, steady_rate=10_000),
]
SVG = "{http://www.w3.org/2000/svg}"


def test_given_the_two_zero_ms_reads_when_rated_then_the_rate_is_past_start_up() -> None:
    assert cpu_past_startup(ROWS) == 99_000 / 4.5  # 22,000 rec/CPU-s


def test_given_fixed_rows_when_judged_then_each_goal_has_its_bound_and_verdict() -> None:
    found = {g.goal.split(":")[0]: g for g in goals(ROWS)}
    at_100 = found["R5 REST, 100,000 Leads, 100 ms"]
    assert bound(100, 22_000) == 20_000 and at_100.measured == "15,500 rec/s = 78%" and at_100.verdict == "met"
    at_300 = found["R5 REST, 100,000 Leads, 300 ms"]
    assert at_300.bound.startswith("6,667 rec/s") and at_300.verdict == "NOT met"  # 4,000 = 60%
    assert found["R6 REST x4, 25,000 Leads,Contacts,Accounts,Deals, 100 ms"].verdict == "NOT met"  # 50%
    cpu = found["records per CPU second past start-up, Leads at 0 ms"]
    assert cpu.measured == "22,000 rec/CPU-s" and cpu.verdict == "met"
    assert render_goals(goals(ROWS)).count("\n") == 1 + len(found)


def test_given_fixed_rows_when_charted_then_each_mode_is_a_line_through_its_points() -> None:
    svg = ET.fromstring(chart_svg(ROWS))
    texts = {t.text for t in svg.iter(f"{SVG}text")}
    assert {"REST, 1 module", "Bulk Read, 1 module", "REST, 4 modules"} <= texts
    lengths = sorted(len(p.get("points", "").split()) for p in svg.iter(f"{SVG}polyline"))
    assert lengths[-1] == 100  # the bound, sampled across the axis
    assert len(list(svg.iter(f"{SVG}circle"))) == 6  # one per measured point with a steady rate


def test_given_two_calls_a_page_then_the_bound_halves_and_the_one_call_share_is_shown() -> None:
    # 63-field Leads: the floor counts two calls (two groups of 50 fields) for each page of 200 rows
    rows = ROWS[:2] + [Row("R5 REST", "100,000 Leads", 100, records=100_000, floor=1_000, steady_rate=8_000),
                       Row("R5 REST 50 fields", "100,000 Leads", 100, records=100_000, floor=500, steady_rate=8_000)]
    found = {g.goal.split(":")[0]: g for g in goals(rows)}
    wide, narrow = found["R5 REST, 100,000 Leads, 100 ms"], found["R5 REST 50 fields, 100,000 Leads, 100 ms"]
    assert wide.bound.startswith("10,000 rec/s (min of 10 x 200 / 2 calls a page")
    assert wide.measured == "8,000 rec/s = 80% (40% of the one-call bound 20,000)" and wide.verdict == "met"
    assert narrow.bound.startswith("20,000 rec/s") and narrow.verdict == "NOT met"  # 40%
    assert {"bound, 1 call(s) a page", "bound, 2 call(s) a page"} <= {
        t.text for t in ET.fromstring(chart_svg(rows)).iter(f"{SVG}text")}
