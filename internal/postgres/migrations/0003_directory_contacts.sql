-- SQLite's 0016: what tells that accounts on two platforms are one person
-- (the same company mailbox or mobile number), read by `collabot
-- directory sync` where the platform gives them. '' when the platform did
-- not say.
ALTER TABLE directory_people ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE directory_people ADD COLUMN mobile TEXT NOT NULL DEFAULT '';
