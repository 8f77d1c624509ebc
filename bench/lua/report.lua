-- Shared by the wrk scripts: numbers each thread, counts responses by status, and prints one
-- machine-readable RESULT line that the shell scripts turn into a table row; reads key files.
--
-- A script that loads this file counts with `count(status)` in its response() and may list, in
-- `report_sums`, names of numeric globals to be summed over the threads and printed too.

local threads = {}
report_sums = report_sums or {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

statuses = {}

function count(status)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local by_status = {}
  local sums = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      by_status[status] = (by_status[status] or 0) + n
    end
    for _, name in ipairs(report_sums) do
      sums[name] = (sums[name] or 0) + (thread:get(name) or 0)
    end
  end
  local codes = {}
  for status in pairs(by_status) do
    table.insert(codes, status)
  end
  table.sort(codes)
  local parts = {}
  for _, status in ipairs(codes) do
    table.insert(parts, status .. ":" .. by_status[status])
  end
  local extra = {}
  for _, name in ipairs(report_sums) do
    table.insert(extra, name .. "=" .. sums[name])
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_s=%.3f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f"
      .. " connect=%d read=%d write=%d timeout=%d statuses=%s %s\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.connect, e.read, e.write, e.timeout,
    #parts > 0 and table.concat(parts, ",") or "none", table.concat(extra, " ")))
end

-- The API keys in a file, one per line.
function read_keys(path)
  local keys = {}
  for line in io.lines(path) do
    if line ~= "" then
      table.insert(keys, line)
    end
  end
  assert(#keys > 0, "no API keys in " .. path)
  return keys
end
