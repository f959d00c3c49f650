-- A person's quiet hours ("22:00-08:00"): what is sent to them then waits
-- until the window ends. Empty for none.
ALTER TABLE person_settings ADD COLUMN quiet TEXT NOT NULL DEFAULT '';
