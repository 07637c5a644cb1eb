// Versioned schema. Each migration runs once, in order, inside a transaction; `PRAGMA user_version`
// records the version reached. Never edit a released migration: append a new one.

export interface Migration {
  version: number
  name: string
  sql: string
}

const foundation = /* sql */ `
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value_json TEXT NOT NULL
);

CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued','running','paused','completed','cancelled','failed','interrupted')),
  params_json TEXT NOT NULL DEFAULT '{}',
  progress_json TEXT NOT NULL DEFAULT '{}',
  result_json TEXT,
  error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE import_batches (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  source_path TEXT NOT NULL,
  format TEXT NOT NULL,
  encoding TEXT,
  mapping_json TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL CHECK (status IN ('running','completed','cancelled','failed','interrupted')),
  job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
  records_done INTEGER NOT NULL DEFAULT 0,
  bytes_done INTEGER NOT NULL DEFAULT 0,
  bytes_total INTEGER,
  added INTEGER NOT NULL DEFAULT 0,
  duplicates INTEGER NOT NULL DEFAULT 0,
  conflicts INTEGER NOT NULL DEFAULT 0,
  rejected INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  created_at TEXT NOT NULL,
  finished_at TEXT
);

CREATE TABLE reports (
  id INTEGER PRIMARY KEY,
  report_key TEXT NOT NULL UNIQUE,          -- external id when present, else 'sha256:' + content hash
  external_id TEXT,
  batch_id INTEGER REFERENCES import_batches(id) ON DELETE CASCADE,
  text TEXT NOT NULL,                       -- the original text exactly as decoded, never normalised
  content_hash TEXT NOT NULL,
  sections_json TEXT NOT NULL,              -- Section[] with offsets into text
  patient_id TEXT,
  study_id TEXT,
  accession TEXT,
  study_date TEXT,
  modality TEXT,
  meta_json TEXT,
  source_location TEXT,                     -- file and line/record it came from
  created_at TEXT NOT NULL
);
CREATE INDEX reports_batch ON reports(batch_id);

-- Records an import did not add: rejected records, conflicts (same id, other text), duplicates.
CREATE TABLE import_issues (
  id INTEGER PRIMARY KEY,
  batch_id INTEGER NOT NULL REFERENCES import_batches(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('rejected','conflict','duplicate')),
  file TEXT NOT NULL,
  location TEXT NOT NULL,
  external_id TEXT,
  reason TEXT NOT NULL,
  excerpt TEXT
);
CREATE INDEX import_issues_batch ON import_issues(batch_id, kind);

CREATE TABLE import_presets (
  name TEXT PRIMARY KEY,
  format TEXT NOT NULL,
  mapping_json TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE label_sets (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL,
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  description TEXT,
  builtin INTEGER NOT NULL DEFAULT 0,
  definition_json TEXT NOT NULL,            -- LabelSetDefinition as used by engines
  created_at TEXT NOT NULL,
  UNIQUE (slug, version)
);

CREATE TABLE labels (
  id INTEGER PRIMARY KEY,
  label_set_id INTEGER NOT NULL REFERENCES label_sets(id) ON DELETE CASCADE,
  ord INTEGER NOT NULL,
  name TEXT NOT NULL,
  description TEXT,
  UNIQUE (label_set_id, name)
);

-- Every set of labels is a source: an engine run, imported labels, or curated review labels.
CREATE TABLE sources (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('run','imported','curated')),
  label_set_id INTEGER NOT NULL REFERENCES label_sets(id),
  description TEXT,
  created_at TEXT NOT NULL
);

CREATE TABLE source_labels (
  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  label_id INTEGER NOT NULL REFERENCES labels(id),
  state TEXT NOT NULL CHECK (state IN ('positive','negative','uncertain','not_mentioned')),
  evidence_json TEXT,                       -- Evidence[]
  rule TEXT,
  PRIMARY KEY (source_id, report_id, label_id)
) WITHOUT ROWID;
CREATE INDEX source_labels_report ON source_labels(report_id);

-- An engine run is a source with an engine, a configuration and provenance.
CREATE TABLE runs (
  source_id INTEGER PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
  engine TEXT NOT NULL,
  config_json TEXT NOT NULL,
  provenance_json TEXT NOT NULL DEFAULT '{}',
  scope_json TEXT NOT NULL DEFAULT '{}',    -- which reports the run covers (all, batch ids, report ids)
  status TEXT NOT NULL CHECK (status IN ('queued','running','paused','completed','cancelled','failed','interrupted')),
  job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
  reports_total INTEGER NOT NULL DEFAULT 0,
  reports_done INTEGER NOT NULL DEFAULT 0,
  reports_failed INTEGER NOT NULL DEFAULT 0,
  prompt_tokens INTEGER NOT NULL DEFAULT 0,
  completion_tokens INTEGER NOT NULL DEFAULT 0,
  wall_ms INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  started_at TEXT,
  finished_at TEXT
);

-- Per-report outcome of a run: resume skips 'done', re-run picks 'failed'.
CREATE TABLE run_reports (
  source_id INTEGER NOT NULL REFERENCES runs(source_id) ON DELETE CASCADE,
  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  status TEXT NOT NULL CHECK (status IN ('done','failed')),
  error TEXT,
  raw_output TEXT,
  prompt_tokens INTEGER,
  completion_tokens INTEGER,
  finished_at TEXT NOT NULL,
  PRIMARY KEY (source_id, report_id)
) WITHOUT ROWID;

-- Open-ended findings (LLM task A), mapped onto the run's label set where the lexicon can.
CREATE TABLE findings (
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  phrase TEXT NOT NULL,
  label_id INTEGER REFERENCES labels(id),
  evidence_json TEXT
);
CREATE INDEX findings_source_report ON findings(source_id, report_id);
CREATE INDEX findings_phrase ON findings(phrase);

CREATE TABLE models (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('base','lora')),
  path TEXT NOT NULL,
  copied INTEGER NOT NULL DEFAULT 0,        -- 1 when the file was copied into the workspace
  size_bytes INTEGER NOT NULL,
  sha256 TEXT,
  header_json TEXT NOT NULL DEFAULT '{}',
  added_at TEXT NOT NULL
);

CREATE TABLE prompt_templates (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  version INTEGER NOT NULL,
  template_json TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (name, version)
);

CREATE TABLE reviewers (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL DEFAULT 'radiologist',
  created_at TEXT NOT NULL
);

CREATE TABLE review_sets (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  label_set_id INTEGER NOT NULL REFERENCES label_sets(id),
  sampling_json TEXT NOT NULL,              -- strategy, size, seed, filters: enough to reproduce
  mode TEXT NOT NULL CHECK (mode IN ('blinded','assisted')),
  assist_source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,
  readers_per_report INTEGER NOT NULL DEFAULT 1 CHECK (readers_per_report IN (1, 2)),
  curated_source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE review_items (
  set_id INTEGER NOT NULL REFERENCES review_sets(id) ON DELETE CASCADE,
  ord INTEGER NOT NULL,
  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  PRIMARY KEY (set_id, report_id),
  UNIQUE (set_id, ord)
);

-- The current decision of one reviewer on one label of one report; history is in audit_log.
CREATE TABLE review_decisions (
  set_id INTEGER NOT NULL REFERENCES review_sets(id) ON DELETE CASCADE,
  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  label_id INTEGER NOT NULL REFERENCES labels(id),
  reviewer_id INTEGER NOT NULL REFERENCES reviewers(id),
  role TEXT NOT NULL CHECK (role IN ('reader','adjudicator')),
  state TEXT NOT NULL CHECK (state IN ('positive','negative','uncertain','not_mentioned')),
  decided_at TEXT NOT NULL,
  PRIMARY KEY (set_id, report_id, label_id, reviewer_id)
) WITHOUT ROWID;

CREATE TABLE review_notes (
  set_id INTEGER NOT NULL REFERENCES review_sets(id) ON DELETE CASCADE,
  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  reviewer_id INTEGER NOT NULL REFERENCES reviewers(id),
  flagged INTEGER NOT NULL DEFAULT 0,
  comment TEXT,
  completed_at TEXT,                        -- the reviewer marked the report done
  updated_at TEXT NOT NULL,
  PRIMARY KEY (set_id, report_id, reviewer_id)
) WITHOUT ROWID;

-- Append-only: triggers refuse updates and deletes.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT,
  details_json TEXT
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
`

