-- Closes a subscriber's digest period: renames the buffer to the period's batch only when the
-- batch does not exist yet, so the period closes once however many schedulers close it.
-- KEYS[1] sorted set digest:<subscriber>:buffer
-- KEYS[2] sorted set digest:<subscriber>:batch:<period>
-- ARGV[1] the batch's TTL, seconds
-- Returns the batch's alert ids, oldest first (empty when nothing was buffered).
if redis.call('EXISTS', KEYS[2]) == 0 and redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('RENAME', KEYS[1], KEYS[2])
  redis.call('EXPIRE', KEYS[2], ARGV[1])
end
return redis.call('ZRANGE', KEYS[2], 0, -1)
