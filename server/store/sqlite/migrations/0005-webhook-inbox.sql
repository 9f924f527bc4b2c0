-- A journal of webhook events kept in files beside the database, and the events recorded from it that
-- waited for Stripe's status. Removed by migration 6: see docs/decisions/0001-sqlite-durability.md.
CREATE TABLE inbox (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  generation INTEGER NOT NULL,
  offset INTEGER NOT NULL,
  synced_at INTEGER
);
CREATE TABLE pending_events (
  event_id TEXT PRIMARY KEY,
  record TEXT NOT NULL
);
