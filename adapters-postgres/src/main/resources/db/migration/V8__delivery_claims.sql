-- A claim's lease gets a column of its own that no index reads, neither as a key nor in a partial
-- index's condition, so that a claim, which writes only this column, is a HOT update: no new
-- index entries, and the row's new version stays on its page. A delivery is due when its next
-- attempt's time has come and no claim's lease runs past now; a result clears the lease.
-- Adding a nullable column rewrites nothing.
ALTER TABLE deliveries ADD COLUMN claimed_until timestamptz;

-- A delivery claimed under the earlier schema has its lease in next_attempt_at, which stays the
-- time its next attempt is due: nobody claims it again before its lease ends, as before.

-- Room on each page for the new versions of its rows: a HOT update needs free space on the page
-- of the row it updates, and a page filled by inserts has none. A row is updated twice (its claim,
-- its result) and then rarely again, and a page's dead versions are pruned when it is next read,
-- so a fifth of a page is left free. Applies to pages written from now on; nothing is rewritten.
ALTER TABLE deliveries SET (fillfactor = 80);

