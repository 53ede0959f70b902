-- An open expectation and its indexes in one step. An existing one is indexed again only while it
-- is open: a closed one must not come back into the open indexes.
-- KEYS[1]  string      expectation:<id>
-- KEYS[2]  sorted set  idx:open-expectations
-- KEYS[3]  sorted set  idx:all-expectations
-- KEYS[4..] sorted set idx:open-expectations:<entity>, one per party
-- ARGV[1] the expectation JSON; ARGV[2] its id; ARGV[3] the due window's last day number
-- Returns 1 when created, 0 when the id existed.
local created = redis.call('SET', KEYS[1], ARGV[1], 'NX')
if not created then
  local current = cjson.decode(redis.call('GET', KEYS[1]))
  if current['state'] ~= 'open' then return 0 end
end
for i = 2, #KEYS do redis.call('ZADD', KEYS[i], ARGV[3], ARGV[2]) end
if created then return 1 end
return 0
