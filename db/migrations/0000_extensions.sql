-- Trigram indexes back the items search (ILIKE on title and description).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
