-- POST /api/events round-robin over the organizations in a keys file (one API key per line).
-- Every other event carries a dedup_id unique to this run, thread and event; the payload is an
-- order of about 250 bytes whose ids change with every event. With a BATCH above 1, each request
-- is a POST /api/events/batch of that many such events.
--
-- wrk ... -s ingest.lua URL -- KEYS_FILE RUN_LABEL [BATCH]

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
report_sums = { "body_bytes", "payload_bytes", "sent" }
dofile(here .. "report.lua")
dofile(here .. "order.lua")

local keys
local label
local batch
local headers = { ["Content-Type"] = "application/json" }
body_bytes, payload_bytes, sent = 0, 0, 0

function init(args)
  keys = read_keys(args[1])
  label = (args[2] or tostring(os.time())) .. "-t" .. thread_number
  batch = tonumber(args[3] or "1")
end

-- The n-th event of this thread, as JSON.
local function event(n)
  local payload = order_payload(n)
  payload_bytes = payload_bytes + #payload
  if n % 2 == 0 then
    return '{"type":"order.created","payload":' .. payload .. ',"dedup_id":"' .. label .. '-' .. n .. '"}'
  end
  return '{"type":"order.created","payload":' .. payload .. '}'
end

function request()
  sent = sent + 1
  headers["X-API-Key"] = keys[(sent + thread_number) % #keys + 1]
  local body
  if batch == 1 then
    body = event(sent)
  else
    local events = {}
    for i = 1, batch do
      events[i] = event((sent - 1) * batch + i)
    end
    body = '{"events":[' .. table.concat(events, ",") .. ']}'
  end
  body_bytes = body_bytes + #body
  return wrk.format("POST", batch == 1 and "/api/events" or "/api/events/batch", headers, body)
end

function response(status)
  count(status)
end
