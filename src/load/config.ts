/**
 * Configuration: `sqlscribe.config.ts` (default export) or `sqlscribe.config.json` at the project root,
 * or the file given by `--config`; every key can also be given as a CLI flag, which wins
 * (spec "Configuration"). Paths in the config are relative to the config file's folder; paths given as
 * flags are relative to the working directory.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import type { DialectName, NamingConvention } from '../dialects/types.js';
import { ModuleEvaluator } from './modules.js';

/** The resolved configuration of one run. All paths are absolute. */
export interface Config {
  /** The folder that holds the config file, or the working directory when there is none. */
  readonly root: string;
  /** The config file read, if any. */
  readonly file?: string;
  readonly dialect: DialectName;
  /** Migration folders, globbed for `*.ts` (default `['migrations']`). */
  readonly migrations: readonly string[];
  /** Where `-o` paths without a folder and generated scripts go (default `out`). */
  readonly out: string;
  /** A folder whose files override the built-in templates of the same relative path. */
  readonly templates?: string;
  /** Alembic's `version_table` (default `alembic_version`). */
  readonly versionTable: string;
  /** Alembic's `version_table_schema`. */
  readonly versionTableSchema?: string;
  /** Alembic's `transaction_per_migration` (default false): one BEGIN/COMMIT per revision. */
  readonly transactionPerMigration: boolean;
  /** SQLAlchemy-style naming convention for unnamed constraints. */
  readonly namingConvention?: NamingConvention;
  /** PostgreSQL session settings of generated scripts (`lockTimeout`, ...; README "Session settings"). */
  readonly settings: {
    readonly lockTimeout?: string;
    readonly statementTimeout?: string;
    readonly autocommitStatementTimeout?: string;
    readonly searchPath?: readonly string[];
    readonly role?: string;
  };
  /** The audit table of generated scripts (`historyTable`: true for `sqlscribe_history`, or a name). */
  readonly historyTable?: string;
  /** Transpile cache (`.sqlscribe-cache/` under the root unless `SQLSCRIBE_CACHE_DIR` is set). */
  readonly cacheDir: string;
}

/** Keys a config file may hold, with the flag that overrides each. */
const KEYS = [
  'dialect',
  'migrations',
  'out',
  'templates',
  'versionTable',
  'versionTableSchema',
  'transactionPerMigration',
  'namingConvention',
  'lockTimeout',
  'statementTimeout',
  'autocommitStatementTimeout',
  'searchPath',
  'role',
  'historyTable',
] as const;
type Key = (typeof KEYS)[number];

/** CLI flags that override config keys (commander's camelCased option names). */
export interface ConfigFlags {
  config?: string;
  dialect?: string;
  migrations?: string[];
  out?: string;
  templates?: string;
  versionTable?: string;
  versionTableSchema?: string;
  transactionPerMigration?: boolean;
  lockTimeout?: string;
  statementTimeout?: string;
  autocommitStatementTimeout?: string;
  /** Comma-separated schema names. */
  searchPath?: string;
  role?: string;
  /** `--history-table [name]`: true for the default name. */
  historyTable?: string | boolean;
}

/** The default name of the audit table (`--history-table` without a name, config `historyTable: true`). */
export const DEFAULT_HISTORY_TABLE = 'sqlscribe_history';

export const DIALECTS: readonly DialectName[] = ['postgresql', 'sqlite', 'mysql', 'mariadb'];

/**
 * Reads the config and applies the flags.
 * @param cwd the working directory
 * @throws UserError for an unreadable or invalid config file (naming it and the key), or a bad flag value.
 */
