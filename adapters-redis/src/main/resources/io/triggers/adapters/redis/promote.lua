-- Moves scheduled delivery tasks that are due from the sorted set into the stream, earliest first,
-- as far as the stream has room, and tells when the next one falls due, so that a waiting taker
-- knows when to look again. Removes the endpoints' holds that have ended, so that the holds of
-- endpoints that get no more tasks do not stay. The keys carry the same hash tag, so on Redis
-- Cluster they share a slot as a script requires.
--
-- KEYS[1]  the sorted set of scheduled tasks, scored by due time in epoch milliseconds
-- KEYS[2]  the stream the consumer group reads
-- KEYS[3]  the sorted set of held-back endpoints, scored by the end of their hold in epoch ms
-- ARGV[1]  now, in epoch milliseconds (from the caller's clock)
-- ARGV[2]  how many tasks to move at most
-- ARGV[3]  the most entries the stream holds
-- ARGV[4]  the stream entry's field name
--
-- Returns the due time of the earliest task still scheduled (in the past if the stream is full),
-- or -1 if none is.

redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ARGV[1])

local room = tonumber(ARGV[3]) - redis.call('XLEN', KEYS[2])
local count = math.min(tonumber(ARGV[2]), room)
if count > 0 then
  local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, count)
  for _, task in ipairs(due) do
    redis.call('XADD', KEYS[2], '*', ARGV[4], task)
  end
  if #due > 0 then
    redis.call('ZREM', KEYS[1], unpack(due))
  end
end

local next = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if next[2] then
  return tonumber(next[2])
end
return -1
