//! The scenario library: one SQLite file (WAL journal, `synchronous = FULL`), schema
//! migrations keyed on `PRAGMA user_version`, and every write inside one transaction.
//!
//! A scenario is a list of versions; each version holds the native TOML text of the
//! scenario and its SHA-256, and is never changed once written. Runs point at a version.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::Path;

/// A migration's Rust step, run in the migration's transaction after its SQL.
type Fill = fn(&Transaction<'_>) -> Result<(), StoreError>;

/// One schema step: SQL, then (when given) a Rust step over the same transaction.
struct Migration {
    sql: &'static str,
    fill: Option<Fill>,
}

const fn sql(sql: &'static str) -> Migration {
    Migration { sql, fill: None }
}

/// The schema, one migration per entry; entry `k` takes `user_version` from `k` to `k + 1`.
const MIGRATIONS: &[Migration] = &[
    sql(r#"
CREATE TABLE scenarios (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE versions (
    id           INTEGER PRIMARY KEY,
    scenario_id  INTEGER NOT NULL REFERENCES scenarios(id),
    number       INTEGER NOT NULL,
    title        TEXT NOT NULL,
    toml         TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    note         TEXT,
    source       TEXT,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (scenario_id, number)
);
CREATE TABLE runs (
    id          INTEGER PRIMARY KEY,
    version_id  INTEGER NOT NULL REFERENCES versions(id),
    model       TEXT NOT NULL,
    preset      TEXT,
    parameters  TEXT NOT NULL,
    seed        INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    output      TEXT NOT NULL,
    elapsed_us  INTEGER NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX runs_by_version ON runs(version_id);
"#),
    // 2: Monte Carlo runs record their number of draws (NULL for a point forecast).
    sql("ALTER TABLE runs ADD COLUMN draws INTEGER;"),
    // 3: seeds as decimal text (a u64 does not fit SQLite's signed INTEGER: `seed` keeps
    // the two's-complement bits for older readers), and each version's scenario as JSON,
    // so the scenario page is served without parsing the TOML again.
    Migration {
        sql: "ALTER TABLE runs ADD COLUMN seed_text TEXT;
              ALTER TABLE versions ADD COLUMN scenario_json TEXT;",
        fill: Some(seeds_as_text),
    },
    // 4: sealed forecasts and recorded outcomes, both append-only (see `crate::seals`).
    sql(crate::seals::SCHEMA),
];

/// Migration 3's Rust step: `seed_text` of every existing run from its INTEGER `seed`,
/// which held the u64 seed's bits (`seed as i64`).
fn seeds_as_text(tx: &Transaction<'_>) -> Result<(), StoreError> {
    let rows: Vec<(i64, i64)> = tx
        .prepare("SELECT id, seed FROM runs")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut update = tx.prepare("UPDATE runs SET seed_text = ?1 WHERE id = ?2")?;
    for (id, bits) in rows {
        update.execute(params![(bits as u64).to_string(), id])?;
    }
    Ok(())
}

/// A storage failure (disk, corruption, a locked file): the server answers 500 or 503.
#[derive(Debug)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "storage: {}", self.0)
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError(e.to_string())
    }
}

/// One scenario of the library, as listed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioSummary {
    /// Library id.
    pub id: i64,
    /// Title of the latest version.
    pub title: String,
    /// Number of the latest version (1-based).
    pub latest_version: i64,
    /// When the scenario was first stored (UTC, ISO 8601).
    pub created_at: String,
    /// When the latest version was stored (UTC, ISO 8601).
    pub updated_at: String,
}

/// One stored version, without its text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VersionInfo {
    /// The scenario's library id.
    pub scenario_id: i64,
    /// Version number, 1-based, increasing by one per save.
    pub version: i64,
    /// Title in this version.
    pub title: String,
    /// SHA-256 of the native TOML text, lower-case hex.
    pub sha256: String,
    /// What the save was about, as given by the user.
    pub note: Option<String>,
    /// Where the version came from (`import:<file> (<format>)`, `edit`).
    pub source: Option<String>,
    /// When it was stored (UTC, ISO 8601).
    pub created_at: String,
}

/// A stored version with its native TOML text.
#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    /// Its metadata.
    pub info: VersionInfo,
    /// The scenario as native TOML; its SHA-256 is `info.sha256`.
    pub toml: String,
    /// The same scenario as JSON (`serde_json` of the `Scenario`), when it was stored with
    /// it (every version written since schema 3).
    pub json: Option<String>,
}

