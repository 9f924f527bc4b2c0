CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  user_ref TEXT NOT NULL,
  status TEXT NOT NULL,
  last_error_code TEXT,
  redacted BOOLEAN NOT NULL DEFAULT false,
  status_event_created BIGINT,
  created_at BIGINT NOT NULL,
  submitted_at BIGINT,
  updated_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_ref, created_at);
CREATE INDEX sessions_by_submitted_at ON sessions (submitted_at) WHERE submitted_at IS NOT NULL;
CREATE TABLE events (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  session_id TEXT NOT NULL,
  created BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  handled BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX events_by_received_at ON events (received_at);
CREATE TABLE rate_counts (
  key TEXT NOT NULL,
  window_end BIGINT NOT NULL,
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
