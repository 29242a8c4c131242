/**
 * The dialect registry: `--dialect` / config `dialect` names to their {@link Dialect}.
 */
import { UserError } from '../errors.js';
import { mariadb, mysql } from './mysql/index.js';
import { postgresql } from './postgresql/index.js';
import { sqlite } from './sqlite/index.js';
import type { Dialect, DialectName } from './types.js';

const DIALECTS: Partial<Record<DialectName, Dialect>> = { postgresql, sqlite, mysql, mariadb };

/**
 * The dialect of that name.
 * @throws UserError for a dialect sqlscribe does not render yet.
 */
export function getDialect(name: DialectName): Dialect {
  const d = DIALECTS[name];
  if (!d) throw new UserError(`dialect '${name}' is not supported — use --dialect postgresql, sqlite, mysql or mariadb`);
  return d;
}