/// A version to store: its title, native TOML text and, optionally, the same scenario as
/// JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct NewVersion {
    /// Title.
    pub title: String,
    /// Native TOML text (hashed).
    pub toml: String,
    /// The scenario as JSON, served by the scenario page without reparsing the TOML.
    pub json: Option<String>,
}

/// A stored model run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunInfo {
    /// Run id.
    pub id: i64,
    /// The scenario's library id.
    pub scenario_id: i64,
    /// The version run.
    pub version: i64,
    /// The scenario's title in that version.
    pub title: String,
    /// SHA-256 of that version's native TOML text.
    pub sha256: String,
    /// The model's name.
    pub model: String,
    /// The preset, if any.
    pub preset: Option<String>,
    /// The parameters given (name → value, as text).
    pub parameters: serde_json::Value,
    /// The random seed (ignored by deterministic models, kept for reproduction).
    pub seed: u64,
    /// Wall time of the model run, microseconds.
    pub elapsed_us: i64,
    /// Number of draws of a Monte Carlo run; `None` for a point forecast.
    pub draws: Option<u64>,
    /// When it ran (UTC, ISO 8601).
    pub created_at: String,
}

/// What to record about a run.
#[derive(Debug, Clone)]
pub struct NewRun<'a> {
    /// The scenario's library id.
    pub scenario_id: i64,
    /// The version run.
    pub version: i64,
    /// Model name.
    pub model: &'a str,
    /// Preset, if any.
    pub preset: Option<&'a str>,
    /// Parameters given, as a JSON object.
    pub parameters: &'a serde_json::Value,
    /// Random seed.
    pub seed: u64,
    /// The JSON returned to the client (a forecast, or a Monte Carlo simulation).
    pub output: &'a str,
    /// Wall time of the model run, microseconds.
    pub elapsed_us: i64,
    /// Number of draws of a Monte Carlo run; `None` for a point forecast.
    pub draws: Option<u64>,
}