// Version 2: jobs get an owner (a random id per process, its pid and host) and a heartbeat, so that a
// process opening the workspace marks interrupted only work whose owner is gone; stop_request lets
// another process ask the owner to cancel or pause.
const jobOwners = /* sql */ `
ALTER TABLE jobs ADD COLUMN owner_id TEXT;
ALTER TABLE jobs ADD COLUMN owner_pid INTEGER;
ALTER TABLE jobs ADD COLUMN owner_host TEXT;
ALTER TABLE jobs ADD COLUMN heartbeat_at TEXT;
ALTER TABLE jobs ADD COLUMN stop_request TEXT CHECK (stop_request IN ('cancel','pause'));
CREATE INDEX jobs_status ON jobs(status);
`

// Import fidelity (issue 15): versions of a report (an addendum, a corrected HL7 result, an amended FHIR
// report) keep every text ever imported while reports.text holds the latest (what runs label); a batch
// counts its new versions; a site's header -> section maps, versioned per import preset.
const reportVersions = /* sql */ `
CREATE TABLE report_versions (
  id INTEGER PRIMARY KEY,
  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('original','addendum','correction','amended')),
  text TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  sections_json TEXT NOT NULL,
  batch_id INTEGER REFERENCES import_batches(id) ON DELETE SET NULL,
  source_location TEXT,
  source_status TEXT,
  created_at TEXT NOT NULL,
  UNIQUE (report_id, version)
);
CREATE INDEX report_versions_hash ON report_versions(report_id, content_hash);
ALTER TABLE reports ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE import_batches ADD COLUMN revised INTEGER NOT NULL DEFAULT 0;
-- A report labelled with something to know (the scope found no findings/impression text).
ALTER TABLE run_reports ADD COLUMN warning TEXT;

CREATE TABLE section_maps (
  preset TEXT NOT NULL,
  version INTEGER NOT NULL,
  headers_json TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (preset, version)
);
`

