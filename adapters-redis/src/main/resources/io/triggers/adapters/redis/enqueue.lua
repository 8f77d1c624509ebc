-- Adds delivery tasks unless the queue is full: each to the stream if it is due now, else to the
-- sorted set of scheduled tasks. A full queue drops the new tasks, never one it holds, so a task
-- that was taken is never trimmed away while pending. The tasks of one ingest request (one per
-- endpoint the event fans out to) come in one run, so their cost is one round trip, not one each.
-- Both keys carry the same hash tag, so on Redis Cluster they share a slot as a script requires.
--
-- KEYS[1]  the stream the consumer group reads
-- KEYS[2]  the sorted set of scheduled tasks, scored by due time in epoch milliseconds
-- ARGV[1]  the stream entry's field name
-- ARGV[2]  the most entries the stream holds, and the most tasks the sorted set holds
-- ARGV[3], ARGV[4], ...  pairs: a task, then its score when it is due later, or "now"
--
-- Returns how many tasks were added (fewer than given if the queue was full), and 1 if a task due
-- now found the stream full, else 0, so that the caller can spare the next runs while it stays so.

local max = tonumber(ARGV[2])
local streamLength = nil
local scheduled = nil
local added = 0
local streamFull = 0
for i = 3, #ARGV - 1, 2 do
  if ARGV[i + 1] == 'now' then
    streamLength = streamLength or redis.call('XLEN', KEYS[1])
    if streamLength < max then
      redis.call('XADD', KEYS[1], '*', ARGV[1], ARGV[i])
      streamLength = streamLength + 1
      added = added + 1
    else
      streamFull = 1
    end
  else
    scheduled = scheduled or redis.call('ZCARD', KEYS[2])
    if scheduled < max then
      -- A task already scheduled is replaced (same member), which leaves the count as it was.
      scheduled = scheduled + redis.call('ZADD', KEYS[2], ARGV[i + 1], ARGV[i])
      added = added + 1
    end
  end
end
return {added, streamFull}