/// SHA-256 of `text` as lower-case hex.
pub fn sha256_hex(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The library: one SQLite connection.
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let conn = Connection::open(path)?;
        Store::configure(conn)
    }

    /// An in-memory library (tests).
    pub fn in_memory() -> Result<Store, StoreError> {
        Store::configure(Connection::open_in_memory()?)
    }

    fn configure(conn: Connection) -> Result<Store, StoreError> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // WAL: readers never block the writer, and a crash mid-write leaves the last
        // committed state; FULL: a commit is on disk before the API answers.
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
        let mut store = Store { conn };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let current: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if current > MIGRATIONS.len() as i64 {
            return Err(StoreError(format!(
                "the database has schema version {current}, newer than this pactum knows ({}); upgrade pactum",
                MIGRATIONS.len()
            )));
        }
        for (k, m) in MIGRATIONS.iter().enumerate().skip(current as usize) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(m.sql)?;
            if let Some(fill) = m.fill {
                fill(&tx)?;
            }
            tx.execute_batch(&format!("PRAGMA user_version = {}", k + 1))?;
            tx.commit()?;
        }
        Ok(())
    }

    /// The schema version in force.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// The connection, for the tables other modules own (`crate::seals`).
    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// `PRAGMA integrity_check`: `"ok"` when the file is sound.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }

    /// Stores a new scenario with `toml` as version 1. Returns that version.
    pub fn create_scenario(
        &mut self,
        title: &str,
        toml: &str,
        source: &str,
    ) -> Result<VersionInfo, StoreError> {
        let item = NewVersion {
            title: title.to_string(),
            toml: toml.to_string(),
            json: None,
        };
        let mut created = self.create_scenarios(&[item], source)?;
        created
            .pop()
            .ok_or_else(|| StoreError("no scenario was stored".into()))
    }

    /// Stores new scenarios, each as its version 1, all in one transaction (a file
    /// holding many scenarios is imported whole or not at all).
    pub fn create_scenarios(
        &mut self,
        items: &[NewVersion],
        source: &str,
    ) -> Result<Vec<VersionInfo>, StoreError> {
        let tx = self.conn.transaction()?;
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            tx.execute(
                "INSERT INTO scenarios (title) VALUES (?1)",
                params![item.title],
            )?;
            let id = tx.last_insert_rowid();
            out.push(insert_version(&tx, id, item, None, Some(source))?);
        }
        tx.commit()?;
        Ok(out)
    }

    /// Stores `item` as the next version of scenario `id`. `None` when there is no such
    /// scenario.
    pub fn add_version(
        &mut self,
        id: i64,
        item: &NewVersion,
        note: Option<&str>,
        source: &str,
    ) -> Result<Option<VersionInfo>, StoreError> {
        let tx = self.conn.transaction()?;
        let exists: Option<i64> = tx
            .query_row("SELECT id FROM scenarios WHERE id = ?1", params![id], |r| {
                r.get(0)
            })
            .optional()?;
        if exists.is_none() {
            return Ok(None);
        }
        tx.execute(
            "UPDATE scenarios SET title = ?1 WHERE id = ?2",
            params![item.title, id],
        )?;
        let info = insert_version(&tx, id, item, note, Some(source))?;
        tx.commit()?;
        Ok(Some(info))
    }

    /// Every scenario, most recently changed first.
    pub fn list_scenarios(&self) -> Result<Vec<ScenarioSummary>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT s.id, s.title, v.number, s.created_at, v.created_at
             FROM scenarios s JOIN versions v ON v.scenario_id = s.id
             WHERE v.number = (SELECT MAX(number) FROM versions WHERE scenario_id = s.id)
             ORDER BY v.created_at DESC, s.id DESC",
        )?;
        let rows = st.query_map([], |r| {
            Ok(ScenarioSummary {
                id: r.get(0)?,
                title: r.get(1)?,
                latest_version: r.get(2)?,
                created_at: r.get(3)?,
                updated_at: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The versions of scenario `id`, oldest first (`None`: no such scenario).
    pub fn list_versions(&self, id: i64) -> Result<Option<Vec<VersionInfo>>, StoreError> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {VERSION_COLUMNS} FROM versions WHERE scenario_id = ?1 ORDER BY number"
        ))?;
        let rows: Vec<VersionInfo> = st
            .query_map(params![id], version_info)?
            .collect::<Result<_, _>>()?;
        Ok(if rows.is_empty() { None } else { Some(rows) })
    }

    /// Version `number` of scenario `id`, or its latest when `number` is `None`.
    pub fn version(&self, id: i64, number: Option<i64>) -> Result<Option<Version>, StoreError> {
        let sql = format!(
            "SELECT {VERSION_COLUMNS}, toml, scenario_json FROM versions WHERE scenario_id = ?1
             AND number = COALESCE(?2, (SELECT MAX(number) FROM versions WHERE scenario_id = ?1))"
        );
        Ok(self
            .conn
            .query_row(&sql, params![id, number], |r| {
                Ok(Version {
                    info: version_info(r)?,
                    toml: r.get(7)?,
                    json: r.get(8)?,
                })
            })
            .optional()?)
    }

    /// Records a run of a stored version; returns its id.
    pub fn add_run(&mut self, run: &NewRun<'_>) -> Result<Option<i64>, StoreError> {
        let tx = self.conn.transaction()?;
        let found: Option<(i64, String)> = tx
            .query_row(
                "SELECT id, sha256 FROM versions WHERE scenario_id = ?1 AND number = ?2",
                params![run.scenario_id, run.version],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((version_id, sha)) = found else {
            return Ok(None);
        };
        tx.execute(
            "INSERT INTO runs (version_id, model, preset, parameters, seed, sha256, output, elapsed_us, draws, seed_text)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                version_id,
                run.model,
                run.preset,
                run.parameters.to_string(),
                run.seed as i64,
                sha,
                run.output,
                run.elapsed_us,
                run.draws.map(|d| d as i64),
                run.seed.to_string()
            ],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(Some(id))
    }

    /// Runs, newest first, of scenario `scenario` when given, else of every scenario; at
    /// most `limit`.
    pub fn list_runs(&self, scenario: Option<i64>, limit: i64) -> Result<Vec<RunInfo>, StoreError> {
        let sql = format!(
            "SELECT {RUN_COLUMNS} FROM runs r JOIN versions v ON v.id = r.version_id
             WHERE (?1 IS NULL OR v.scenario_id = ?1) ORDER BY r.id DESC LIMIT ?2"
        );
        let mut st = self.conn.prepare(&sql)?;
        let rows = st.query_map(params![scenario, limit], run_info)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Run `id` with the forecast JSON it returned.
    pub fn run(&self, id: i64) -> Result<Option<(RunInfo, String)>, StoreError> {
        let sql = format!(
            "SELECT {RUN_COLUMNS}, r.output FROM runs r JOIN versions v ON v.id = r.version_id
             WHERE r.id = ?1"
        );
        Ok(self
            .conn
            .query_row(&sql, params![id], |r| Ok((run_info(r)?, r.get(12)?)))
            .optional()?)
    }
}

const VERSION_COLUMNS: &str = "scenario_id, number, title, sha256, note, source, created_at";

const RUN_COLUMNS: &str = "r.id, v.scenario_id, v.number, r.sha256, r.model, r.preset, \
     r.parameters, r.seed_text, r.elapsed_us, r.created_at, v.title, r.draws";

fn version_info(r: &rusqlite::Row<'_>) -> rusqlite::Result<VersionInfo> {
    Ok(VersionInfo {
        scenario_id: r.get(0)?,
        version: r.get(1)?,
        title: r.get(2)?,
        sha256: r.get(3)?,
        note: r.get(4)?,
        source: r.get(5)?,
        created_at: r.get(6)?,
    })
}

fn run_info(r: &rusqlite::Row<'_>) -> rusqlite::Result<RunInfo> {
    let params_text: String = r.get(6)?;
    let seed_text: String = r.get(7)?;
    let seed = seed_text.parse::<u64>().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(7, rusqlite::types::Type::Text, Box::new(e))
    })?;
    Ok(RunInfo {
        id: r.get(0)?,
        scenario_id: r.get(1)?,
        version: r.get(2)?,
        title: r.get(10)?,
        sha256: r.get(3)?,
        model: r.get(4)?,
        preset: r.get(5)?,
        parameters: serde_json::from_str(&params_text).unwrap_or(serde_json::Value::Null),
        seed,
        elapsed_us: r.get(8)?,
        draws: r.get::<_, Option<i64>>(11)?.map(|d| d.max(0) as u64),
        created_at: r.get(9)?,
    })
}

