-- An endpoint's unbroken run of failed attempts: since when every attempt to it has failed, and
-- how many have. A success clears both; the server disables an endpoint whose run is long enough.
-- Adding the columns rewrites nothing: a constant default is kept in the catalog.
ALTER TABLE endpoints
    ADD COLUMN failing_since   timestamptz,
    ADD COLUMN failed_attempts integer NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    ADD CONSTRAINT endpoints_failures_check CHECK ((failing_since IS NULL) = (failed_attempts = 0));
