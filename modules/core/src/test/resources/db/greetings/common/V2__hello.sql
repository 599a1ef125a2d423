-- An upsert both engines understand; literal ${braces} must survive (no placeholder replacement).
INSERT INTO greeting (text, dialect) VALUES ('hello ${name}', 'common') ON CONFLICT (text) DO NOTHING;
