#!/usr/bin/env python3
"""bench/soak.sh's checks, on the files of a finished run in OUT (standard library only).

Usage: soak_check.py OUT MINUTES COUNTS
  COUNTS: "key=value ..." from the script (restarts, kills, monitor restarts), shown in the summary.
Reads final.json (`jbits list --all --json`), expect.tsv and jobs.tsv (bench/SoakLoad.java), events.tsv
(bench/SoakListener.java), samples.csv and load.out. Writes checks.txt and summary.md; exits 1 when a check fails.
Slope thresholds per minute from the environment: MAX_SLOPE_RSS_MIB (2), MAX_SLOPE_THREADS (1), MAX_SLOPE_FDS (1),
MAX_SLOPE_WAL_MIB (1).
"""
import csv
import hashlib
import json
import os
import sys

out, minutes, extra = sys.argv[1], float(sys.argv[2]), sys.argv[3]
failures, lines = [], []


def say(text):
    lines.append(text)
    print(text, file=sys.stderr)


def check(ok, text):
    say(("ok   " if ok else "FAIL ") + text)
    if not ok:
        failures.append(text)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# ---- the service's record
jobs = {}
with open(os.path.join(out, "final.json")) as f:
    for line in f:
        line = line.strip().rstrip(",")
        if line.startswith("{"):
            j = json.loads(line)
            jobs[j["id"]] = j
kinds = {}
with open(os.path.join(out, "jobs.tsv")) as f:
    for row in csv.reader(f, delimiter="\t"):
        kinds[row[1]] = row[2]
load = dict(kv.split("=", 1) for kv in open(os.path.join(out, "load.out")).read().split())
states = {}
for job_id in kinds:
    state = jobs[job_id]["state"] if job_id in jobs else "GONE"
    states[state] = states.get(state, 0) + 1
say("jobs of the load by final state: " + ", ".join(f"{k} {v}" for k, v in sorted(states.items())))
say("load: " + " ".join(f"{k}={v}" for k, v in sorted(load.items())))
orphans = [j for j in jobs.values() if j["name"].startswith("soak-") and j["id"] not in kinds]
say(f"jobs created twice by a create whose answer a restart lost: {len(orphans)}")

# ---- every file of every completed job
expected = {}
with open(os.path.join(out, "expect.tsv")) as f:
    for row in csv.reader(f, delimiter="\t"):
        expected.setdefault(row[0], []).append((row[1], row[2]))
checked = bad = 0
for job_id, files in expected.items():
    if jobs.get(job_id, {}).get("state") != "ACKNOWLEDGED":
        continue
    for path, digest in files:
        checked += 1
        if not os.path.exists(path) or sha256(path) != digest:
            bad += 1
            say(f"     wrong or missing: {path} (job {job_id})")
check(checked > 0 and bad == 0, f"SHA-256 of every file of every completed job: {checked - bad}/{checked} right")
check(int(load.get("reply_bad", 0)) == 0, f"upload-reply replies: {load.get('reply_ok', 0)} right, "
      f"{load.get('reply_bad', 0)} wrong")
doomed = [j for j, k in kinds.items() if k == "doomed"]
doomed_error = [j for j in doomed if jobs.get(j, {}).get("state") in ("ERROR", "CANCELLED")]
check(len(doomed_error) == len(doomed), f"downloads of a missing file in ERROR (or cancelled): "
      f"{len(doomed_error)}/{len(doomed)}")
unfinished = [j for j in kinds if jobs.get(j, {}).get("state") not in (None, "ACKNOWLEDGED", "CANCELLED", "ERROR")]
check(not unfinished, f"every job finished within the drain: {len(unfinished)} did not "
      f"{sorted(jobs[j]['state'] for j in unfinished)[:10]}")

