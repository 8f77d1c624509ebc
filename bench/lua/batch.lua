-- POST /api/events/batch: EVENTS events in all, in batches of up to BATCH, round-robin over the
-- organizations in a keys file, each event an order without dedup_id. Each of the THREADS wrk
-- threads sends its share and then falls silent (a connection that asks for more once the share is
-- sent gets GET /health instead). wrk cannot stop after a number of requests, so a thread whose
-- batches are all answered appends a line to DONE_FILE, and the script interrupts wrk once every
-- thread has written its line; wrk still prints its summary then.
--
-- wrk ... -s batch.lua URL -- KEYS_FILE EVENTS BATCH THREADS DONE_FILE

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
report_sums = { "events_sent", "events_accepted" }
dofile(here .. "report.lua")
dofile(here .. "order.lua")

local keys
local batch_size, my_events, my_batches, done_file
local batches_sent, batches_answered = 0, 0
local started = false
local headers = { ["Content-Type"] = "application/json" }
events_sent, events_accepted = 0, 0

function init(args)
  keys = read_keys(args[1])
  local events, threads = tonumber(args[2]), tonumber(args[4])
  batch_size = tonumber(args[3])
  done_file = args[5]
  my_events = math.floor(events / threads) + (thread_number <= events % threads and 1 or 0)
  my_batches = math.ceil(my_events / batch_size)
end

function delay()
  started = true
  -- An hour: the connection stays idle until the script stops wrk.
  return batches_sent < my_batches and 0 or 3600000
end

function request()
  -- wrk calls request() once in the first thread before any connection asks for one, to check what
  -- it returns, and never sends that; every real request follows a call to delay().
  if not started or batches_sent >= my_batches then
    return wrk.format("GET", "/health")
  end
  batches_sent = batches_sent + 1
  headers["X-API-Key"] = keys[(batches_sent + thread_number) % #keys + 1]
  local items = {}
  for _ = 1, math.min(batch_size, my_events - events_sent) do
    events_sent = events_sent + 1
    table.insert(items, '{"type":"order.created","payload":' .. order_payload(events_sent) .. '}')
  end
  local body = '{"events":[' .. table.concat(items, ",") .. "]}"
  return wrk.format("POST", "/api/events/batch", headers, body)
end

function response(status, _, body)
  if status == 200 then
    return -- GET /health, sent after the share
  end
  count(status)
  batches_answered = batches_answered + 1
  if status == 202 then
    local _, accepted = body:gsub('"status":"accepted"', "")
    events_accepted = events_accepted + accepted
  end
  if batches_answered == my_batches then
    local file = assert(io.open(done_file, "a"))
    file:write(thread_number, "\n")
    file:close()
  end
end
