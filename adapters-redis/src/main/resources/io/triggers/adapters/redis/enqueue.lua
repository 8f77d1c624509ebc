-- Adds a delivery task unless the queue is full: to the stream if it is due now, else to the
-- sorted set of scheduled tasks. A full queue drops the new task, never one it holds, so a task
-- that was taken is never trimmed away while pending. Both keys carry the same hash tag, so on
-- Redis Cluster they share a slot as a script requires.
--
-- KEYS[1]  the stream the consumer group reads
-- KEYS[2]  the sorted set of scheduled tasks, scored by due time in epoch milliseconds
-- ARGV[1]  the stream entry's field name
-- ARGV[2]  the task
-- ARGV[3]  the most entries the stream holds, and the most tasks the sorted set holds
-- ARGV[4]  the task's score when it is due later, or "now"
--
-- Returns 1 if the task was added, 0 if the queue was full.

local max = tonumber(ARGV[3])
if ARGV[4] == 'now' then
  if redis.call('XLEN', KEYS[1]) >= max then
    return 0
  end
  redis.call('XADD', KEYS[1], '*', ARGV[1], ARGV[2])
  return 1
end
if redis.call('ZCARD', KEYS[2]) >= max then
  return 0
end
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[2])
return 1
