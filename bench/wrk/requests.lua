-- wrk script for bench/run.py: requests come from a file (one per line: method, path, cookie, extra header, tab-
-- separated), taken in turn by each connection's thread (each thread starts at its own place in the list), and the
-- run's figures are printed as one JSON line (BENCH_JSON …) for run.py to read.

local requests = {}
local counter = 0
local threads = {}

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

local function split(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    table.insert(fields, field)
  end
  return fields
end

function init(args)
  for line in io.lines(args[1]) do
    local f = split(line)
    local method, path, cookie, header = f[1], f[2], f[3] or "", f[4] or ""
    local headers = {}
    if cookie ~= "" then headers["Cookie"] = cookie end
    if header ~= "" then
      local name, value = header:match("^([^:]+):%s*(.*)$")
      headers[name] = value
    end
    local body = nil
    if method == "POST" then
      headers["Content-Type"] = "application/x-www-form-urlencoded"
      body = ""
    end
    table.insert(requests, wrk.format(method, path, headers, body))
  end
  counter = (thread_index or 0) * 7919
end

function request()
  counter = counter + 1
  return requests[(counter % #requests) + 1]
end

function done(summary, latency, requests_)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"mean":%.1f,"stdev":%.1f,"max":%d,"p50":%d,"p75":%d,"p90":%d,"p99":%d,"p999":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.stdev, latency.max,
    latency:percentile(50), latency:percentile(75), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9)))
end
