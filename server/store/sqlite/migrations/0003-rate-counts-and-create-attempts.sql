-- Limits and create attempts live in the store, so that every process sharing it sees the same.
CREATE TABLE rate_counts (
  key TEXT NOT NULL,
  window_end INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (key, window_end)
);
CREATE INDEX rate_counts_by_window_end ON rate_counts (window_end);
CREATE TABLE create_attempts (
  user_ref TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  seen_session_id TEXT NOT NULL,
  PRIMARY KEY (user_ref, attempt),
  UNIQUE (user_ref, seen_session_id)
);
