CREATE TABLE greeting (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    text    TEXT NOT NULL UNIQUE,
    dialect TEXT NOT NULL
);
INSERT INTO greeting (text, dialect) VALUES ('created', 'sqlite');
