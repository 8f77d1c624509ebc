-- POST /api/events round-robin over the organizations in a keys file (one API key per line).
-- Every other request carries a dedup_id unique to this run, thread and request; the payload is
-- an order of about 250 bytes whose ids change with every request.
--
-- wrk ... -s ingest.lua URL -- KEYS_FILE RUN_LABEL

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
report_sums = { "body_bytes", "payload_bytes", "sent" }
dofile(here .. "report.lua")
dofile(here .. "order.lua")

local keys
local label
local headers = { ["Content-Type"] = "application/json" }
body_bytes, payload_bytes, sent = 0, 0, 0

function init(args)
  keys = read_keys(args[1])
  label = (args[2] or tostring(os.time())) .. "-t" .. thread_number
end

function request()
  sent = sent + 1
  local n = sent
  headers["X-API-Key"] = keys[(n + thread_number) % #keys + 1]
  local payload = order_payload(n)
  local body
  if n % 2 == 0 then
    body = '{"type":"order.created","payload":' .. payload .. ',"dedup_id":"' .. label .. '-' .. n .. '"}'
  else
    body = '{"type":"order.created","payload":' .. payload .. '}'
  end
  payload_bytes = payload_bytes + #payload
  body_bytes = body_bytes + #body
  return wrk.format("POST", "/api/events", headers, body)
end

function response(status)
  count(status)
end
