-- Events are forgotten oldest first by rowid, which grows with their arrival: an index on
-- received_at cost every event a third b-tree and every commit a page more to write and sync.
DROP INDEX events_by_received_at;
