-- Wakes change-feed readers (LISTEN edgeplane_changes) when audit rows commit: NOTIFY is
-- transactional, so the notification goes out with the commit and never for a rollback.
-- Once per statement, and Postgres folds repeats within a transaction.
CREATE FUNCTION edgeplane_notify_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('edgeplane_changes', '');
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER audit_logs_notify_changes AFTER INSERT ON audit_logs
  FOR EACH STATEMENT EXECUTE FUNCTION edgeplane_notify_changes();
