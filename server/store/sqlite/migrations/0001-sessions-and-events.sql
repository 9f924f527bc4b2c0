CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  user_ref TEXT NOT NULL,
  status TEXT NOT NULL,
  last_error_code TEXT,
  redacted INTEGER NOT NULL DEFAULT 0,
  status_event_created INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_ref, created_at);
CREATE TABLE events (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  session_id TEXT NOT NULL,
  created INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  handled INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX events_by_received_at ON events (received_at);
