-- Drops a dedup claim only while the given candidate still holds it, so a release that comes late
-- never drops a newer claim made by another candidate.
--
-- KEYS[1]  the claim's key
-- ARGV[1]  the candidate's event id
--
-- Returns 1 if the claim was dropped, else 0.

if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
