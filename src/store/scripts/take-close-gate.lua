-- The close gate of an expectation, taken only if the expectation exists: a gate left for an
-- unknown id would shut out the expectation that later gets that id.
-- KEYS[1] string expectation:<id>
-- KEYS[2] string expectation:<id>:closed (the gate)
-- ARGV[1] the closer: the fulfilling event's id, or the reason (overdue, cancelled)
-- Returns 0: no such expectation (nothing written); 1: taken now; 2: held by this closer already
-- (a re-run after a crash); 3: held by another closer.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('SET', KEYS[2], ARGV[1], 'NX') then return 1 end
if redis.call('GET', KEYS[2]) == ARGV[1] then return 2 end
return 3
