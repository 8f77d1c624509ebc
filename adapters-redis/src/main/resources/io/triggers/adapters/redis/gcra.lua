-- Rate limit decisions (GCRA) for one or more admissions, in order, with the same arithmetic and
-- the same answers as the in-process LocalRateLimiter; and, for each admission it allows, the
-- dedup claims of its events, so that a request takes one round trip for both, and the requests
-- that arrive together one round trip for all. A later admission sees what an earlier one in the
-- same run spent and claimed.
--
-- Each key holds an organization's theoretical arrival time (TAT), the moment the allowance is
-- whole again, as "<seconds>:<nanoseconds>" since the epoch. Lua numbers are doubles, exact for
-- integers up to 2^53, which epoch nanoseconds exceed; every difference computed here (minutes,
-- in nanoseconds) stays well inside that, so the answers are exact to the nanosecond.
--
-- ARGV[1]  the claims' time to live in milliseconds (unused when no admission has claims)
-- Then, for each admission, its keys in KEYS and its arguments in ARGV, one after the other:
--   KEY       the organization's rate limit key
--   KEYs      its claims' dedup keys (same hash tag), in order
--   ARGV      now, whole seconds since the epoch (from the caller's clock)
--   ARGV      now, nanoseconds within that second
--   ARGV      the emission interval in nanoseconds: a minute divided by the allowance
--   ARGV      the allowance per minute
--   ARGV      how many events the caller asks for
--   ARGV      how many claims follow
--   ARGVs     the candidate event id of each dedup key
--
-- Returns, for each admission in turn, {1, remaining, resetAfter, holder...} when allowed, with a
-- holder per claim, or {0, retryAfter, resetAfter} when denied, all in one flat list; the
-- durations in nanoseconds. Each holder is the event id holding the dedup key after the claim: the
-- candidate's own when the claim was free, or when the candidate already held it. A denied
-- admission writes nothing.

local WINDOW = 60000000000
local NANOS = 1000000000

local ttl = ARGV[1]
local answer = {}
local n = 0
local k = 1
local a = 2

while a <= #ARGV do
  local now_s = tonumber(ARGV[a])
  local now_n = tonumber(ARGV[a + 1])
  local interval = tonumber(ARGV[a + 2])
  local limit = tonumber(ARGV[a + 3])
  local permits = tonumber(ARGV[a + 4])
  local claims = tonumber(ARGV[a + 5])
  local key = KEYS[k]

  -- How far the TAT lies ahead of now; a TAT in the past, or no key at all, means a whole
  -- allowance.
  local ahead = 0
  local stored = redis.call('GET', key)
  if stored then
    local sep = string.find(stored, ':', 1, true)
    if sep then
      local tat_s = tonumber(string.sub(stored, 1, sep - 1))
      local tat_n = tonumber(string.sub(stored, sep + 1))
      if tat_s and tat_n then
        ahead = math.max(0, (tat_s - now_s) * NANOS + (tat_n - now_n))
      end
    end
  end

  local new_ahead = ahead + permits * interval
  if permits > limit then
    answer[n + 1] = 0
    answer[n + 2] = WINDOW
    answer[n + 3] = ahead
    n = n + 3
  elseif new_ahead > WINDOW then
    answer[n + 1] = 0
    answer[n + 2] = new_ahead - WINDOW
    answer[n + 3] = ahead
    n = n + 3
  else
    local remaining = math.min(limit, math.floor((WINDOW - new_ahead) / interval))
    local tat_n = now_n + new_ahead
    local tat = string.format('%d:%d', now_s + math.floor(tat_n / NANOS), tat_n % NANOS)
    -- The key lives until the allowance is whole again, so an idle organization costs nothing.
    redis.call('SET', key, tat, 'PX', math.ceil(new_ahead / 1000000))
    answer[n + 1] = 1
    answer[n + 2] = remaining
    answer[n + 3] = new_ahead
    n = n + 3
    for i = 1, claims do
      local candidate = ARGV[a + 5 + i]
      local dedup_key = KEYS[k + i]
      -- A script runs alone and its keys do not expire while it runs, so a key that refuses the
      -- SET still holds its value for the GET.
      if redis.call('SET', dedup_key, candidate, 'NX', 'PX', ttl) then
        answer[n + i] = candidate
      else
        answer[n + i] = redis.call('GET', dedup_key) or candidate
      end
    end
    n = n + claims
  end

  k = k + 1 + claims
  a = a + 6 + claims
end
return answer
