-- wrk script for `make bench`: POST /score at Poisson arrival times, bodies drawn from a prepared mix.
--
-- Environment: BENCH_BODIES (one JSON request body per line), BENCH_RATE (requests/s in all),
-- BENCH_THREADS (wrk's -t). Run with as many connections as requests per second.
--
-- Each wrk thread keeps one Poisson schedule of send times, at its share of the rate. `delay()`
-- is asked by whichever connection is ready to send next and hands it the schedule's next
-- time, so the requests leave at the schedule's times whatever the answers take (as long as a
-- connection is free), as independent clients send them: slow answers do not slow the load.
-- gunicorn's sync workers close every connection after its answer; wrk reconnects at once and
-- then waits for its send time, so the TCP handshake is outside the measured latency (about
-- 0.1 ms on loopback) while any wait in the server's accept queue is inside it.
--
-- `done()` prints one JSON line: counts, errors and latency percentiles in milliseconds.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } portrayal_timespec;
int clock_gettime(int clock_id, portrayal_timespec *time);
]]
local CLOCK_MONOTONIC = 1
local clock = ffi.new("portrayal_timespec")

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end

local threads = {}

function setup(thread)
  thread:set("thread_number", #threads + 1)
  table.insert(threads, thread)
end

local bodies, mean_gap_ms, next_send_ms
bad_answers = 0 -- global, so that done() can read every thread's count

function init(args)
  bodies = {}
  for line in io.lines(os.getenv("BENCH_BODIES")) do
    bodies[#bodies + 1] = line
  end
  mean_gap_ms = 1000 * tonumber(os.getenv("BENCH_THREADS")) / tonumber(os.getenv("BENCH_RATE"))
  math.randomseed(os.time() * 1000 + thread_number)
  next_send_ms = now_ms()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  local key = os.getenv("BENCH_API_KEY")
  if key and key ~= "" then
    wrk.headers["Authorization"] = "Bearer " .. key
  end
end

function delay()
  next_send_ms = next_send_ms - math.log(1 - math.random()) * mean_gap_ms
  return math.max(0, math.floor(next_send_ms - now_ms() + 0.5))
end

function request()
  return wrk.format(nil, nil, nil, bodies[math.random(#bodies)])
end

function response(status, headers, body)
  if status ~= 200 or body:sub(1, 5) ~= '{"id"' then
    bad_answers = bad_answers + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("bad_answers")
  end
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "bad_answers": %d, "connect_errors": %d, "read_errors": %d, '
      .. '"write_errors": %d, "timeouts": %d, "p50": %.2f, "p95": %.2f, "p99": %.2f, "max": %.2f}\n',
    summary.requests, summary.duration / 1e6, bad, errors.connect, errors.read, errors.write, errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
end
