-- Readiness probe: proves a connection can run a statement.
SELECT 1
