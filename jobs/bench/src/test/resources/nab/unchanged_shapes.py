#!/usr/bin/env python3
"""Unchanged series of shapes the regression benchmark does not generate, one value a minute for three days from
2026-11-01, twenty components each, as JSON lines for `./perfwatch monitor` (jobs/REGRESSION.md, "Ordinary excursions").
Nothing changes in any of them, so every regression finding is a false one.
  python3 unchanged_shapes.py make KIND OUT_DIR SEED [STEP [SECONDS]]
      KIND: periodic  (a batch job every 37 to 90 minutes doubles the CPU for 3 to 8, on a daily cycle of +-15%)
            sawtooth  (memory rising between collections every 1.5 to 6.7 hours, then dropping)
            bimodal   (latency: the mean of 5 requests a minute, 70% to 95% fast cache hits, the rest 5 to 20 times slower)
            hetero    (latency whose noise follows the load: quiet nights, noisy days)
            growth    (CPU growing 4% a day, on a daily cycle of +-20%)
            quantized (a queue of small counts, Poisson of mean 1 to 6 on a daily cycle of +-30%)
            office    (business hours: CPU 3x the night's from about 08:00 to 18:00 of a time zone of its own, ramps of
                       30 to 60 minutes whose times move by 20 minutes (sd) from day to day, the day's level by 3%)
            office-fixed (the same series with the ramps at the same times and the same level every day)
            services  (nine metrics of a healthy service on a daily cycle of +-50% load: CPU, memory as a GC sawtooth of
                       20 to 120 minutes, response and query times, cache hit rate, queue depth, a nightly backup's
                       30-minute burst of disk writes, network, GC time; STEP applies to the response time)
            leak      (memory as a GC sawtooth of 20 to 120 minutes; with STEP, components 10 to 19 leak STEP points an
                       hour from 10:00 on the second day: the floor and the peaks of their teeth rise)
      With STEP (e.g. 0.2), components 10 to 19 are that much higher (the queue's rate) from 10:00 on the third day:
      the same series otherwise, each a change to find. SECONDS (a divisor of 60, default 60): one value that often
      (the patterns' periods and runs the same in minutes).
  python3 unchanged_shapes.py leaks RUN_OUTPUT
      for a run over `leak` series: the leaking components found by a leak rule (the memory-leak pattern, the
      memory forecast, memory_bound, resource_exhaustion) and the minutes from the leak's start to the first; and
      those rules' alerts or openings after the first day on components that do not leak (or before they do).
  python3 unchanged_shapes.py thin IN_DIR OUT_DIR MINUTES
      the values of IN_DIR at whole multiples of MINUTES only (5: one value every 5 minutes, the same values).
  python3 unchanged_shapes.py count RUN_OUTPUT
      the regression findings (newest version of each) and the components with one.
  python3 unchanged_shapes.py score RUN_OUTPUT
      for a run over series made with STEP: the changed components found after the step, their delays (minutes), and
      the components with a finding before it or without a step (false ones).
"""
import datetime
import glob
import json
import math
import os
import random
import sys

T0 = datetime.datetime(2026, 11, 1, tzinfo=datetime.timezone.utc)
DAY = 1440
KINDS = ['periodic', 'sawtooth', 'bimodal', 'hetero', 'growth', 'quantized', 'office', 'office-fixed', 'services', 'leak']


def ts(i):
    return (T0 + datetime.timedelta(seconds=round(i * 60))).strftime('%Y-%m-%dT%H:%M:%SZ')


STEP_AT = 2 * DAY + 600
LEAK_AT = DAY + 600


