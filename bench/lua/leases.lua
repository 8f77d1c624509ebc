-- Pull consumers on one organization's inbox: each connection takes a lease
-- (POST /api/inbox/lease) and then acks it whole (POST /api/inbox/leases/{id}/ack), and again.
-- A lease's id is read from the start of its answer; the ack goes out as the connection's next
-- request, so leases and acks alternate.
--
-- wrk ... -s leases.lua URL -- API_KEY [LIMIT] [LEASE_SECONDS]

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
report_sums = { "leases", "acks", "empty", "leases_sampled", "events_sampled" }
dofile(here .. "report.lua")

-- One lease in this many is checked for how many events it holds.
local SAMPLE_EVERY = 16

local headers = { ["Content-Type"] = "application/json" }
local lease_body
local to_ack = {}
leases, acks, empty, leases_sampled, events_sampled = 0, 0, 0, 0, 0

function init(args)
  assert(args[1], "usage: leases.lua API_KEY [LIMIT] [LEASE_SECONDS]")
  headers["X-API-Key"] = args[1]
  lease_body = '{"limit":' .. (args[2] or "100") .. ',"lease_seconds":' .. (args[3] or "300") .. "}"
end

function request()
  local id = table.remove(to_ack)
  if id then
    return wrk.format("POST", "/api/inbox/leases/" .. id .. "/ack", headers, "{}")
  end
  return wrk.format("POST", "/api/inbox/lease", headers, lease_body)
end

function response(status, _, body)
  count(status)
  if status ~= 200 then
    return
  end
  local id = body:match('^{"lease_id":"([^"]+)"')
  if id then
    leases = leases + 1
    table.insert(to_ack, id)
    if leases % SAMPLE_EVERY == 0 then
      local _, events = body:gsub('"lease_count":', "")
      leases_sampled = leases_sampled + 1
      events_sampled = events_sampled + events
    end
  elseif body:find('^{"lease_id":null') then
    empty = empty + 1
  else
    acks = acks + 1
  end
end
