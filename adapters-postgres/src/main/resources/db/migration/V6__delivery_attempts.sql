-- The log of webhook attempts: one row per attempt that counted (sent, or refused by the target
-- rules at sending time), written in the same statement as the attempt's result. Keyed by
-- organization and event, like deliveries, so that an event's attempts are read together and the
-- table can be distributed by org_id. No foreign keys, like deliveries: the rows go when their
-- event goes, deleted by the same statement. seq orders attempts made at the same instant.
CREATE TABLE delivery_attempts (
    org_id       uuid        NOT NULL,
    event_id     uuid        NOT NULL,
    seq          bigint      GENERATED ALWAYS AS IDENTITY,
    endpoint_id  uuid        NOT NULL,
    attempted_at timestamptz NOT NULL,
    outcome      text        NOT NULL CHECK (outcome IN ('delivered', 'retrying', 'failed', 'held')),
    status_code  smallint,
    error        text,
    duration_ms  integer     NOT NULL CHECK (duration_ms >= 0),
    PRIMARY KEY (org_id, event_id, seq)
);
