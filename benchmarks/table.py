"""One row per measured run, and the one table `make bench` prints."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Row:
    scenario: str
    size: str
    latency_ms: float
    records: int = 0
    wall_s: float | None = None
    cpu_s: float | None = None
    peak_rss_mb: float | None = None
    calls: int | None = None
    floor: int | None = None
    credits: int | None = None
    max_in_flight: int | None = None
    emulator_cpu_s: float | None = None
    steady_rate: float | None = None
    note: str = ""
    by_route: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float | None:
        return self.records / self.wall_s if self.wall_s else None

    @property
    def rate_per_cpu(self) -> float | None:
        return self.records / self.cpu_s if self.cpu_s else None

    @property
    def calls_ratio(self) -> float | None:
        return self.calls / self.floor if self.calls is not None and self.floor else None

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "rate": self.rate, "rate_per_cpu": self.rate_per_cpu,
                "calls_ratio": self.calls_ratio}


COLUMNS = (
    ("scenario", "scenario", "{}"),
    ("size", "size", "{}"),
    ("latency_ms", "lat ms", "{:.0f}"),
    ("records", "records", "{:,}"),
    ("wall_s", "wall s", "{:.1f}"),
    ("rate", "rec/s", "{:,.0f}"),
    ("steady_rate", "steady rec/s", "{:,.0f}"),
    ("cpu_s", "CPU s", "{:.1f}"),
    ("rate_per_cpu", "rec/CPU-s", "{:,.0f}"),
    ("emulator_cpu_s", "emu CPU s", "{:.1f}"),
    ("peak_rss_mb", "RSS MB", "{:.0f}"),
    ("calls", "calls", "{:,}"),
    ("floor", "floor", "{:,}"),
    ("calls_ratio", "calls/floor", "{:.2f}"),
    ("credits", "credits", "{:,}"),
    ("max_in_flight", "in flight", "{}"),
    ("note", "note", "{}"),
)


def _cell(row: Row, attr: str, fmt: str) -> str:
    value = getattr(row, attr)
    return "-" if value is None or value == "" else fmt.format(value)


def render(rows: list[Row]) -> str:
    """A Markdown table (readable in a terminal, pasteable into docs/benchmarks.md)."""
    cells = [[_cell(row, attr, fmt) for attr, _, fmt in COLUMNS] for row in rows]
    headers = [title for _, title, _ in COLUMNS]
    widths = [max(len(h), *(len(c[i]) for c in cells)) if cells else len(h) for i, h in enumerate(headers)]
    lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in cells]
    return "\n".join(lines)
