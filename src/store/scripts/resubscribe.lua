-- Lifts an unsubscription and keeps the consent that lifted it, in one step: no consent is recorded
-- for a channel that was not unsubscribed, and no channel is subscribed again without one.
-- KEYS[1] hash  channels:unsubscribed (`<subscriber>:<channel>` -> when)
-- KEYS[2] list  channels:consents:<subscriber>
-- ARGV[1] the field, `<subscriber>:<channel>`
-- ARGV[2] the consent record as JSON, without `unsubscribedAt` (added here)
-- Returns the time it was unsubscribed (now lifted), or nil when it was not: nothing written.
local at = redis.call('HGET', KEYS[1], ARGV[1])
if not at then return false end
redis.call('HDEL', KEYS[1], ARGV[1])
local record = cjson.decode(ARGV[2])
record['unsubscribedAt'] = at
redis.call('RPUSH', KEYS[2], cjson.encode(record))
return at
