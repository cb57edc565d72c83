ALTER TABLE "audit_logs" ADD COLUMN "xact_id" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
CREATE INDEX "audit_logs_feed_idx" ON "audit_logs" USING btree ("xact_id","id");