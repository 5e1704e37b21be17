"""The bench's results as figures (median and range per figure), the ratios the
issue's targets are stated in, and a readable table. Figures of a part during
which the machine was busy are marked so, never given as headlines."""
import statistics

FIGURES = {  # bench_steps.py's figure -> what it is
    "original": "the original microgpt program",
    "scalar": "`scalar` engine",
    "vector": "`vector` engine",
    "vector_full": "`vector` engine, every step \"full\" (the panels' data)",
    "vector_worker": "`vector` engine through the worker's entry point, as the lab steps it",
    "vector_worker_run": "the same over a whole default run (1,000 steps)",
    "vector_run": "`vector` engine, a whole default run (1,000 steps)",
}
RUNTIMES = {"native": "native CPython", "node": "Pyodide under Node"}
# (name, numerator, denominator, target or None): (part, figure) pairs; part "browser" reads bench_browser's keys
RATIOS = (
    ("scalar in Pyodide / scalar natively", ("node", "scalar"), ("native", "scalar"), 1.2),
    ("the original in Pyodide / natively", ("node", "original"), ("native", "original"), None),
    ("scalar / the original, natively", ("native", "scalar"), ("native", "original"), 1.0),
    ("scalar / the original, in Pyodide", ("node", "scalar"), ("node", "original"), 1.0),
    ("vector / scalar, natively", ("native", "vector"), ("native", "scalar"), None),
    ("vector / scalar, in Pyodide", ("node", "vector"), ("node", "scalar"), None),
    ("vector in Pyodide / natively", ("node", "vector"), ("native", "vector"), None),
    ("the lab (every panel) / the worker in Pyodide, a whole run", ("browser", "vector_run"), ("node", "vector_worker_run"), 0.9),
    ("the lab, a whole run / the original natively", ("browser", "vector_run"), ("native", "original"), 24.0),
)


def spread(rates):
    return {"median": statistics.median(rates), "min": min(rates), "max": max(rates), "n": len(rates)}


def figures(results):
    """{part: {figure: {median, min, max, n, cpu: {median, min, max, n}}}} for every part that ran
    (steps per wall second; "cpu": per CPU second of the process, which a busy neighbour moves less)."""
    out = {}
    for part in RUNTIMES:
        if part in results:
            rates, cpu_rates = results[part]["rates"], results[part]["cpu_rates"]
            out[part] = {f: {**spread(rates[f]), "cpu": spread(cpu_rates[f])} for f in FIGURES if f in rates}
    browser = results.get("browser")
    if browser:
        out["browser"] = {}
        for engine in ("vector", "scalar"):
            windows = browser.get(f"browser_{engine}_steps_per_s_windows")
            if windows:
                cpu = browser.get(f"browser_{engine}_steps_per_cpu_s_windows")
                out["browser"][engine] = {**spread(windows), **({"cpu": spread(cpu)} if cpu else {})}
        runs = browser.get("browser_vector_1000_steps_runs") or (
            [{"s": browser["browser_vector_1000_steps_s"]}] if browser.get("browser_vector_1000_steps_s") else [])
        if runs:
            out["browser"]["vector_run"] = spread([1000 / run["s"] for run in runs])
            cpu = [1000 / run["cpu_s"]["worker"] for run in runs if run.get("cpu_s", {}).get("worker")]
            if cpu:
                out["browser"]["vector_run"]["cpu"] = spread(cpu)  # per CPU second of the engine worker's thread
    return out


# Two sessions trained at once on 2 cores, their steps/s summed, against one alone (issue 22).
SIDE_BY_SIDE = 1.5

# A browser figure is only as good as the CPU the worker had: each reason
# it may not be trusted, in words (none: trust it). The load average before a
# run does not say it: it still counts the bench's own Chromium of the part
# before. The worker's CPU time over the run's wall time does.
CONTENDED = 1.15  # the lab's worker needed this much more CPU per step than the worker under Node
WORKER_SHARE = 0.9  # the worker busy less of the run than this: something else had its core


def distrust(results, found):
    reasons = []
    browser = results.get("browser") or {}
    for i, run in enumerate(browser.get("browser_vector_1000_steps_runs", []), 1):
        if run.get("worker_share") is not None and run["worker_share"] < WORKER_SHARE:
            reasons.append(f"run {i}: the worker was busy {run['worker_share']:.0%} of it: something else had its core")
        if run.get("visibility") not in (None, "visible"):
            reasons.append(f"run {i}: the page was {run['visibility']} (its frames and timers are throttled)")
    lab, node = found.get("browser", {}).get("vector_run", {}), found.get("node", {}).get("vector_worker_run", {})
    if "cpu" in lab and "cpu" in node and node["cpu"]["median"] / lab["cpu"]["median"] > CONTENDED:
        reasons.append(f"the lab's worker needed {node['cpu']['median'] / lab['cpu']['median']:.2f}x the CPU per step "
                       "of the worker under Node: the cores were shared (another process, a VM neighbour)")
    return reasons


