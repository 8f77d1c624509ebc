-- Every tenant-owned table leads with org_id, so the schema can later be distributed by it.

CREATE TABLE organizations (
    id           uuid        PRIMARY KEY,
    name         text        NOT NULL,
    tier         text        NOT NULL CHECK (tier IN ('free', 'pro', 'business', 'enterprise')),
    created_at   timestamptz NOT NULL,
    -- SHA-256 hex of the current API key; the key itself is never stored.
    api_key_hash text        NOT NULL UNIQUE
);

CREATE TABLE webhooks (
    org_id         uuid        PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
    url            text        NOT NULL,
    signing_secret text        NOT NULL,
    updated_at     timestamptz NOT NULL
);

-- No foreign key to organizations: a distributed events table cannot reference a local one,
-- and ingest must not pay for the check.
CREATE TABLE events (
    org_id          uuid        NOT NULL,
    id              uuid        NOT NULL,
    type            text        NOT NULL,
    -- json, not jsonb: the payload is returned exactly as it was accepted (key order, spacing).
    payload         json        NOT NULL,
    dedup_id        text,
    created_at      timestamptz NOT NULL,
    delivery_status text        NOT NULL DEFAULT 'pending'
                    CHECK (delivery_status IN ('pending', 'retrying', 'delivered', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_attempt_at timestamptz,
    next_attempt_at timestamptz,
    last_error      text,
    delivered_at    timestamptz,
    PRIMARY KEY (org_id, id)
);

-- The authority on dedup: one event per organization and dedup id while it is kept.
CREATE UNIQUE INDEX events_org_dedup_key ON events (org_id, dedup_id) WHERE dedup_id IS NOT NULL;

-- Inbox keyset paging on (created_at, id) within one organization, read in both directions.
CREATE INDEX events_inbox_idx ON events (org_id, created_at, id);

-- Deliveries that are due, for the sweep that refills the delivery queue.
CREATE INDEX events_due_idx ON events (next_attempt_at)
    WHERE delivery_status IN ('pending', 'retrying');

-- Retention finds the oldest rows; events arrive in time order, so a BRIN index stays tiny and
-- costs ingest next to nothing.
CREATE INDEX events_created_brin ON events USING brin (created_at);