def make(kind, out, seed, step=0.0, seconds=60):
    random.seed(seed)
    per = 60 // seconds
    # The minutes of the samples (one a minute: whole minutes, so those series are the same as without SECONDS).
    minutes = range(3 * DAY) if per == 1 else [k / per for k in range(3 * DAY * per)]
    os.makedirs(out, exist_ok=True)
    f = open(os.path.join(out, 'metrics.jsonl'), 'w')
    for s in range(20):
        c = '%s%02d' % (kind, s)
        up = lambda i, s=s: 1 + step if s >= 10 and i >= STEP_AT else 1
        ph = random.random()
        if kind == 'periodic':   # a batch job every P minutes for D minutes, +100% CPU, on a daily cycle
            P = random.choice([37, 45, 50, 70, 90]); D = random.choice([3, 5, 8]); off = random.randrange(P)
            base = random.uniform(20, 50)
            for i in minutes:
                cyc = 1 + 0.15 * math.sin(2 * math.pi * (i / DAY + ph))
                v = base * cyc * (2.0 if (i + off) % P < D else 1.0) * (1 + 0.05 * random.gauss(0, 1)) * up(i)
                f.write(json.dumps({'timestamp': ts(i), 'metric': 'cpu_usage', 'value': round(v, 3), 'component': c}) + '\n')
        elif kind == 'sawtooth':  # memory grows, GC drops it, period of hours
            P = random.uniform(90, 400); lo = random.uniform(40, 55); hi = lo + random.uniform(10, 30)
            off = random.uniform(0, P)
            for i in minutes:
                x = ((i + off) % P) / P
                v = (lo + (hi - lo) * x + random.gauss(0, 0.5)) * up(i)
                f.write(json.dumps({'timestamp': ts(i), 'metric': 'memory_usage', 'value': round(v, 3), 'component': c}) + '\n')
        elif kind == 'bimodal':   # cache hits fast, misses slow, a stable mix that follows load
            hit = random.uniform(0.7, 0.95); fast = random.uniform(5, 20); slow = fast * random.uniform(5, 20)
            for i in minutes:
                load = 1 + 0.3 * math.sin(2 * math.pi * (i / DAY + ph))
                n = 5
                vals = [ (fast if random.random() < hit else slow) * math.exp(0.2 * random.gauss(0, 1)) * load for _ in range(n)]
                f.write(json.dumps({'timestamp': ts(i), 'metric': 'response_time', 'value': round(sum(vals) / n * up(i), 3), 'component': c}) + '\n')
        elif kind == 'hetero':    # the noise follows the load: quiet nights, noisy days
            base = random.uniform(100, 300)
            for i in minutes:
                load = 0.5 + 0.5 * (1 + math.sin(2 * math.pi * (i / DAY + ph))) / 2  # 0.5..1
                v = base * load * math.exp((0.1 + 0.4 * (load - 0.5)) * random.gauss(0, 1)) * up(i)
                f.write(json.dumps({'timestamp': ts(i), 'metric': 'response_time', 'value': round(v, 3), 'component': c}) + '\n')
        elif kind == 'growth':    # traffic grows 4% a day, queue and CPU follow
            base = random.uniform(20, 40)
            for i in minutes:
                g = 1.04 ** (i / DAY)
                cyc = 1 + 0.2 * math.sin(2 * math.pi * (i / DAY + ph))
                v = base * g * cyc * (1 + 0.05 * random.gauss(0, 1)) * up(i)
                f.write(json.dumps({'timestamp': ts(i), 'metric': 'cpu_usage', 'value': round(v, 3), 'component': c}) + '\n')
        elif kind == 'quantized':  # integer-valued, small counts (threads busy, connections in use)
            lam = random.uniform(1, 6)
            for i in minutes:
                cyc = 1 + 0.3 * math.sin(2 * math.pi * (i / DAY + ph))
                l = lam * cyc * up(i); k = 0; p = math.exp(-l); u = random.random(); cdf = p
                while u > cdf: k += 1; p *= l / k; cdf += p
                f.write(json.dumps({'timestamp': ts(i), 'metric': 'queue_depth', 'value': k, 'component': c}) + '\n')

        elif kind in ('office', 'office-fixed'):  # business hours, the ramps' times jittered by day (or not)
            base = random.uniform(10, 25); tz = random.uniform(0, 24 * 60)
            days = [(random.gauss(0, 20), random.gauss(0, 20), 1 + random.gauss(0, 0.03), random.uniform(30, 60)) for _ in range(4)]
            if kind == 'office-fixed':
                days = [(0.0, 0.0, 1.0, w) for _, _, _, w in days]
            for i in minutes:
                loc = (i + tz) % DAY; d = int((i + tz) // DAY); j1, j2, amp, w = days[d]
                on = 1 / (1 + math.exp(-(loc - 480 - j1) / (w / 4))) - 1 / (1 + math.exp(-(loc - 1080 - j2) / (w / 4)))
                v = base * (1 + 2 * amp * on) * (1 + 0.05 * random.gauss(0, 1)) * up(i)
                f.write(json.dumps({'timestamp': ts(i), 'metric': 'cpu_usage', 'value': round(v, 3), 'component': c}) + '\n')

        elif kind == 'services':  # a healthy service: every metric on the load's daily cycle, nothing injected
            cpu0 = random.uniform(15, 40); rt0 = random.uniform(50, 300); db0 = rt0 * random.uniform(0.1, 0.3)
            P = random.uniform(20, 120); lo = random.uniform(40, 55); hi = lo + random.uniform(5, 15)
            hit = random.uniform(0.85, 0.97); lam = random.uniform(2, 20); net0 = random.uniform(5e6, 3e7)
            backup = random.uniform(60, 240)
            for i in minutes:
                t = ts(i)
                w = lambda m, v: f.write(json.dumps({'timestamp': t, 'metric': m, 'value': round(v, 4), 'component': c}) + '\n')
                load = 1 + 0.5 * math.sin(2 * math.pi * (i / DAY + ph))
                gc = ((i + ph * P) % P) / P
                w('cpu_usage', max(0, min(100, cpu0 * load + random.gauss(0, 2))))
                w('memory_usage', lo + (hi - lo) * gc + random.gauss(0, 0.3))
                w('response_time', rt0 * (1 + 0.3 * (load - 1)) * math.exp(0.25 * random.gauss(0, 1)) * up(i))
                w('database_query_time', db0 * (1 + 0.2 * (load - 1)) * math.exp(0.3 * random.gauss(0, 1)))
                w('cache_hit_rate', min(1, hit - 0.02 * (load - 1) + random.gauss(0, 0.01)))
                l = lam * load; k = 0; p = math.exp(-l); u = random.random(); cdf = p
                while u > cdf and k < 500: k += 1; p *= l / k; cdf += p
                w('queue_depth', k)
                w('disk_io', (4e7 if backup <= i % DAY < backup + 30 else 3e6) * math.exp(0.2 * random.gauss(0, 1)))
                w('network_io', net0 * load * math.exp(0.1 * random.gauss(0, 1)))
                w('gc_time', rt0 * 0.05 * (1 + 0.5 * gc) * math.exp(0.2 * random.gauss(0, 1)))

        elif kind == 'leak':  # a GC sawtooth; components 10 to 19 leak STEP points an hour from 10:00 on day 2
            P = random.uniform(20, 120); lo = random.uniform(35, 50); hi = lo + random.uniform(5, 15)
            for i in minutes:
                x = ((i + ph * P) % P) / P
                leak = step * (i - LEAK_AT) / 60 if s >= 10 and i >= LEAK_AT else 0
                v = lo + (hi - lo) * x + leak + random.gauss(0, 0.3)
                f.write(json.dumps({'timestamp': ts(i), 'metric': 'memory_usage', 'value': round(v, 3), 'component': c}) + '\n')


def thin(src, out, minutes):
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, 'metrics.jsonl'), 'w') as f:
        for line in open(os.path.join(src, 'metrics.jsonl')):
            t = json.loads(line)['timestamp']
            if t.endswith(':00Z') and int(t[14:16]) % minutes == 0:
                f.write(line)