# ---- the listener against the service
seen_transferred, seen_error, events, duplicates = set(), {}, 0, 0
seen = set()
with open(os.path.join(out, "events.tsv")) as f:
    for row in csv.reader(f, delimiter="\t"):
        events += 1
        if (row[2], row[3]) in seen:
            duplicates += 1
        seen.add((row[2], row[3]))
        if row[1] == "TRANSFERRED":
            seen_transferred.add(row[2])
        elif row[1] == "ERROR":
            seen_error[row[2]] = row[7]
ours = set(kinds)
cancelled = {j for j in ours if jobs.get(j, {}).get("state") == "CANCELLED"}
svc_transferred = {j for j in ours if jobs.get(j, {}).get("state") in ("TRANSFERRED", "ACKNOWLEDGED")}
svc_error = {j: jobs[j]["error"]["code"] for j in ours if jobs.get(j, {}).get("state") == "ERROR"}
lis_transferred = (seen_transferred & ours) - cancelled
lis_error = {j: c for j, c in seen_error.items() if j in ours and j not in cancelled}
say(f"listener: {events} state events (progress left out), {duplicates} seen twice (same job and number)")
check(lis_transferred == svc_transferred,
      f"TRANSFERRED: the service holds {len(svc_transferred)} jobs as TRANSFERRED or ACKNOWLEDGED, the listener saw "
      f"{len(lis_transferred)}; missed {len(svc_transferred - lis_transferred)}, "
      f"extra {len(lis_transferred - svc_transferred)}")
same_codes = all(lis_error.get(j, "").upper() == c.upper() for j, c in svc_error.items())
check(set(lis_error) == set(svc_error) and same_codes,
      f"ERROR: the service holds {len(svc_error)} jobs in ERROR, the listener saw {len(lis_error)}; missed "
      f"{len(set(svc_error) - set(lis_error))}, extra {len(set(lis_error) - set(svc_error))}, "
      f"codes {'the same' if same_codes else 'DIFFERENT'}")

# ---- growth: least squares over the run's second half, without each process's first 2 minutes
rows = list(csv.DictReader(open(os.path.join(out, "samples.csv"))))


def slope(column, since_column):
    points = []
    for r in rows:
        m = float(r["minute"])
        if m < minutes / 2 or m > minutes or r[column] in ("", "NaN"):
            continue
        since = float(r[since_column])
        if since > 0 and m - since < 2:
            continue
        points.append((m, float(r[column])))
    if len(points) < 3:
        return None, len(points)
    n = len(points)
    mx = sum(p[0] for p in points) / n
    my = sum(p[1] for p in points) / n
    sxx = sum((p[0] - mx) ** 2 for p in points)
    return sum((p[0] - mx) * (p[1] - my) for p in points) / sxx, n


def within_lifetimes(column, since_column):
    """The slope shared by every lifetime of the process (each its own intercept), after its first 2 minutes."""
    groups = {}
    for r in rows:
        m = float(r["minute"])
        if m > minutes or r[column] in ("", "NaN"):
            continue
        since = float(r[since_column])
        if m - since < 2:
            continue
        groups.setdefault(since, []).append((m, float(r[column])))
    sxy = sxx = 0.0
    for points in groups.values():
        mx = sum(p[0] for p in points) / len(points)
        my = sum(p[1] for p in points) / len(points)
        sxy += sum((p[0] - mx) * (p[1] - my) for p in points)
        sxx += sum((p[0] - mx) ** 2 for p in points)
    return sxy / sxx if sxx > 0 else None


def env(name, default):
    return float(os.environ.get(name, default))


