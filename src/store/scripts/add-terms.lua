-- Counts one article read: each of its terms once more, and the articles; nothing when its mark
-- says it was counted already (its job run again after a crash).
-- KEYS[1] hash   terms:df (term -> articles holding it)
-- KEYS[2] string terms:docs (articles counted)
-- KEYS[3] string terms:counted:<article id> (the mark)
-- ARGV[1] how long the mark is kept, seconds; ARGV[2..] the article's terms
-- Returns 1 when counted, 0 when it was counted already.
if not redis.call('SET', KEYS[3], '1', 'NX', 'EX', ARGV[1]) then return 0 end
for i = 2, #ARGV do redis.call('HINCRBY', KEYS[1], ARGV[i], 1) end
redis.call('INCR', KEYS[2])
return 1
