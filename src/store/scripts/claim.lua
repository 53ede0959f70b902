-- Claims every identity key of an article at once, so two scrapers of two copies cannot both find
-- every key free. When another article holds one of them, the keys still free point to that one.
-- KEYS    claim:<hash> of each identity (canonical URL, fingerprint); any number
-- ARGV[1] the claiming article's id
-- Returns the owner: ARGV[1] when every key was free or held by it, else the other article's id.
local owner = ARGV[1]
for _, key in ipairs(KEYS) do
  local held = redis.call('GET', key)
  if held and held ~= ARGV[1] then owner = held break end
end
for _, key in ipairs(KEYS) do redis.call('SET', key, owner, 'NX') end
return owner