// Version 7: every evaluation the app ran, kept with its settings (the request as given), the sources'
// names and provenance and the whole result, so it can be reopened, compared and deleted later. Sources
// are referenced by name and id at the time; deleting a source leaves its past evaluations readable.
const evaluationHistory = /* sql */ `
CREATE TABLE evaluations (
  id INTEGER PRIMARY KEY,
  created_at TEXT NOT NULL,
  reference_name TEXT NOT NULL,
  prediction_names_json TEXT NOT NULL,
  n_reports INTEGER NOT NULL,
  request_json TEXT NOT NULL,
  result_json TEXT NOT NULL,
  job_id INTEGER
);
CREATE INDEX evaluations_created ON evaluations(created_at);
`

// Inference-server endpoints (added explicitly by a user; no connection is made before one exists) and
// per-answer statistics of server runs.
const serverEndpoints = /* sql */ `
CREATE TABLE endpoints (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  url TEXT NOT NULL,
  ca_file TEXT,
  allow_private_http INTEGER NOT NULL DEFAULT 0,
  api_key_file TEXT,                        -- the path only: the key is read at run time, never stored
  added_at TEXT NOT NULL,
  last_check_json TEXT
);
ALTER TABLE run_reports ADD COLUMN finish_reason TEXT;
ALTER TABLE run_reports ADD COLUMN latency_ms INTEGER;
ALTER TABLE run_reports ADD COLUMN attempts INTEGER;
`

// Steerable runs: the report ids a run's scope resolved to (first N, a seeded sample, a review set,
// the reports another source has not labelled, a list of ids), fixed when the run is created.
const runScopeReports = /* sql */ `
CREATE TABLE run_scope_reports (
  source_id INTEGER NOT NULL REFERENCES runs(source_id) ON DELETE CASCADE,
  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  PRIMARY KEY (source_id, report_id)
) WITHOUT ROWID;
`

// Source completeness: an imported label source is written in chunks and marked complete only at the end,
// so one a killed import left half-written says so (and a re-run of the same import continues it).
const sourceCompleteness = /* sql */ `
ALTER TABLE sources ADD COLUMN complete INTEGER NOT NULL DEFAULT 1 CHECK (complete IN (0, 1));
`

// Deleting a source: marked (hidden from every list) in one transaction, then removed chunk by chunk;
// a marked source left by an interruption is finished on the next open.
const sourceDeletionMarker = /* sql */ `
ALTER TABLE sources ADD COLUMN deleting_since TEXT;
`

// Training (issue 12): where a LoRA adapter came from. One row per adapter imported from a PEFT
// training run; the adapter itself is a `models` row (kind 'lora').
const adapterLineage = /* sql */ `
CREATE TABLE adapter_lineage (
  model_id INTEGER PRIMARY KEY REFERENCES models(id) ON DELETE CASCADE,
  base_model_id INTEGER REFERENCES models(id) ON DELETE SET NULL,
  base_sha256 TEXT NOT NULL,
  adapter_dir TEXT NOT NULL,                -- the PEFT folder it was converted from
  kit_dir TEXT,
  kit_checksum TEXT,                        -- sha256 of the kit's SHA256SUMS
  dataset_json TEXT NOT NULL DEFAULT '{}',  -- data card summary: sources, label set, template, split, counts
  training_json TEXT NOT NULL DEFAULT '{}', -- settings, steps, device, versions, losses
  final_train_loss REAL,
  final_val_loss REAL,
  conversion_json TEXT NOT NULL DEFAULT '{}', -- llama.cpp release and commit, converter, out type, seconds
  created_at TEXT NOT NULL
);
CREATE INDEX adapter_lineage_base ON adapter_lineage(base_model_id);
`

export const migrations: Migration[] = [
  { version: 1, name: 'foundation', sql: foundation },
  { version: 2, name: 'job owners', sql: jobOwners },
  { version: 3, name: 'source completeness', sql: sourceCompleteness },
  { version: 4, name: 'server endpoints and per-answer stats', sql: serverEndpoints },
  { version: 5, name: 'adapter lineage', sql: adapterLineage },
  { version: 6, name: 'report versions, section maps', sql: reportVersions },
  { version: 7, name: 'evaluation history', sql: evaluationHistory },
  { version: 8, name: 'run scope reports', sql: runScopeReports },
  { version: 9, name: 'source deletion marker', sql: sourceDeletionMarker }
]

export const LATEST_SCHEMA_VERSION = migrations[migrations.length - 1].version
