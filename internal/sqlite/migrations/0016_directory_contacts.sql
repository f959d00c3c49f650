-- What tells that accounts on two platforms are one person (the same
-- company mailbox or mobile number): read by `collabot directory sync`
-- where the platform gives them, so that someone on DingTalk and Slack
-- whom the configuration does not know becomes one person. '' when the
-- platform did not say.
ALTER TABLE directory_people ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE directory_people ADD COLUMN mobile TEXT NOT NULL DEFAULT '';
