-- An event and its indexes in one step, so a crash never leaves an event matching cannot find.
-- When the event exists only a source it lacks is added: its indexes stay as it was stored
-- (another record under the same id, say a historical event read again with a finer date or
-- other parties, must not file it under new keys).
-- KEYS[1]  string      event:<id>
-- KEYS[2]  hash        event:<id>:sources
-- KEYS[3]  sorted set  idx:all-events
-- KEYS[4..] sorted set idx:events:<entity>, one per party
-- ARGV[1] the event JSON without sources; ARGV[2] its id; ARGV[3] its start day number;
-- ARGV[4..] pairs of article id and source JSON
-- Returns 1 when created, 0 when the id existed.
local created = redis.call('SET', KEYS[1], ARGV[1], 'NX')
for i = 4, #ARGV, 2 do redis.call('HSETNX', KEYS[2], ARGV[i], ARGV[i + 1]) end
if not created then return 0 end
for i = 3, #KEYS do redis.call('ZADD', KEYS[i], ARGV[3], ARGV[2]) end
return 1