def ratios(found, load):
    """Ratios of medians (per wall second; "cpu": per CPU second where both sides have it);
    "busy" when either side's part ran on a busy machine."""
    out = {}
    for name, (part_a, fig_a), (part_b, fig_b), target in RATIOS:
        a, b = found.get(part_a, {}).get(fig_a), found.get(part_b, {}).get(fig_b)
        if a and b:
            busy = any(load.get(part, {}).get("busy") for part in (part_a, part_b))
            out[name] = {"ratio": a["median"] / b["median"], "target": target, "busy": busy}
            if "cpu" in a and "cpu" in b:
                out[name]["cpu"] = a["cpu"]["median"] / b["cpu"]["median"]
    return out


def report(results):
    """(summary for the JSON, the table as text)."""
    found = figures(results)
    load = results.get("load", {})
    summary = {"figures": found, "ratios": ratios(found, load), "browser_distrust": distrust(results, found)}
    lines = [f"bench {results['date']}, {results['machine']}", ""]
    lines.append(f"{'what':<72} {'steps/s':>8} {'range':>15} {'n':>3}   {'per CPU s':>9} {'range':>15}")
    for part, by_figure in found.items():
        if not by_figure:
            continue  # a part of the browser's that measures no steps/s (side by side only)
        runtime = RUNTIMES.get(part, "the lab in Chromium, every panel on screen")
        python = results.get(part, {}).get("python")
        busy = " (BUSY: not a headline)" if load.get(part, {}).get("busy") else ""
        lines.append(f"{runtime}{' ' + python if python else ''}{busy}")
        for figure, s in by_figure.items():
            label = FIGURES.get(figure, f"`{figure}` engine")
            cpu = s.get("cpu")
            per_cpu = f"   {cpu['median']:9.2f} {cpu['min']:7.2f}-{cpu['max']:<7.2f}" if cpu else ""
            lines.append(f"  {label:<70} {s['median']:8.2f} {s['min']:7.2f}-{s['max']:<7.2f} {s['n'] or '':>3}{per_cpu}")
    lines += ["", f"{'ratios of medians':<62} {'wall':>7} {'CPU':>7}"]
    for name, r in summary["ratios"].items():
        if not r["target"]:
            target = ""
        elif r["busy"]:
            target = f"  (target >= {r['target']:g}; machine busy: no verdict)"
        else:
            target = f"  (target >= {r['target']:g}: {'met' if r['ratio'] >= r['target'] else 'missed'})"
        cpu = f"{r['cpu']:7.2f}" if "cpu" in r else f"{'':7}"
        lines.append(f"  {name:<60} {r['ratio']:7.2f} {cpu}{target}")
    browser = results.get("browser")
    if browser:
        lines += ["", "the lab in Chromium"]
        for key, s in browser.get("start_up", {}).items():
            lines.append(f"  {key:<60} {s['median']:7.2f} {s['min']:7.2f}-{s['max']:<7.2f} {s['n']:>3}")
        for key in ("browser_vector_1000_steps_s", "browser_vector_longest_task_ms", "browser_scalar_longest_task_ms"):
            if browser.get(key) is not None:
                lines.append(f"  {key:<60} {browser[key]:7.2f}")
        for i, run in enumerate(browser.get("browser_vector_1000_steps_runs", []), 1):
            threads = ", ".join(f"{kind} {cpu_s:.1f}" for kind, cpu_s in run.get("cpu_s", {}).items())
            lines.append(f"  default run {i}: {run['s']:.2f} s; CPU s by thread: {threads}; "
                         f"the worker busy {run.get('worker_share') or 0:.0%} of it")
        cores = browser.get("cores")
        on_cores = f"{cores} core{'s' if cores != 1 else ''}"
        if cores:
            lines.append(f"  Chromium ran on {on_cores}")
        side = browser.get("browser_side_by_side")
        if side:
            verdict = (("met" if side["together_over_alone"] >= SIDE_BY_SIDE else "missed") if cores == 2
                       else f"no verdict on {on_cores}")
            memory = (f"a second worker: {side['extra_worker_mb']:.0f} MB more resident memory"
                      if side.get("extra_worker_mb") is not None else "one worker (the second session waited for it)")
            lines.append(f"  two sessions at once, few panels: {' + '.join(f'{r:.1f}' for r in side['together_steps_per_s'])}"
                         f" steps/s against {side['alone_steps_per_s']:.1f} alone ({side['together_over_alone']:.3f}x;"
                         f" target >= {SIDE_BY_SIDE:g} on 2 cores: {verdict}); {memory}")
        reasons = summary["browser_distrust"]
        lines.append("  the browser figures: " + ("not to be trusted: " + "; ".join(reasons) if reasons else
                                                  "the worker had its CPU (no reason to distrust them)"))
    lines += ["", "1-minute load average (before / highest during / median during, cores)"]
    for part, l in load.items():
        lines.append(f"  {part:<10} {l['before']} / {l['during_max']} / {l['during_median']}, {l['cores']}"
                     f"{'  BUSY' if l['busy'] else ''}")
    return summary, "\n".join(lines)
