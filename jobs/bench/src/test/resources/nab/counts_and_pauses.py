#!/usr/bin/env python3
"""Series of metrics that sit at one value most of the time, or move in whole steps, one sample a minute with a
daily cycle (amplitude 5% to 30%), as JSON lines for `./perfwatch monitor`:
  queue_low  queue_depth, Poisson with mean 0.3 (three minutes in four at 0)
  queue_mid  queue_depth, Poisson with mean 4
  errors     error_rate, binomial 0.5% of about 200 requests a minute (a third of the minutes at 0)
  cache      cache_hit_rate, binomial 97% of about 500 requests
  gc         gc_time, 0 in 70% of the minutes, else log-normal around 20 ms (sigma 0.5)
  cpu_int    cpu_usage, normal around 35% (sd 4), rounded to whole percent
Series take the kinds in turn (component '<kind>-<n>').
  python3 counts_and_pauses.py OUT_DIR SEED SERIES [SPACING_S=60] [DAYS=3] [FACTOR]   -> OUT_DIR/s.jsonl
Without FACTOR nothing changes: every alert or finding on them is a false one. With FACTOR each series' rate of
its worse outcome is multiplied by it from a time 2 to 18 hours into its last day (queue means, the error share,
the cache's miss share, the share of minutes with a GC pause, the CPU level), written to OUT_DIR.truth.json; then
  python3 counts_and_pauses.py score RUN_OUTPUT OUT_DIR.truth.json
prints per kind the series whose change was found (a regression finding at or after it), those with a finding
before it, the median delay in minutes and the types; and
  python3 counts_and_pauses.py alerts RUN_OUTPUT
prints per kind the anomaly alerts that fired (transitions to firing in alert-events/), those in the data's first
hour (from the earliest hour of its window summaries; 0 when it wrote none), and the longest any of them stayed firing.
"""
import collections, datetime as dt, glob, json, math, os, sys


