-- What became of each timer firing: sent, missed (fell due during
-- downtime, too late to send), suppressed (recipient on leave) or snoozed.
ALTER TABLE reminders ADD COLUMN outcome TEXT NOT NULL DEFAULT 'sent';

-- A person's snooze and declared leave, which hold back their reminders.
ALTER TABLE person_settings ADD COLUMN snooze_until TEXT NOT NULL DEFAULT '';
ALTER TABLE person_settings ADD COLUMN leave TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(leave));

CREATE INDEX progress_by_day ON progress (workspace, day);