def findings(run):
    newest = {}
    for path in glob.glob(os.path.join(run, 'regressions', '**', '*.jsonl'), recursive=True):
        for line in open(path):
            r = json.loads(line)
            if r['finding_id'] not in newest or newest[r['finding_id']]['version'] < r['version']:
                newest[r['finding_id']] = r
    return newest


def count(run):
    newest = findings(run)
    for r in sorted(newest.values(), key=lambda r: (r['component'], r['detected_at'])):
        print(r['component'], r['metric'], r['direction'], r['severity'], r['detected_at'], r['comparison_start'],
              r['detection']['test'], r['type'])
    print('%d findings on %d components' % (len(newest), len(set(r['component'] for r in newest.values()))))


def score(run):
    newest = findings(run)
    at = (T0 + datetime.timedelta(minutes=STEP_AT)).strftime('%Y-%m-%dT%H:%M:%SZ')
    first, false = {}, set()
    for r in newest.values():
        changed = int(r['component'][-2:]) >= 10
        if changed and r['direction'] == 'regression' and r['detected_at'] > at:
            first[r['component']] = min(first.get(r['component'], r['detected_at']), r['detected_at'])
        else:
            false.add(r['component'])
    t = lambda s: datetime.datetime.strptime(s, '%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=datetime.timezone.utc)
    delays = sorted(int((t(d) - t(at)).total_seconds() // 60) for d in first.values())
    print('found %d of 10, delays (min) %s; components with a false finding: %d' % (len(first), delays, len(false)))


def leaks(run):
    def rows(kind):
        for path in glob.glob(os.path.join(run, kind, '**', '*.jsonl'), recursive=True):
            for line in open(path):
                yield json.loads(line)
    t = lambda s: datetime.datetime.strptime(s, '%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=datetime.timezone.utc)
    start = T0 + datetime.timedelta(minutes=LEAK_AT)
    day2 = T0 + datetime.timedelta(minutes=DAY)
    events = [(r['rule'], r['component'], r['event_time']) for r in rows('alerts') if r['status'] == 'firing'
              and r['rule'] in ('pattern:memory-leak', 'forecast:memory_usage:critical')]
    events += [(r['type'], r['component'], r['window_start']) for r in rows('bottlenecks') if r['status'] == 'open'
               and r['type'] in ('memory_bound', 'resource_exhaustion')]
    first, false = {}, 0
    for rule, c, at in events:
        if int(c[-2:]) >= 10 and t(at) >= start:
            first[c] = min(first.get(c, t(at)), t(at))
        elif t(at) >= day2:
            false += 1
    delays = sorted(int((d - start).total_seconds() // 60) for d in first.values())
    median = delays[len(delays) // 2] if delays else None
    print('found %d of 10, median delay %s min, delays %s; after the first day, on components not leaking (or before): %d'
          % (len(first), median, delays, false))


if __name__ == '__main__':
    a = sys.argv[1:]
    if a[:1] == ['make'] and len(a) in (4, 5, 6) and a[1] in KINDS and (len(a) < 6 or 60 % int(a[5]) == 0):
        make(a[1], a[2], int(a[3]), float(a[4]) if len(a) >= 5 else 0.0, int(a[5]) if len(a) == 6 else 60)
    elif a[:1] == ['thin'] and len(a) == 4:
        thin(a[1], a[2], int(a[3]))
    elif a[:1] == ['count'] and len(a) == 2:
        count(a[1])
    elif a[:1] == ['score'] and len(a) == 2:
        score(a[1])
    elif a[:1] == ['leaks'] and len(a) == 2:
        leaks(a[1])
    else:
        sys.exit(__doc__)