fn insert_version(
    tx: &Transaction<'_>,
    scenario_id: i64,
    item: &NewVersion,
    note: Option<&str>,
    source: Option<&str>,
) -> Result<VersionInfo, StoreError> {
    let next: i64 = tx.query_row(
        "SELECT COALESCE(MAX(number), 0) + 1 FROM versions WHERE scenario_id = ?1",
        params![scenario_id],
        |r| r.get(0),
    )?;
    let sha = sha256_hex(&item.toml);
    tx.execute(
        "INSERT INTO versions (scenario_id, number, title, toml, sha256, note, source, scenario_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            scenario_id,
            next,
            item.title,
            item.toml,
            sha,
            note,
            source,
            item.json
        ],
    )?;
    let info = tx.query_row(
        &format!("SELECT {VERSION_COLUMNS} FROM versions WHERE scenario_id = ?1 AND number = ?2"),
        params![scenario_id, next],
        version_info,
    )?;
    Ok(info)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(title: &str, toml: &str) -> NewVersion {
        NewVersion {
            title: title.into(),
            toml: toml.into(),
            json: Some(format!("{{\"title\":{title:?}}}")),
        }
    }

    #[test]
    fn sha256_of_known_text() {
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn versions_count_up_and_keep_their_text() {
        let mut s = Store::in_memory().unwrap();
        let v1 = s.create_scenario("t", "title = \"t\"\n", "test").unwrap();
        assert_eq!(v1.version, 1);
        let v2 = s
            .add_version(
                v1.scenario_id,
                &text("t2", "title = \"t2\"\n"),
                Some("n"),
                "edit",
            )
            .unwrap()
            .unwrap();
        assert_eq!(v2.version, 2);
        assert_eq!(
            s.version(v1.scenario_id, Some(1)).unwrap().unwrap().toml,
            "title = \"t\"\n"
        );
        let latest = s.version(v1.scenario_id, None).unwrap().unwrap();
        assert_eq!(latest.info.version, 2);
        assert_eq!(latest.info.sha256, sha256_hex("title = \"t2\"\n"));
        assert!(
            s.add_version(999, &text("x", ""), None, "edit")
                .unwrap()
                .is_none()
        );
        let list = s.list_scenarios().unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].latest_version, 2);
        assert_eq!(list[0].title, "t2");
        assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as i64);
        assert_eq!(s.integrity_check().unwrap(), "ok");
    }

    #[test]
    fn reopening_keeps_data_and_a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.db");
        {
            let mut s = Store::open(&path).unwrap();
            s.create_scenario("t", "x = 1\n", "test").unwrap();
        }
        let s = Store::open(&path).unwrap();
        assert_eq!(s.list_scenarios().unwrap().len(), 1);
        let mode: String = s
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        s.conn.execute_batch("PRAGMA user_version = 99").unwrap();
        drop(s);
        let err = Store::open(&path)
            .err()
            .expect("a newer schema must be refused");
        assert!(err.0.contains("newer"), "{err}");
    }

    #[test]
    fn runs_cite_the_version_hash() {
        let mut s = Store::in_memory().unwrap();
        let v = s.create_scenario("t", "x", "test").unwrap();
        let p = serde_json::json!({"q": "1"});
        let run = NewRun {
            scenario_id: v.scenario_id,
            version: 1,
            model: "median",
            preset: None,
            parameters: &p,
            seed: 7,
            output: "{}",
            elapsed_us: 3,
            draws: None,
        };
        let id = s.add_run(&run).unwrap().unwrap();
        let (info, out) = s.run(id).unwrap().unwrap();
        assert_eq!(info.draws, None);
        let mc = NewRun {
            draws: Some(1000),
            ..run.clone()
        };
        let mc_id = s.add_run(&mc).unwrap().unwrap();
        assert_eq!(s.run(mc_id).unwrap().unwrap().0.draws, Some(1000));
        assert_eq!(info.sha256, v.sha256);
        assert_eq!(info.seed, 7);
        assert_eq!(info.parameters, p);
        assert_eq!(out, "{}");
        let missing = NewRun { version: 9, ..run };
        assert!(s.add_run(&missing).unwrap().is_none());
        assert_eq!(s.list_runs(Some(v.scenario_id), 10).unwrap().len(), 2);
        assert_eq!(s.list_runs(Some(999), 10).unwrap().len(), 0);
    }

    #[test]
    fn a_first_schema_library_gains_the_draws_column_and_keeps_its_runs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(MIGRATIONS[0].sql).unwrap();
            conn.execute_batch(
                "PRAGMA user_version = 1;
                 INSERT INTO scenarios (id, title) VALUES (1, 't');
                 INSERT INTO versions (id, scenario_id, number, title, toml, sha256)
                     VALUES (1, 1, 1, 't', 'x', 'abc');
                 INSERT INTO runs (version_id, model, parameters, seed, sha256, output, elapsed_us)
                     VALUES (1, 'median', '{}', 0, 'abc', '{}', 5);",
            )
            .unwrap();
        }
        let s = Store::open(&path).unwrap();
        assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as i64);
        let (info, _) = s.run(1).unwrap().unwrap();
        assert_eq!((info.model.as_str(), info.draws), ("median", None));
    }

    #[test]
    fn seeds_keep_every_bit_and_old_runs_gain_their_seed_as_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v2.db");
        let big: u64 = u64::MAX - 4; // stored by schema 2 as the negative i64 -5
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(MIGRATIONS[0].sql).unwrap();
            conn.execute_batch(MIGRATIONS[1].sql).unwrap();
            conn.execute_batch(&format!(
                "PRAGMA user_version = 2;
                 INSERT INTO scenarios (id, title) VALUES (1, 't');
                 INSERT INTO versions (id, scenario_id, number, title, toml, sha256)
                     VALUES (1, 1, 1, 't', 'x', 'abc');
                 INSERT INTO runs (version_id, model, parameters, seed, sha256, output, elapsed_us)
                     VALUES (1, 'exchange', '{{}}', {}, 'abc', '{{}}', 5);",
                big as i64
            ))
            .unwrap();
        }
        let mut s = Store::open(&path).unwrap();
        assert_eq!(s.run(1).unwrap().unwrap().0.seed, big);
        assert_eq!(s.version(1, None).unwrap().unwrap().json, None);
        let p = serde_json::json!({});
        for seed in [0, 1, i64::MAX as u64, 1 << 63, u64::MAX] {
            let run = NewRun {
                scenario_id: 1,
                version: 1,
                model: "exchange",
                preset: None,
                parameters: &p,
                seed,
                output: "{}",
                elapsed_us: 1,
                draws: None,
            };
            let id = s.add_run(&run).unwrap().unwrap();
            assert_eq!(s.run(id).unwrap().unwrap().0.seed, seed);
            let stored: String = s
                .conn
                .query_row("SELECT seed_text FROM runs WHERE id = ?1", [id], |r| {
                    r.get(0)
                })
                .unwrap();
            assert_eq!(stored, seed.to_string());
        }
    }
}