def generate(out, seed, n, spacing=60, days=3, factor=None):
    import numpy as np
    rng = np.random.default_rng(seed)
    t0 = dt.datetime(2026, 3, 2, tzinfo=dt.timezone.utc)
    N = days * 86400 // spacing
    os.makedirs(out, exist_ok=True)
    kinds = ['queue_low', 'queue_mid', 'errors', 'cache', 'gc', 'cpu_int']
    truth = {}
    with open(f'{out}/s.jsonl', 'w') as f:
        for s in range(n):
            k = kinds[s % len(kinds)]
            amp = rng.uniform(0.05, 0.3); ph = rng.uniform(0, 2*math.pi)
            comp = f'{k}-{s}'
            ch = N
            if factor is not None:
                ch = int(((days - 1) * 86400 + rng.uniform(2, 18) * 3600) // spacing)
                truth[comp] = (t0 + dt.timedelta(seconds=ch * spacing)).strftime('%Y-%m-%dT%H:%M:%SZ')
            for i in range(N):
                t = t0 + dt.timedelta(seconds=i*spacing)
                c = 1 + amp * math.sin(2*math.pi*i*spacing/86400 + ph)
                F = factor if i >= ch else 1.0
                if k == 'queue_low': m, v = 'queue_depth', float(rng.poisson(0.3*c*F))
                elif k == 'queue_mid': m, v = 'queue_depth', float(rng.poisson(4*c*F))
                elif k == 'errors':
                    req = max(1, rng.poisson(200*c)); m, v = 'error_rate', round(rng.binomial(req, 0.005*F)/req, 4)
                elif k == 'cache':
                    req = max(1, rng.poisson(500*c)); m, v = 'cache_hit_rate', round(rng.binomial(req, 1 - 0.03*F)/req, 4)
                elif k == 'gc': m, v = 'gc_time', float(0 if rng.random() < 1 - 0.3*F else round(rng.lognormal(math.log(20), 0.5)*c, 1))
                else: m, v = 'cpu_usage', float(min(100, max(0, round(rng.normal(35*c*F, 4)))))
                f.write(json.dumps({'timestamp': t.strftime('%Y-%m-%dT%H:%M:%SZ'), 'metric': m, 'value': v, 'component': comp}) + '\n')
    if factor is not None:
        json.dump(truth, open(out.rstrip('/') + '.truth.json', 'w'))


def score(run, truth_file):
    truth = json.load(open(truth_file))
    latest = {}
    for p in glob.glob(run + '/regressions/**/*', recursive=True):
        if os.path.isfile(p) and not os.path.basename(p).startswith('.'):
            for line in open(p):
                r = json.loads(line)
                if r['finding_id'] not in latest or r['version'] > latest[r['finding_id']]['version']:
                    latest[r['finding_id']] = r
    by = collections.defaultdict(list)
    for r in latest.values():
        by[r['component']].append(r)
    at = lambda s: dt.datetime.fromisoformat(s.replace('Z', '+00:00'))
    res = collections.defaultdict(lambda: [0, 0, 0, [], collections.Counter()])
    for comp, t in truth.items():
        e = res[comp.split('-')[0]]; e[0] += 1
        found = [r for r in by.get(comp, []) if at(r['detected_at']) >= at(t) and r['direction'] == 'regression']
        if any(at(r['detected_at']) < at(t) for r in by.get(comp, [])):
            e[2] += 1
        if found:
            first = min(found, key=lambda r: r['detected_at'])
            e[1] += 1; e[3].append((at(first['detected_at']) - at(t)).total_seconds() / 60); e[4][first['type']] += 1
    for k, (n, found, before, delays, types) in sorted(res.items()):
        delays.sort()
        print(f"{k:10s} series {n:3d}  found {found:3d}  a finding before the change {before:2d}  "
              f"median delay {delays[len(delays) // 2] if delays else '-'} min  types {dict(types)}")


def alerts(run):
    at = lambda s: dt.datetime.fromisoformat(s.replace('Z', '+00:00'))
    # The data's first hour: the earliest hour partition of the run's window summaries (summaries/dt=D/hour=H).
    hours = sorted(os.path.relpath(p, run + '/summaries') for p in glob.glob(run + '/summaries/dt=*/hour=*'))
    start = dt.datetime.strptime(hours[0], 'dt=%Y-%m-%d/hour=%H').replace(tzinfo=dt.timezone.utc) if hours else None
    events = []
    for p in glob.glob(run + '/alert-events/**/*', recursive=True):
        if os.path.isfile(p) and not os.path.basename(p).startswith('.'):
            events += [e for e in map(json.loads, open(p)) if e['rule'].startswith('anomaly')]
    fired = collections.Counter(); first_hour = collections.Counter(); longest = collections.defaultdict(float)
    since = {}
    for e in sorted(events, key=lambda e: (e['at'], e['to'] != 'firing')):
        kind = e['component'].split('-')[0]
        if e['to'] == 'firing':
            fired[kind] += 1
            first_hour[kind] += start is not None and at(e['at']) < start + dt.timedelta(hours=1)
            since[e['alert_id']] = at(e['at'])
        elif e['alert_id'] in since:
            hours = (at(e['at']) - since.pop(e['alert_id'])).total_seconds() / 3600
            longest[kind] = max(longest[kind], hours)
    for kind in sorted(fired):
        print(f"{kind:10s} anomaly alerts {fired[kind]:3d}  in the first hour {first_hour[kind]:2d}  "
              f"longest firing {longest[kind]:.1f} h" + (f"  ({len([1 for i in since])} still firing at the end)" if since else ''))


if __name__ == '__main__':
    a = sys.argv[1:]
    if a and a[0] == 'score':
        score(a[1], a[2])
    elif a and a[0] == 'alerts':
        alerts(a[1])
    elif len(a) >= 3:
        generate(a[0], int(a[1]), int(a[2]), int(a[3]) if len(a) > 3 else 60, int(a[4]) if len(a) > 4 else 3,
                 float(a[5]) if len(a) > 5 else None)
    else:
        sys.exit(__doc__)