series = [("service RSS", "service_rss_mib", "MiB", "service_restarted_min", env("MAX_SLOPE_RSS_MIB", 2)),
          ("service heap after GC", "heap_after_gc_mib", "MiB", "service_restarted_min", None),
          ("service threads", "threads", "", "service_restarted_min", env("MAX_SLOPE_THREADS", 1)),
          ("service descriptors", "fds", "", "service_restarted_min", env("MAX_SLOPE_FDS", 1)),
          ("`jbits serve` RSS", "serve_rss_mib", "MiB", "serve_restarted_min", env("MAX_SLOPE_RSS_MIB", 2)),
          ("`jbits serve` descriptors", "serve_fds", "", "serve_restarted_min", env("MAX_SLOPE_FDS", 1)),
          ("database", "db_mib", "MiB", "service_restarted_min", None),
          ("WAL", "wal_mib", "MiB", "service_restarted_min", env("MAX_SLOPE_WAL_MIB", 1)),
          ("event lag, median", "lag_p50_ms", "ms", "service_restarted_min", None)]
slopes = []
for label, column, unit, since, limit in series:
    s, n = slope(column, since)
    values = [float(r[column]) for r in rows if r[column] not in ("", "NaN")]
    span = f"{min(values):g}-{max(values):g}" if values else "-"
    text = "n/a" if s is None else f"{s:+.2f}{(' ' + unit) if unit else ''}/min"
    w = within_lifetimes(column, since)
    within = "n/a" if w is None else f"{w:+.2f}{(' ' + unit) if unit else ''}/min"
    say(f"     {label}: slope within each process lifetime (after its first 2 minutes), whole run: {within}")
    slopes.append((label, span + (f" {unit}" if unit else ""), text, n, limit, within))
    if limit is None:
        say(f"     {label}: slope {text} over {n} samples (reported, not checked); range {span}")
    else:
        check(s is not None and s < limit, f"{label}: slope {text} over {n} samples, limit {limit:g}; range {span}")
lags = [float(r["lag_max_ms"]) for r in rows if r["lag_max_ms"] not in ("", "NaN")]
p50 = sorted(float(r["lag_p50_ms"]) for r in rows if r["lag_p50_ms"] not in ("", "NaN"))
say(f"event lag: median of the minutes' medians {p50[len(p50) // 2] if p50 else 'n/a'} ms, worst "
    f"{max(lags) if lags else 'n/a'} ms")

with open(os.path.join(out, "checks.txt"), "w") as f:
    f.write("\n".join(lines) + "\n")
counts = dict(kv.split("=", 1) for kv in extra.split())
with open(os.path.join(out, "summary.md"), "w") as f:
    f.write(f"| soak | {minutes:g} min (+ drain {counts.get('drain_min', '?')} min) |\n|---|---|\n")
    f.write(f"| jobs | {load.get('created', 0)} created ({', '.join(f'{k} {v}' for k, v in sorted(states.items()))}) |\n")
    f.write(f"| transfers checked | {checked - bad}/{checked} files right by SHA-256; {load.get('reply_ok', 0)} "
            f"upload replies right |\n")
    f.write(f"| actions | {load.get('suspends', 0)} suspends, {load.get('resumes', 0)} resumes, "
            f"{load.get('cancels', 0)} cancels, {load.get('priority_changes', 0)} priority changes, "
            f"{load.get('set_remotes', 0)} set-remote; {load.get('refused', 0)} refused (the job had moved on) |\n")
    f.write(f"| restarts | service {counts.get('service_restarts')} ({counts.get('service_kills')} by kill -9), "
            f"`jbits serve` {counts.get('serve_restarts')} ({counts.get('serve_kills')} by kill -9); "
            f"`jbits monitor` restarted {counts.get('monitor_restarts')} times |\n")
    f.write(f"| events | {len(lis_transferred)} TRANSFERRED and {len(lis_error)} ERROR seen, as the service holds "
            f"them: {'yes' if lis_transferred == svc_transferred and set(lis_error) == set(svc_error) else 'NO'} |\n")
    for label, span, text, n, limit, within in slopes:
        f.write(f"| {label} | {span}; slope {text} over the second half ({n} samples)"
                f"{'' if limit is None else f', limit {limit:g}'}; within each lifetime {within} |\n")
    f.write(f"| checks | {'all passed' if not failures else 'FAILED: ' + '; '.join(failures)} |\n")
sys.exit(1 if failures else 0)
