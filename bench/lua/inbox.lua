-- GET /api/inbox?limit=100 for one organization, newest first, at every depth of the inbox: the
-- requests go round a file of cursors (one line each, an empty line for the newest page) that
-- the shell script collected beforehand by walking the whole inbox. Reading the cursor from each
-- response instead made wrk parse every page in Lua, about 620 µs of CPU a page.
--
-- wrk ... -s inbox.lua URL -- API_KEY CURSORS_FILE [LIMIT]

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
report_sums = { "pages_sampled", "events_sampled" }
dofile(here .. "report.lua")

-- One 200 in this many is checked for how many events it holds.
local SAMPLE_EVERY = 16

local headers = {}
local paths = {}
local sent = 0
local ok = 0
pages_sampled, events_sampled = 0, 0

function init(args)
  assert(args[1] and args[2], "usage: inbox.lua API_KEY CURSORS_FILE [LIMIT]")
  headers["X-API-Key"] = args[1]
  local limit = args[3] or "100"
  for line in io.lines(args[2]) do
    local path = "/api/inbox?limit=" .. limit
    if line ~= "" then
      path = path .. "&cursor=" .. line
    end
    table.insert(paths, path)
  end
  assert(#paths > 0, "no cursors in " .. args[2])
  -- The threads start at different depths.
  sent = math.floor(#paths * (thread_number - 1) / 2)
end

function request()
  sent = sent + 1
  return wrk.format("GET", paths[sent % #paths + 1], headers)
end

function response(status, _, body)
  count(status)
  if status == 200 then
    ok = ok + 1
    if ok % SAMPLE_EVERY == 0 then
      -- Each event has exactly one delivery_status: counting them counts the page's events.
      local _, events = body:gsub('"delivery_status":', "")
      pages_sampled = pages_sampled + 1
      events_sampled = events_sampled + events
    end
  end
end
