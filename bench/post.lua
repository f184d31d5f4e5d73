-- wrk script for consultation POSTs (see bench/run.py).
-- BENCH_COOKIE: the CSRF cookie; BENCH_BODY: the urlencoded form without `token`.
-- Every request carries a fresh UUID `token`, so each one stores a new request.
-- BENCH_CLIENTS=1: each request also comes from a new client address, as a load
-- balancer in front of nginx would say in X-Forwarded-For (TRUSTED_PROXY_COUNT=2),
-- so a real rate limit stays in force without limiting the benchmark.
local report = dofile((os.getenv("BENCH_DIR") or "bench") .. "/report.lua")

-- Globals on purpose: setup() sets `thread_id` in each thread's own Lua state.
threads = 0
thread_id = 0
counter = 0
body = ""

function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

function init(args)
  math.randomseed(os.time() * 1000 + thread_id)
  -- The confirmation page's 送信する: only it stores (careers/consultation_flow.py).
  body = os.getenv("BENCH_BODY") .. "&step=send&token="
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
end

function request()
  counter = counter + 1
  local token = string.format(
    "%08x-%04x-4%03x-a%03x-%012x",
    math.random(0, 0x7fffffff), thread_id, math.random(0, 0xfff), math.random(0, 0xfff), counter
  )
  local headers = nil
  if os.getenv("BENCH_CLIENTS") == "1" then
    -- wrk.format uses the table given instead of wrk.headers: copy them in.
    headers = {}
    for name, value in pairs(wrk.headers) do headers[name] = value end
    headers["X-Forwarded-For"] = string.format(
      "10.%d.%d.%d", thread_id % 256, math.floor(counter / 256) % 256, counter % 256
    )
  end
  return wrk.format(nil, nil, headers, body .. token)
end

done = report
