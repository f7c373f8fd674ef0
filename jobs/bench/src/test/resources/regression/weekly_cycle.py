#!/usr/bin/env python3
"""Three series with a weekly cycle, 5-minute spacing, four weeks from a Monday, no change: weekdays at a daily cycle
of +-40% around 100, weekends at 50%, 70% or 80% of it, with 5%, 4% and 6% noise. Any regression finding after the
first week is a false one (REGRESSION.md, "Weekly cycles").

    python3 weekly_cycle.py OUT_DIR SEED [START]     (START: the first day, default 2014-03-03, a Monday)
    ./perfwatch monitor OUT_DIR -o OUT --metric nab_value --component '{file}'
"""
import numpy as np, datetime as dt, sys, os
rng=np.random.default_rng(int(sys.argv[2]))
out=sys.argv[1]; os.makedirs(out,exist_ok=True)
t0=dt.datetime.strptime(sys.argv[3],'%Y-%m-%d') if len(sys.argv)>3 else dt.datetime(2014,3,3)  # a Monday
N=288*28
for name,weekend,noise in [('req_weekend_half',0.5,0.05),('cpu_weekend_70',0.7,0.04),('lat_weekend_80',0.8,0.06)]:
    with open(f'{out}/{name}.csv','w') as f:
        f.write('timestamp,value\n')
        for i in range(N):
            t=t0+dt.timedelta(minutes=5*i)
            h=t.hour+t.minute/60
            day=1+0.4*np.sin((h-9)/24*2*np.pi)
            wk=weekend if t.weekday()>=5 else 1.0
            v=100*day*wk*(1+rng.normal(0,noise))
            f.write('%s,%.3f\n'%(t.strftime('%Y-%m-%d %H:%M:%S'),v))
