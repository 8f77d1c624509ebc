-- The failed deliveries, for the backlog gauge: few rows (each gave up after hours of retries or a
-- 410), so the index stays small, and counting them never scans the table.
CREATE INDEX events_failed_idx ON events (org_id) WHERE delivery_status = 'failed';
