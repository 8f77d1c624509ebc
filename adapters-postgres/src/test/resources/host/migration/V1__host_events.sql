-- A host application's own first migration, with a table of the same name as one of Triggers'.
CREATE TABLE events (
    id    bigserial PRIMARY KEY,
    title text NOT NULL
);
INSERT INTO events (title) VALUES ('the host''s own row');
