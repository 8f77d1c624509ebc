-- Only events scheduled for webhook delivery carry a next attempt time: an inbox-only event keeps
-- next_attempt_at NULL and so never enters the due index, however long it stays pending.
-- The index is ordered like the sweep pages through it: by due time, then org_id and id.
DROP INDEX events_due_idx;

CREATE INDEX events_due_idx ON events (next_attempt_at, org_id, id)
    WHERE delivery_status IN ('pending', 'retrying') AND next_attempt_at IS NOT NULL;
