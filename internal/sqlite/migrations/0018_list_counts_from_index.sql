-- `list` counts each listed collaboration's tasks and pending
-- acknowledgements (Summaries). With the counted columns in the indexes
-- by collaboration, the counts come from the index alone: before, each
-- of a page's rows (on a company's store 60 tasks and 60
-- acknowledgements for 30 lines) was found in the index and then looked
-- up again in its table.
DROP INDEX tasks_by_collab;
CREATE INDEX tasks_by_collab ON tasks (workspace, collab, status, due_unix);
DROP INDEX acks_by_collab;
CREATE INDEX acks_by_collab ON acks (workspace, collab, status);
