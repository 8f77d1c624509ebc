-- Adds delivery tasks unless the queue is full or their endpoint is held back: each to the stream
-- if it is due now, else to the sorted set of scheduled tasks. A full queue drops the new tasks,
-- never one it holds, so a task that was taken is never trimmed away while pending. A task whose
-- endpoint a node backs off from, and that falls due before the back-off ends, is not added: no
-- node would attempt it, and the sweep queues its delivery once the back-off is over. The tasks of
-- one ingest request (one per endpoint the event fans out to) come in one run, so their cost is
-- one round trip, not one each. The keys carry the same hash tag, so on Redis Cluster they share a
-- slot as a script requires.
--
-- KEYS[1]  the stream the consumer group reads
-- KEYS[2]  the sorted set of scheduled tasks, scored by due time in epoch milliseconds
-- KEYS[3]  the sorted set of held-back endpoints, scored by the end of their hold in epoch ms
-- ARGV[1]  the stream entry's field name
-- ARGV[2]  the most entries the stream holds, and the most tasks the sorted set holds
-- ARGV[3]  now, in epoch milliseconds (from the caller's clock)
-- ARGV[4], ARGV[5], ARGV[6], ...  triples: a task, its score when it is due later or "now", and
--          its endpoint's id
--
-- Returns how many tasks were added; 1 if a task due now found the stream full, else 0, so that
-- the caller can spare the next runs while it stays so; how many were held back; then for each
-- task, the end of the hold that held it back, or 0, so that the caller can spare runs for it too.

local max = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local streamLength = nil
local scheduled = nil
local added = 0
local streamFull = 0
local heldBack = 0
local holds = {}
local answer = {0, 0, 0}

-- The end of the endpoint's hold, or 0 (promote.lua removes the holds that have ended).
local function heldUntil(endpoint)
  local untilMs = holds[endpoint]
  if untilMs == nil then
    untilMs = tonumber(redis.call('ZSCORE', KEYS[3], endpoint) or '0')
    holds[endpoint] = untilMs
  end
  return untilMs
end

for i = 4, #ARGV - 2, 3 do
  local task, score, endpoint = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local dueMs = now
  if score ~= 'now' then
    dueMs = tonumber(score)
  end
  local untilMs = heldUntil(endpoint)
  answer[#answer + 1] = 0
  if dueMs < untilMs then
    heldBack = heldBack + 1
    answer[#answer] = untilMs
  elseif score == 'now' then
    streamLength = streamLength or redis.call('XLEN', KEYS[1])
    if streamLength < max then
      redis.call('XADD', KEYS[1], '*', ARGV[1], task)
      streamLength = streamLength + 1
      added = added + 1
    else
      streamFull = 1
    end
  else
    scheduled = scheduled or redis.call('ZCARD', KEYS[2])
    if scheduled < max then
      -- A task already scheduled is replaced (same member), which leaves the count as it was.
      scheduled = scheduled + redis.call('ZADD', KEYS[2], score, task)
      added = added + 1
    end
  end
end
answer[1] = added
answer[2] = streamFull
answer[3] = heldBack
return answer
