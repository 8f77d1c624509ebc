-- An organization has up to 50 endpoints; the webhook of POST /api/webhook/config is its default
-- endpoint (is_default, no filters), at most one per organization.
CREATE TABLE endpoints (
    org_id                     uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id                         uuid        NOT NULL,
    url                        text        NOT NULL,
    signing_secret             text        NOT NULL,
    -- The secret replaced by the last rotation, which signs too until it expires.
    previous_secret            text,
    previous_secret_expires_at timestamptz,
    -- Exact types or prefixes ending in .*; empty = every type.
    event_types                text[]      NOT NULL DEFAULT '{}',
    description                text,
    status                     text        NOT NULL DEFAULT 'enabled'
                               CHECK (status IN ('enabled', 'paused', 'disabled')),
    is_default                 boolean     NOT NULL DEFAULT false,
    created_at                 timestamptz NOT NULL,
    updated_at                 timestamptz NOT NULL,
    PRIMARY KEY (org_id, id),
    CHECK ((previous_secret IS NULL) = (previous_secret_expires_at IS NULL))
);

CREATE UNIQUE INDEX endpoints_default_key ON endpoints (org_id) WHERE is_default;

-- Each organization's webhook becomes its default endpoint, and the one place a webhook is kept.
INSERT INTO endpoints (org_id, id, url, signing_secret, is_default, created_at, updated_at)
SELECT org_id, gen_random_uuid(), url, signing_secret, true, updated_at, updated_at
FROM webhooks;

DROP TABLE webhooks;

-- The delivery state of one event to one endpoint, with the columns and rules of the events
-- table's own delivery state, plus 'held': kept, not sent, while the endpoint is paused or
-- disabled. No foreign keys, like events: a distributed table cannot reference a local one, and
-- ingest must not pay for the checks; the rows go when their event goes.
CREATE TABLE deliveries (
    org_id          uuid        NOT NULL,
    event_id        uuid        NOT NULL,
    endpoint_id     uuid        NOT NULL,
    status          text        NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'retrying', 'delivered', 'failed', 'held')),
    attempts        integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_attempt_at timestamptz,
    next_attempt_at timestamptz,
    last_error      text,
    delivered_at    timestamptz,
    PRIMARY KEY (org_id, event_id, endpoint_id)
);

-- As events_due_idx: only scheduled deliveries, in the order the sweep pages through them.
CREATE INDEX deliveries_due_idx ON deliveries (next_attempt_at, org_id, event_id, endpoint_id)
    WHERE status IN ('pending', 'retrying') AND next_attempt_at IS NOT NULL;

-- Failed deliveries per endpoint, for the backlog gauge and for recovering an endpoint.
CREATE INDEX deliveries_failed_idx ON deliveries (org_id, endpoint_id) WHERE status = 'failed';

-- Held deliveries per endpoint, released together when it is enabled again.
CREATE INDEX deliveries_held_idx ON deliveries (org_id, endpoint_id) WHERE status = 'held';

-- The deliveries under way or given up become deliveries to the organization's default endpoint.
INSERT INTO deliveries (org_id, event_id, endpoint_id, status, attempts, last_attempt_at,
                        next_attempt_at, last_error, delivered_at)
SELECT e.org_id, e.id, d.id, e.delivery_status, e.attempts, e.last_attempt_at, e.next_attempt_at,
       e.last_error, e.delivered_at
FROM events e
JOIN endpoints d ON d.org_id = e.org_id AND d.is_default
WHERE (e.delivery_status IN ('pending', 'retrying') AND e.next_attempt_at IS NOT NULL)
   OR e.delivery_status = 'failed';

-- A scheduled delivery of an organization that has no webhook any more would be abandoned at its
-- next attempt; with no delivery row to attempt, it is abandoned now, as the attempt would have.
UPDATE events e SET delivery_status = 'failed', next_attempt_at = NULL,
                    last_error = 'no webhook is configured'
WHERE e.delivery_status IN ('pending', 'retrying') AND e.next_attempt_at IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM endpoints d WHERE d.org_id = e.org_id AND d.is_default);

-- From here on an event's own delivery columns are the summary of its deliveries (the least
-- advanced), which may be held; the sweep and the backlog read the deliveries table instead.
ALTER TABLE events DROP CONSTRAINT events_delivery_status_check;
ALTER TABLE events ADD CONSTRAINT events_delivery_status_check
    CHECK (delivery_status IN ('pending', 'retrying', 'delivered', 'failed', 'held'));
DROP INDEX events_due_idx;
DROP INDEX events_failed_idx;
