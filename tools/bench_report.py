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
    ("the lab (every panel) / the worker in Pyodide, a whole run", ("browser", "vector_run"), ("node", "vector_worker_run"), 0.85),
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
        run_s = browser.get("browser_vector_1000_steps_s")
        if run_s:
            out["browser"]["vector_run"] = spread([1000 / run_s])
    return out


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
    summary = {"figures": found, "ratios": ratios(found, load)}
    lines = [f"bench {results['date']}, {results['machine']}", ""]
    lines.append(f"{'what':<72} {'steps/s':>8} {'range':>15} {'n':>3}   {'per CPU s':>9} {'range':>15}")
    for part, by_figure in found.items():
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
    lines += ["", "1-minute load average (before / highest during / median during, cores)"]
    for part, l in load.items():
        lines.append(f"  {part:<10} {l['before']} / {l['during_max']} / {l['during_median']}, {l['cores']}"
                     f"{'  BUSY' if l['busy'] else ''}")
    return summary, "\n".join(lines)
