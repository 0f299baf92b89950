-- The runtime target (`kubernetes default/shop/api`...) an environment had when its run was
-- requested and approved: a run never acts on a target that changed since.
ALTER TABLE action_runs ADD COLUMN target TEXT NOT NULL DEFAULT '';
