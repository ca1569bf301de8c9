"""Run a Python console script under cProfile, every thread included, and dump merged stats.

    python -m benchmarks.profiled OUT.prof SCRIPT [ARGS...]

cProfile only sees the thread that enabled it; the source reads streams on worker threads, so each
thread's `run` gets its own profiler and the stats are merged at exit. The timer is `time.thread_time`:
CPU seconds of the thread, so waiting on sockets, locks and queues costs nothing and the hot spots are CPU.
"""

from __future__ import annotations

import cProfile
import pstats
import runpy
import sys
import threading
import time

_profiles: list[cProfile.Profile] = []
_thread_run = threading.Thread.run


def _profiled_run(self: threading.Thread) -> None:
    profile = cProfile.Profile(time.thread_time)
    _profiles.append(profile)
    profile.enable()
    try:
        _thread_run(self)
    finally:
        profile.disable()


def main() -> None:
    out, script, *args = sys.argv[1:]
    threading.Thread.run = _profiled_run
    main_profile = cProfile.Profile(time.thread_time)
    sys.argv = [script, *args]
    main_profile.enable()
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit:
        pass
    finally:
        main_profile.disable()
        stats = pstats.Stats(main_profile)
        for profile in list(_profiles):
            try:
                stats.add(profile)
            except TypeError:  # a thread that never ran any profiled code has no stats
                continue
        stats.dump_stats(out)


if __name__ == "__main__":
    main()
