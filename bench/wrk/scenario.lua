-- Replay the requests listed in $BENCH_REQUESTS (one per line: METHOD \t PATH \t HEADERS \t BODY,
-- headers separated by \031). Each thread walks its own stride of the list so that one-shot
-- requests (writes, cold viewers) are not sent twice while the list lasts.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  requests = {}
  for line in io.lines(os.getenv("BENCH_REQUESTS")) do
    local method, path, hdrs, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    local headers = {}
    for h in string.gmatch(hdrs, "[^\031]+") do
      local k, v = h:match("^([^:]+):%s*(.*)$")
      headers[k] = v
    end
    if body == "" then body = nil end
    table.insert(requests, wrk.format(method, path, headers, body))
  end
  stride = tonumber(os.getenv("BENCH_THREADS") or "1")
  position = id
  sent = 0
  statuses = {}
end

function request()
  local r = requests[(position % #requests) + 1]
  position = position + stride
  sent = sent + 1
  return r
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests_done)
  local merged = {}
  local listed = 0
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for k, v in pairs(s) do merged[k] = (merged[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(merged) do table.insert(parts, string.format('"%s": %d', k, v)) end
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p95_us": %d, "p99_us": %d, '
    .. '"max_us": %d, "mean_us": %.1f, "errors": {"connect": %d, "read": %d, "write": %d, "status": %d, '
    .. '"timeout": %d}, "statuses": {%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), latency.max, latency.mean, e.connect, e.read, e.write,
    e.status, e.timeout, table.concat(parts, ", ")))
end
