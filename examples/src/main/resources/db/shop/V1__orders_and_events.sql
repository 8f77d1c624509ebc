-- The shop's own schema: its orders, and an events table of its own (an audit trail) that shares
-- nothing with Triggers' events, which live in schema triggers.
CREATE TABLE orders (
    id         bigserial PRIMARY KEY,
    customer   text        NOT NULL,
    total      numeric     NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE events (
    id         bigserial PRIMARY KEY,
    what       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
