-- breaking: a server of the version with the webhook inbox needs these tables.
-- Webhook events are committed in SQLite before they are answered, with nothing in front of it
-- (docs/decisions/0001-sqlite-durability.md). Opening checks first that nothing waits in them.
DROP TABLE inbox;
DROP TABLE pending_events;
