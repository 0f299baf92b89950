-- The values of a run's secret inputs, apart from its shown inputs (where they read
-- `[secret]`): read only by the steps, and cleared when the run ends.
ALTER TABLE action_runs ADD COLUMN secret_inputs TEXT;
