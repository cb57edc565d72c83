-- Wakes every dispatcher (LISTEN edgeplane_jobs) when a job becomes queued: enqueued,
-- retried, released by a stopping worker or requeued, sent with the commit. Only rows
-- that are queued fire it, so claims and completions stay silent; Postgres folds the
-- repeats of one transaction into one notification.
CREATE FUNCTION edgeplane_notify_jobs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('edgeplane_jobs', '');
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER jobs_notify_queued AFTER INSERT OR UPDATE OF status ON jobs
  FOR EACH ROW WHEN (NEW.status = 'queued') EXECUTE FUNCTION edgeplane_notify_jobs();
