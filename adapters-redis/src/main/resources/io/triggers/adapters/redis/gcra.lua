-- One rate limit decision (GCRA) for one organization, with the same arithmetic and the same
-- answers as the in-process LocalRateLimiter; and, when it allows the events, the dedup claims of
-- those events, so that a request takes one round trip for both.
--
-- The key holds the theoretical arrival time (TAT), the moment the allowance is whole again, as
-- "<seconds>:<nanoseconds>" since the epoch. Lua numbers are doubles, exact for integers up to
-- 2^53, which epoch nanoseconds exceed; every difference computed here (minutes, in nanoseconds)
-- stays well inside that, so the answers are exact to the nanosecond.
--
-- KEYS[1]  the organization's key
-- ARGV[1]  now, whole seconds since the epoch (from the caller's clock)
-- ARGV[2]  now, nanoseconds within that second
-- ARGV[3]  the emission interval in nanoseconds: a minute divided by the allowance
-- ARGV[4]  the allowance per minute
-- ARGV[5]  how many events the caller asks for
-- KEYS[2..n], when there are claims: the dedup keys of the organization (same hash tag), in order
-- ARGV[6]  with claims: their time to live in milliseconds
-- ARGV[7..n+5]  with claims: the candidate event id of each dedup key
--
-- Returns {1, remaining, resetAfter, holder...} when allowed, {0, retryAfter, resetAfter} when
-- denied; the durations in nanoseconds. Each holder is the event id holding the dedup key after the
-- claim: the candidate's own when the claim was free, or when the candidate already held it. A
-- denied call writes nothing.

local WINDOW = 60000000000
local NANOS = 1000000000

local now_s = tonumber(ARGV[1])
local now_n = tonumber(ARGV[2])
local interval = tonumber(ARGV[3])
local limit = tonumber(ARGV[4])
local permits = tonumber(ARGV[5])

-- How far the TAT lies ahead of now; a TAT in the past, or no key at all, means a whole allowance.
local ahead = 0
local stored = redis.call('GET', KEYS[1])
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

if permits > limit then
  return {0, WINDOW, ahead}
end

local new_ahead = ahead + permits * interval
if new_ahead > WINDOW then
  return {0, new_ahead - WINDOW, ahead}
end

local remaining = math.min(limit, math.floor((WINDOW - new_ahead) / interval))
local tat_n = now_n + new_ahead
local tat = string.format('%d:%d', now_s + math.floor(tat_n / NANOS), tat_n % NANOS)
-- The key lives until the allowance is whole again, so an idle organization costs nothing.
redis.call('SET', KEYS[1], tat, 'PX', math.ceil(new_ahead / 1000000))

local answer = {1, remaining, new_ahead}
for i = 2, #KEYS do
  local candidate = ARGV[i + 5]
  -- A script runs alone and its keys do not expire while it runs, so a key that refuses the SET
  -- still holds its value for the GET.
  if redis.call('SET', KEYS[i], candidate, 'NX', 'PX', ARGV[6]) then
    answer[i + 2] = candidate
  else
    answer[i + 2] = redis.call('GET', KEYS[i]) or candidate
  end
end
return answer
