"""The bench's own parts: the original program it times, and how it reports."""
import json
import pathlib
import subprocess
import sys

from tools import bench
from tools.bench import LoadWatch
from tools.bench_report import report

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_the_original_program_runs_and_matches_the_scalar_engine():
    """tools/bench_original_program.py, run as the bench runs it, gives the scalar engine's losses."""
    output = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "bench_steps.py"), "--data", str(ROOT / "data" / "names.txt"),
         "--rounds", "1", "--figures", "scalar,original"],
        capture_output=True, text=True, timeout=300, env={"PYTHONPATH": str(ROOT / "py")})
    assert output.returncode == 0, output.stderr
    result = json.loads(output.stdout)
    assert result["original_matches_scalar"] is True
    assert set(result["rates"]) == set(result["cpu_rates"]) == {"scalar", "original"}
    assert all(rate > 0 for rates in result["rates"].values() for rate in rates)


def test_unknown_figure_is_named():
    output = subprocess.run([sys.executable, str(ROOT / "tools" / "bench_steps.py"), "--data", "x", "--figures", "vectr"],
                            capture_output=True, text=True, env={"PYTHONPATH": str(ROOT / "py")})
    assert output.returncode == 2 and "unknown figure(s) vectr" in output.stderr


def engine_results(native_scalar, node_scalar):
    part = lambda scalar: {"python": "3.x", "rates": {"scalar": [scalar, scalar * 1.1, scalar * 0.9], "original": [4.0]},
                           "cpu_rates": {"scalar": [scalar], "original": [4.0]}}
    return {"date": "2026-11-29", "machine": "2 cores", "native": part(native_scalar), "node": part(node_scalar)}


def test_report_gives_medians_ranges_and_the_ratios_against_their_targets():
    results = engine_results(5.0, 6.5)
    results["load"] = {"native": {"before": 0.3, "during_max": 1.1, "during_median": 1.0, "cores": 2, "busy": False},
                       "node": {"before": 2.5, "during_max": 3.1, "during_median": 3.0, "cores": 2, "busy": True}}
    summary, table = report(results)
    assert summary["figures"]["native"]["scalar"] == {"median": 5.0, "min": 4.5, "max": 5.5, "n": 3,
                                                     "cpu": {"median": 5.0, "min": 5.0, "max": 5.0, "n": 1}}
    ratio = summary["ratios"]["scalar in Pyodide / scalar natively"]
    assert ratio["ratio"] == 1.3 and ratio["target"] == 1.2 and ratio["busy"] is True
    assert "(target >= 1.2; machine busy: no verdict)" in table
    native_only = summary["ratios"]["scalar / the original, natively"]
    assert native_only["ratio"] == 1.25 and native_only["busy"] is False
    assert "(target >= 1: met)" in table
    assert "Pyodide under Node 3.x (BUSY: not a headline)" in table
    assert "native CPython 3.x (BUSY" not in table


def test_load_watch_marks_a_part_busy_over_one_per_core(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    watch = LoadWatch()
    watch.before, watch.during = 0.5, [1.0, 1.9]
    assert watch.summary() == {"before": 0.5, "during_max": 1.9, "during_median": 1.45, "cores": 2, "busy": False}
    watch.during.append(2.5)
    assert watch.summary()["busy"] is True


def test_settle_waits_for_the_load_to_fall_and_no_longer_than_its_limit(monkeypatch):
    """After its own build, the bench waits for the 1-minute load to fall to one per core before the browser part."""
    clock = [0.0]
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    monkeypatch.setattr(bench.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(bench.time, "sleep", lambda s: clock.__setitem__(0, clock[0] + s))
    loads = iter([4.0, 3.1, 2.4, 1.9, 1.9])
    monkeypatch.setattr(bench, "loadavg", lambda: next(loads))
    bench.settle()
    assert clock[0] == 15  # three waits of 5 s: 4.0, 3.1, 2.4, then 1.9 is one per core or less
    clock[0] = 0.0
    monkeypatch.setattr(bench, "loadavg", lambda: 3.0)  # a neighbour that never stops
    bench.settle(most_s=30)
    assert clock[0] == 30


def test_a_browser_figure_says_when_it_is_not_to_be_trusted():
    results = engine_results(5.0, 6.5)
    results["node"]["rates"]["vector_worker_run"] = [100.0]
    results["node"]["cpu_rates"]["vector_worker_run"] = [102.0]
    run = {"s": 10.5, "cpu_s": {"worker": 10.2, "page": 2.0}, "worker_share": 0.97, "load_before": 0.4,
           "visibility": "visible"}
    results["browser"] = {"browser_vector_1000_steps_runs": [run, dict(run, s=10.1)]}
    results["load"] = {"browser": {"before": 0.4, "during_max": 2.5, "during_median": 2.1, "cores": 2, "busy": False}}
    summary, table = report(results)
    assert summary["browser_distrust"] == []
    assert "no reason to distrust them" in table
    assert summary["ratios"]["the lab (every panel) / the worker in Pyodide, a whole run"]["target"] == 0.9
    # The load before a run counts the bench's own Chromium: alone it is no reason.
    results["browser"]["browser_vector_1000_steps_runs"] = [dict(run, load_before=2.4)]
    assert report(results)[0]["browser_distrust"] == []
    busy = dict(run, load_before=3.4, cpu_s={"worker": 16.0}, worker_share=0.72, visibility="hidden")
    results["browser"]["browser_vector_1000_steps_runs"] = [busy]
    summary, table = report(results)
    assert summary["browser_distrust"] == [
        "run 1: the worker was busy 72% of it: something else had its core",
        "run 1: the page was hidden (its frames and timers are throttled)",
        "the lab's worker needed 1.63x the CPU per step of the worker under Node: the cores were shared "
        "(another process, a VM neighbour)"]
    assert "not to be trusted: run 1: the worker was busy 72%" in table


def test_two_sessions_side_by_side_are_judged_against_the_target_and_the_cores_said():
    results = {"date": "2026-12-07", "machine": "2 cores", "load": {}}
    side = {"alone_steps_per_s": 100.0, "together_steps_per_s": [80.0, 75.0], "together_over_alone": 1.55,
            "extra_worker_mb": 60.0}
    results["browser"] = {"cores": 2, "browser_side_by_side": side}
    _, table = report(results)
    assert "Chromium ran on 2 cores" in table
    assert "80.0 + 75.0 steps/s against 100.0 alone (1.550x; target >= 1.5 on 2 cores: met)" in table
    results["browser"]["browser_side_by_side"] = dict(side, together_over_alone=1.498)
    assert "(1.498x; target >= 1.5 on 2 cores: missed)" in report(results)[1]
    results["browser"] = {"cores": 1, "browser_side_by_side": dict(side, together_over_alone=0.98, extra_worker_mb=None)}
    _, table = report(results)
    assert "Chromium ran on 1 core\n" in table
    assert "(0.980x; target >= 1.5 on 2 cores: no verdict on 1 core); one worker" in table
