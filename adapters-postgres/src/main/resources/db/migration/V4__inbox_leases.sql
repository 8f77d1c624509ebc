-- Inbox leases. An event's lease state lives in its row, so that taking a lease is one UPDATE of
-- the rows it takes: the lease that took it last, how many times it was leased, and when it may be
-- leased again (the end of its lease, or of a release's delay). Columns without a default, or with
-- a constant one, are added without rewriting the table.
ALTER TABLE events
    ADD COLUMN lease_id    uuid,
    ADD COLUMN lease_count integer NOT NULL DEFAULT 0,
    ADD COLUMN leasable_at timestamptz;

-- One row per lease taken: which events it took, so that its ack, extend and release know them,
-- and so that a lease id is known only to its organization.
CREATE TABLE inbox_leases (
    org_id       uuid        NOT NULL,
    id           uuid        NOT NULL,
    created_at   timestamptz NOT NULL,
    leased_until timestamptz NOT NULL,
    event_ids    uuid[]      NOT NULL,
    PRIMARY KEY (org_id, id)
);

-- Leasing takes the oldest events still in the inbox. Acknowledged events leave this index, so a
-- consumer that has worked through most of a large inbox does not scan what it already handled.
-- lease_count >= 0 holds for every row: only the lease statement, which states it too, can use the
-- index, and no statement that merely implies the first condition (a delivery claim by key) picks
-- it on statistics that have not yet seen a backlog.
CREATE INDEX events_leasable_idx ON events (org_id, created_at, id)
    WHERE delivery_status <> 'delivered' AND lease_count >= 0;

-- The events ever leased and still in the inbox: in flight, waiting after a release, or dead. Few
-- rows, so listing the dead never scans the inbox.
CREATE INDEX events_leased_idx ON events (org_id, created_at, id)
    WHERE lease_count > 0 AND delivery_status <> 'delivered';

-- Retention finds the old leases; they are written in time order.
CREATE INDEX inbox_leases_created_brin ON inbox_leases USING brin (created_at);