export function loadConfig(cwd: string, flags: ConfigFlags = {}, evaluator?: ModuleEvaluator): Config {
  let file: string | undefined;
  if (flags.config) {
    file = resolve(cwd, flags.config);
    if (!existsSync(file)) throw new UserError(`config file ${flags.config} not found — check the --config path`);
  } else {
    file = ['sqlscribe.config.ts', 'sqlscribe.config.json'].map((n) => join(cwd, n)).find((f) => existsSync(f));
  }
  const root = file ? dirname(file) : cwd;
  const raw: Record<string, unknown> = file ? readConfigFile(file, evaluator ?? new ModuleEvaluator()) : {};
  const label = file ?? 'config';
  for (const key of Object.keys(raw)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      throw new UserError(`${label}: unknown key '${key}' (known keys: ${KEYS.join(', ')})`);
    }
  }
  const get = <T>(key: Key, check: (v: unknown) => v is T, what: string): T | undefined => {
    const v = raw[key];
    if (v === undefined) return undefined;
    if (!check(v)) throw new UserError(`${label}: '${key}' must be ${what}, got ${JSON.stringify(v)}`);
    return v;
  };
  const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
  const isStrings = (v: unknown): v is string | string[] => isString(v) || (Array.isArray(v) && v.length > 0 && v.every(isString));
  const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
  const isObject = (v: unknown): v is NamingConvention =>
    typeof v === 'object' && v !== null && !Array.isArray(v) && Object.entries(v).every(([k, s]) => ['ix', 'uq', 'ck', 'fk', 'pk'].includes(k) && isString(s));

  const dialect = flags.dialect ?? get('dialect', isString, 'a dialect name');
  if (dialect !== undefined && !(DIALECTS as readonly string[]).includes(dialect)) {
    throw new UserError(`unknown dialect '${dialect}' (${flags.dialect ? '--dialect' : label}) — use one of ${DIALECTS.join(', ')}`);
  }
  const fromConfig = (p: string) => resolve(root, p);
  const fromCwd = (p: string) => resolve(cwd, p);
  const migrationsRaw = get('migrations', isStrings, 'a folder or a list of folders');
  const migrations = flags.migrations?.length
    ? flags.migrations.map(fromCwd)
    : (typeof migrationsRaw === 'string' ? [migrationsRaw] : (migrationsRaw ?? ['migrations'])).map(fromConfig);
  const outRaw = get('out', isString, 'a folder');
  const templatesRaw = get('templates', isString, 'a folder');
  const versionTable = flags.versionTable ?? get('versionTable', isString, 'a table name') ?? 'alembic_version';
  const versionTableSchema = flags.versionTableSchema ?? get('versionTableSchema', isString, 'a schema name');
  const namingConvention = get('namingConvention', isObject, "an object with keys ix, uq, ck, fk, pk and string values");
  const setting = (key: 'lockTimeout' | 'statementTimeout' | 'autocommitStatementTimeout' | 'role', flag: string | undefined) => flag ?? get(key, isString, 'a string');
  const searchPathRaw = flags.searchPath ?? get('searchPath', isStrings, 'a schema name or a list of schema names');
  const searchPath = searchPathRaw === undefined ? undefined : typeof searchPathRaw === 'string' ? searchPathRaw.split(',').map((p) => p.trim()) : searchPathRaw;
  const settings = Object.fromEntries(
    Object.entries({
      lockTimeout: setting('lockTimeout', flags.lockTimeout),
      statementTimeout: setting('statementTimeout', flags.statementTimeout),
      autocommitStatementTimeout: setting('autocommitStatementTimeout', flags.autocommitStatementTimeout),
      searchPath,
      role: setting('role', flags.role),
    }).filter(([, v]) => v !== undefined),
  ) as Config['settings'];
  const historyRaw = flags.historyTable ?? get('historyTable', (v): v is string | boolean => isString(v) || isBool(v), 'true or a table name');
  const historyTable = historyRaw === true ? DEFAULT_HISTORY_TABLE : historyRaw === false ? undefined : historyRaw;
  return {
    root,
    ...(file ? { file } : {}),
    dialect: (dialect ?? 'postgresql') as DialectName,
    migrations,
    out: flags.out ? fromCwd(flags.out) : fromConfig(outRaw ?? 'out'),
    ...(flags.templates ? { templates: fromCwd(flags.templates) } : templatesRaw ? { templates: fromConfig(templatesRaw) } : {}),
    versionTable,
    ...(versionTableSchema ? { versionTableSchema } : {}),
    transactionPerMigration: flags.transactionPerMigration ?? get('transactionPerMigration', isBool, 'true or false') ?? false,
    ...(namingConvention ? { namingConvention } : {}),
    settings,
    ...(historyTable ? { historyTable } : {}),
    cacheDir: process.env.SQLSCRIBE_CACHE_DIR ? resolve(cwd, process.env.SQLSCRIBE_CACHE_DIR) : join(root, '.sqlscribe-cache'),
  };
}

function readConfigFile(file: string, evaluator: ModuleEvaluator): Record<string, unknown> {
  const text = readFileSync(file, 'utf8');
  let value: unknown;
  if (file.endsWith('.json')) {
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new UserError(`${file}: invalid JSON: ${(err as Error).message}`);
    }
  } else {
    const exported = evaluator.evaluate(file, text, { label: file }) as { default?: unknown };
    value = exported.default ?? exported;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UserError(`${file}: the config must be an object (export default { dialect: 'postgresql', ... })`);
  }
  return value as Record<string, unknown>;
}
