#!/usr/bin/env python3
"""Writes detections.json (seeded detections on the committed NAB series) and expected.json (their
scores by nab_score.py, the reference implementation of NAB's scoring rules beside this script, which
reproduces the published scoreboard of every detector NAB ships). NabScoreTest checks the Java scorer
against them. Run from the repository root:

    python3 jobs/bench/src/test/resources/nab/make_fixture.py
"""
import json, os, random, sys
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
import nab_score as ns

root = os.path.join(here, "..", "..", "..", "..", "nab")
labels = json.load(open(os.path.join(root, "combined_windows.json")))
rnd = random.Random(7)
detections = {}
for key in sorted(labels):
    stamps = ns.load_rows(os.path.join(root, key))
    times = [stamps[rnd.randrange(len(stamps))] for _ in range(12)]       # anywhere, probation included
    for a, b in labels[key]:
        i, j = stamps.index(ns.ms(a)), stamps.index(ns.ms(b))
        times.append(stamps[rnd.randrange(i, j + 1)])                     # somewhere inside each window
        if rnd.random() < 0.5:
            times.append(stamps[i] - 60_000)                              # just before a window: its first row
    times.append(stamps[-1] + 3_600_000)                                  # after the last row: no row
    detections[key] = sorted(times)
json.dump(detections, open(os.path.join(here, "detections.json"), "w"), indent=0)
expected = ns.corpus_score(root, detections, "realAWSCloudwatch/")
json.dump(expected, open(os.path.join(here, "expected.json"), "w"), indent=1)
print(json.dumps(expected, indent=1))
