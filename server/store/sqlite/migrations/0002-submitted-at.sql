-- The daily guard counts the sessions submitted each UTC day: what Stripe bills.
ALTER TABLE sessions ADD COLUMN submitted_at INTEGER;
CREATE INDEX sessions_by_submitted_at ON sessions (submitted_at) WHERE submitted_at IS NOT NULL;
