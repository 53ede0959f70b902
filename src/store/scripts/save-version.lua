-- Compare-and-set on an article's stored version (one stored before versions existed is version 1).
-- KEYS[1] string article:<id> (ArticleInput JSON)
-- ARGV[1] the version expected stored now (0: none stored yet)
-- ARGV[2] the new article JSON
-- Returns 1 when stored, 0 when another version was stored meanwhile (nothing written).
local raw = redis.call('GET', KEYS[1])
local current = 0
if raw then current = tonumber(cjson.decode(raw)['version']) or 1 end
if current ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1
