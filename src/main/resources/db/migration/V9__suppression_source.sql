-- The event that caused a suppression (a bounce, a complaint, an unsubscribe); null for manual ones.
ALTER TABLE suppressions ADD COLUMN source_event_id VARCHAR(40);
