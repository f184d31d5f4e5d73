-- wrk script for GETs: only reports the numbers as one JSON line (see bench/run.py).
local report = dofile((os.getenv("BENCH_DIR") or "bench") .. "/report.lua")
done = report
