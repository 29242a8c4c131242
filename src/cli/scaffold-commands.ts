/**
 * The commands that write files rather than SQL: `init`, `revision` and `merge`. They resolve their
 * arguments against the revision graph as Alembic's `ScriptDirectory.generate_revision` does, then hand
 * finished values to `src/commands/scaffold.ts`.
 */
import { relative, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { initProject, newRevisionId, writeRevision } from '../commands/scaffold.js';
import type { ConfigFlags } from '../load/config.js';
import { BUILTIN_TEMPLATES_DIR, TemplateSet } from '../render/templates.js';
import { resolveRevision, type RevisionMap } from '../revision/index.js';
import type { CliIO } from './program.js';
import { openProject, type Project } from './project.js';

interface RevisionFlags extends ConfigFlags {
  message: string;
  head?: string;
  branchLabel?: string[];
  dependsOn?: string[];
  revId?: string;
  splice?: boolean;
}

/** `sqlscribe init [dir]`: scaffolds the config, `migrations/` and the revision template. */
export function initCommand(io: CliIO, dir: string, flags: ConfigFlags): void {
  const created = initProject(resolve(io.cwd, dir), flags.dialect ? { dialect: flags.dialect } : {});
  for (const path of created) io.stdout(`created ${relative(io.cwd, path) || '.'}\n`);
}

function templatesOf(project: Project): TemplateSet {
  return new TemplateSet([BUILTIN_TEMPLATES_DIR, ...(project.config.templates ? [project.config.templates] : [])]);
}

function targetFolder(project: Project): string {
  const dir = project.config.migrations[0];
  if (!dir) throw new UserError('no migrations folder is configured — set "migrations" in the config or pass --migrations DIR');
  return dir;
}

function freshId(map: RevisionMap, revId: string | undefined): string {
  const id = revId ?? newRevisionId();
  if (map.has(id)) throw new UserError(`revision ${id} already exists (${map.get(id).file}) — pick another --rev-id`);
  return id;
}

/**
 * Alembic keeps a `depends_on` that names a branch label as the label and resolves anything else to the
 * full revision id (`ScriptDirectory.generate_revision`).
 */
function dependencies(map: RevisionMap, deps: readonly string[]): string[] {
  const labels = new Set(map.revisions.flatMap((r) => r.branchLabels));
  return deps.map((d) => (labels.has(d) ? d : (resolveRevision(map, d) ?? fail(`--depends-on ${d}: base is not a revision to depend on`))));
}

function fail(message: string): never {
  throw new UserError(message);
}

/**
 * `sqlscribe revision -m MSG`: the new revision's parent is the single head, or `--head` (which must be a
 * head unless `--splice`; `base` starts a new base). Errors as Alembic's: several heads and no `--head`,
 * a non-head parent without `--splice`.
 */
export function revisionCommand(io: CliIO, flags: RevisionFlags): void {
  const project = openProject(io.cwd, flags);
  const { map } = project;
  let down: string | null;
  if (flags.head === undefined) {
    if (map.heads.length > 1) {
      throw new UserError(
        `Multiple heads are present (${map.heads.join(', ')}); name the parent with --head <rev>, or merge them first with 'sqlscribe merge ${map.heads.join(' ')} -m "merge heads"'`,
      );
    }
    down = map.heads[0] ?? null;
  } else {
    down = resolveRevision(map, flags.head);
    if (down !== null && !map.get(down).isHead && !flags.splice) {
      throw new UserError(`Revision ${down} is not a head revision; pass --splice to create a new branch from it, or --head with one of: ${map.heads.join(', ')}`);
    }
  }
  const path = writeRevision({
    dir: targetFolder(project),
    revision: freshId(map, flags.revId),
    down,
    message: flags.message,
    ...(flags.branchLabel ? { branchLabels: flags.branchLabel } : {}),
    ...(flags.dependsOn ? { dependsOn: dependencies(map, flags.dependsOn) } : {}),
    templates: templatesOf(project),
  });
  io.stdout(`Generating ${relative(io.cwd, path)} ... done\n`);
}

/** `sqlscribe merge REV... -m MSG`: a revision whose `down` is the given revisions (`heads` for all heads). */
export function mergeCommand(io: CliIO, revs: readonly string[], flags: RevisionFlags): void {
  const project = openProject(io.cwd, flags);
  const { map } = project;
  const parents = [...new Set(revs.flatMap((r) => (r === 'heads' ? [...map.heads] : [resolveRevision(map, r) ?? fail(`merge ${r}: base cannot be merged`)])))];
  if (parents.length < 2) throw new UserError(`a merge needs at least two revisions, got ${parents.join(', ') || 'none'} — e.g. 'sqlscribe merge heads -m "merge heads"'`);
  const path = writeRevision({
    dir: targetFolder(project),
    revision: freshId(map, flags.revId),
    down: parents,
    message: flags.message,
    ...(flags.branchLabel ? { branchLabels: flags.branchLabel } : {}),
    templates: templatesOf(project),
  });
  io.stdout(`Generating ${relative(io.cwd, path)} ... done\n`);
}
