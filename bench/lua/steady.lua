-- POST /api/events as ingest.lua sends them, at a steady RATE requests per second in all. Each of
-- the THREADS wrk threads keeps its own schedule of one request every THREADS / RATE seconds and
-- sends each on whichever of its connections is free; a thread whose connections were all busy
-- sends its late requests as soon as they free up, so the rate holds while the server keeps up.
--
-- wrk ... -s steady.lua URL -- KEYS_FILE RUN_LABEL RATE THREADS

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "ingest.lua")

-- wrk's Lua has no wall clock finer than a second; LuaJIT's FFI reaches gettimeofday.
local ffi = require("ffi")
ffi.cdef([[
  struct steady_timeval { long tv_sec; long tv_usec; };
  int gettimeofday(struct steady_timeval *tv, void *tz);
]])
local timeval = ffi.new("struct steady_timeval")

local function now_ms()
  ffi.C.gettimeofday(timeval, nil)
  return tonumber(timeval.tv_sec) * 1000 + tonumber(timeval.tv_usec) / 1000
end

local ingest_init = init
local interval_ms
local next_ms

function init(args)
  -- Single events only: ingest.lua's third argument is its batch size, not the rate.
  ingest_init({ args[1], args[2] })
  local rate, threads = tonumber(args[3]), tonumber(args[4])
  assert(rate and rate > 0 and threads, "usage: steady.lua KEYS_FILE RUN_LABEL RATE THREADS")
  interval_ms = 1000 * threads / rate
end

-- wrk asks, before each request, how many milliseconds to wait: until the next slot.
function delay()
  local now = now_ms()
  next_ms = next_ms or now
  local wait = next_ms - now
  next_ms = next_ms + interval_ms
  return wait > 0 and wait or 0
end
