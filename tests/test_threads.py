"""The embedder's OpenMP team size follows the other processes' CPU use (qa/threads.py)."""
import os

import pytest

from qa import threads


def test_team_size_gives_way_to_other_processes():
    assert threads.team_size(2, None) == 2      # no measurement yet: OpenMP's default
    assert threads.team_size(2, 0.0) == 2
    assert threads.team_size(2, 0.29) == 2
    assert threads.team_size(2, 0.5) == 1
    assert threads.team_size(2, 3.0) == 1       # never below one
    assert threads.team_size(8, 2.5) == 5


def _stat(tmp_path, busy0, busy1):
    path = tmp_path / "stat"
    path.write_text(f"cpu  1 0 1 0 0 0 0 0 0 0\ncpu0 {busy0} 0 0 100 0 0 0 0 0 0\n"
                    f"cpu1 {busy1} 0 0 100 0 0 0 0 0 0\nintr 0\n")
    return path


def test_load_watch_counts_only_other_processes(tmp_path, monkeypatch):
    path = _stat(tmp_path, 0, 0)
    watch = threads.LoadWatch(stat_path=str(path))
    watch.cpus, watch._names = [0, 1], {b"cpu0", b"cpu1"}
    assert watch.available
    tick = watch._tick
    times = iter([(0.0, 0.0), (0.5, 0.0)])  # this process used 0.5 CPU-seconds in the window
    monkeypatch.setattr(threads.os, "times", lambda: os.times_result((*next(times), 0, 0, 0)))
    monkeypatch.setattr(threads.time, "monotonic", lambda: 10.0)
    first = watch._sample()
    path.write_text(f"cpu  1 0 1 0 0 0 0 0 0 0\ncpu0 {tick} 0 0 100 0 0 0 0 0 0\n"
                    f"cpu1 {tick // 2} 0 0 100 0 0 0 0 0 0\nintr 0\n")  # 1.5 CPU-seconds in all
    second = watch._sample()
    second = (first[0] + 1.0, *second[1:])
    watch._pid, watch._samples = os.getpid(), [first, second]
    monkeypatch.setattr(threads.time, "monotonic", lambda: second[0])
    assert watch.others() == pytest.approx(1.0)  # 1.5 busy - 0.5 ours over 1 s


def test_load_watch_without_proc_stat_leaves_openmp_alone(tmp_path):
    watch = threads.LoadWatch(stat_path=str(tmp_path / "missing"))
    assert not watch.available and watch.others() is None


def test_fit_team_sets_the_team_the_load_leaves_room_for(monkeypatch):
    calls = []

    class Lib:
        def omp_set_num_threads(self, n):
            calls.append(n)

    class Watch:
        cpus = [0, 1]

        def __init__(self, others):
            self.load = others

        def others(self):
            return self.load

    monkeypatch.setattr(threads, "watch", lambda: Watch(0.9))
    assert threads.fit_team(Lib()) == 1
    monkeypatch.setattr(threads, "watch", lambda: Watch(0.0))
    assert threads.fit_team(Lib()) == 2
    assert threads.fit_team(None) is None      # no library handle: OpenMP decides
    assert calls == [1, 2]


def test_the_default_embedder_fits_its_team_before_each_call(monkeypatch):
    from qa.embed import E5Embedder
    seen = []
    monkeypatch.setattr(threads, "fit_team", lambda lib: seen.append(lib))
    e = E5Embedder()
    e.queries(["专利"])
    e.passages(["商标"])
    assert len(seen) == 2 and seen[0] is e._lib


def test_user_thread_count_wins(monkeypatch):
    monkeypatch.setattr(threads, "_USER_SET", True)
    assert threads.watch() is None
    assert threads.fit_team(object()) is None
