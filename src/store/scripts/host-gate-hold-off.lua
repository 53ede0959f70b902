-- Moves a host's "not before" later, never earlier: two workers told different waits (Retry-After)
-- keep the longer. On Redis's own clock.
-- KEYS[1] hash host:{<host>}:state
-- ARGV[1] how long to leave the host alone, ms
-- Returns the "not before" now kept (ms since the epoch).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilAt = now + tonumber(ARGV[1])
local current = tonumber(redis.call('HGET', KEYS[1], 'notBefore') or '0')
if untilAt > current then
  redis.call('HSET', KEYS[1], 'notBefore', untilAt)
  current = untilAt
end
local keep = current - now + 60000
if redis.call('PTTL', KEYS[1]) < keep then redis.call('PEXPIRE', KEYS[1], keep) end
return current
