-- Takes a slot at one host when its politeness allows, on Redis's own clock (so processes on
-- machines with skewed clocks agree).
-- KEYS[1] sorted set host:{<host>}:leases (token -> when its lease lapses, ms)
-- KEYS[2] hash       host:{<host>}:state (`next`, `notBefore`, ms)
-- ARGV[1] the request's token; ARGV[2] concurrency; ARGV[3] min delay between starts, ms;
-- ARGV[4] lease, ms
-- Returns {1} when the slot is taken, else {0, waitMs, reason}: 'held' (Retry-After),
-- 'spacing' (the minimum delay), or 'full' (every slot in use; waitMs is when the oldest lease lapses).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local concurrency, minDelay, leaseMs = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local nextAt = tonumber(redis.call('HGET', KEYS[2], 'next') or '0')
local notBefore = tonumber(redis.call('HGET', KEYS[2], 'notBefore') or '0')
if notBefore > now then return {0, notBefore - now, 'held'} end
if nextAt > now then return {0, nextAt - now, 'spacing'} end
if redis.call('ZCARD', KEYS[1]) >= concurrency then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, tonumber(oldest[2]) - now, 'full'}
end
redis.call('ZADD', KEYS[1], now + leaseMs, ARGV[1])
if redis.call('PTTL', KEYS[1]) < leaseMs then redis.call('PEXPIRE', KEYS[1], leaseMs) end
redis.call('HSET', KEYS[2], 'next', now + minDelay)
if redis.call('PTTL', KEYS[2]) < minDelay + 60000 then redis.call('PEXPIRE', KEYS[2], minDelay + 60000) end
return {1}
