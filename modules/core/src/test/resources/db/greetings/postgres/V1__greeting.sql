CREATE TABLE greeting (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    text    TEXT NOT NULL UNIQUE,
    dialect TEXT NOT NULL
);
INSERT INTO greeting (text, dialect) VALUES ('created', 'postgres');
