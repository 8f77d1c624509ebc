-- GET /api/inbox?limit=100 for one organization, newest first. Each wrk thread walks the inbox
-- by following next_cursor (its connections share the walk) and starts again from the newest
-- page at the end, so pages come from every depth of the table.
--
-- wrk ... -s inbox.lua URL -- API_KEY [LIMIT]

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
report_sums = { "events_read", "restarts" }
dofile(here .. "report.lua")

local headers = {}
local limit
local cursor
events_read, restarts = 0, 0

function init(args)
  headers["X-API-Key"] = assert(args[1], "usage: inbox.lua API_KEY [LIMIT]")
  limit = args[2] or "100"
end

function request()
  local path = "/api/inbox?limit=" .. limit
  if cursor then
    path = path .. "&cursor=" .. cursor
  end
  return wrk.format("GET", path, headers)
end

function response(status, _, body)
  count(status)
  if status == 200 then
    -- Each event has exactly one delivery_status: counting them counts the events on the page.
    local _, events = body:gsub('"delivery_status":', "")
    events_read = events_read + events
    cursor = body:match('"next_cursor":"([^"]+)"')
    if not cursor then
      restarts = restarts + 1
    end
  end
end
