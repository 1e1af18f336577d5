import * as fs from 'node:fs';
import * as path from 'node:path';
import { OnchainSqlError } from '../errors.js';
import { catalog } from '../schema/catalog.js';
import { MANIFEST_FILE, SNAPSHOT_FORMAT, type Manifest } from './layout.js';

/**
 * The rules for a folder this tool writes a snapshot into (import, build, sync):
 * it must be missing, empty, or a snapshot this tool wrote (its manifest carries
 * SNAPSHOT_FORMAT and the list of files it wrote). Only files on that list are
 * ever replaced or deleted; anything else in the folder is kept as it is.
 */
export interface OutDirState {
  outDir: string;
  /** The manifest of the snapshot already there, or null when the folder is missing or empty. */
  previous: Manifest | null;
  /** Files in the folder that this tool did not write (relative paths): kept. */
  foreign: string[];
}

/** Every file under `dir`, relative and '/'-separated, hidden entries (work folders, spill) included. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else out.push(r);
    }
  };
  walk(dir, '');
  return out.sort();
}

function listNames(names: string[], max = 6): string {
  return names.slice(0, max).join(', ') + (names.length > max ? `, … ${names.length - max} more` : '');
}

/** Reads the manifest at `dir` when it is one of ours, else null. */
export function ownManifest(dir: string): Manifest | null {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
    return m.format === SNAPSHOT_FORMAT && Array.isArray(m.files) ? m : null;
  } catch {
    return null;
  }
}

/**
 * A snapshot written before the format marker existed: a manifest with a
 * blockRange and nothing in the folder but contract table files. Nothing foreign
 * can be lost, so it is treated as ours.
 */
function legacySnapshot(dir: string, present: string[]): Manifest | null {
  const tables = new Set(catalog.tables.map((t) => `${t.namespace}/${t.name}.parquet`));
  if (!present.includes(MANIFEST_FILE) || !present.every((f) => f === MANIFEST_FILE || tables.has(f))) return null;
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
    return m && typeof m === 'object' && m.blockRange ? { ...m, files: present.filter((f) => f !== MANIFEST_FILE) } : null;
  } catch {
    return null;
  }
}

/** Checks `outDir` against the rules above; throws a `usage` error that names what is in the way. */
export function checkOutDir(outDir: string, inDir?: string): OutDirState {
  if (inDir) {
    const inside = (a: string, b: string) => a === b || a.startsWith(b + path.sep);
    if (inside(outDir, inDir) || inside(inDir, outDir)) {
      throw new OnchainSqlError('usage', `The output folder ${outDir} must be outside the export folder ${inDir}.`);
    }
  }
  const st = fs.statSync(outDir, { throwIfNoEntry: false });
  if (!st) return { outDir, previous: null, foreign: [] };
  if (!st.isDirectory()) throw new OnchainSqlError('usage', `${outDir} is a file; --out needs a folder.`);
  const present = filesUnder(outDir);
  if (present.length === 0) return { outDir, previous: null, foreign: [] };
  const previous = ownManifest(outDir) ?? legacySnapshot(outDir, present);
  if (!previous) {
    const why = present.includes(MANIFEST_FILE)
      ? `its ${MANIFEST_FILE} was not written by onchain-sql (no "format": "${SNAPSHOT_FORMAT}" with a file list)`
      : 'is not a snapshot';
    throw new OnchainSqlError('usage', `${outDir} is not empty and ${why}; nothing in it was changed. It holds: ${listNames(present)}. Choose a new or empty folder for --out.`);
  }
  const own = new Set([MANIFEST_FILE, ...(previous.files ?? [])]);
  return { outDir, previous, foreign: present.filter((f) => !own.has(f)) };
}

/** A hidden work folder beside `outDir`; a folder that cannot be written gets a plain message, not raw EACCES text. */
export function makeWorkDir(outDir: string, purpose: string): string {
  const parent = path.dirname(outDir);
  try {
    fs.mkdirSync(parent, { recursive: true });
    return fs.mkdtempSync(path.join(parent, `.${path.basename(outDir)}.${purpose}-`));
  } catch (e) {
    throw notWritable(e, outDir);
  }
}

/** EACCES/EPERM/EROFS as "cannot write to …"; anything else unchanged. */
export function notWritable(e: unknown, outDir: string): unknown {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    const what = code === 'EROFS' ? 'is on a read-only file system' : 'is not writable by this user';
    return new OnchainSqlError('usage', `Cannot write the snapshot to ${outDir}: the folder ${what}. Choose another --out folder.`);
  }
  return e;
}

/**
 * Moves the snapshot built in `work` (its manifest lists its files) into
 * `state.outDir`: each file by an atomic rename, the manifest last; files of the
 * previous snapshot that the new one no longer has are removed; foreign files
 * stay. Refuses, before touching anything, when a foreign file sits where a new
 * file must go.
 */
export function installSnapshot(work: string, state: OutDirState, manifest: Manifest): void {
  const newFiles = manifest.files ?? [];
  const clash = state.foreign.filter((f) => newFiles.includes(f));
  if (clash.length) {
    throw new OnchainSqlError('usage', `${state.outDir} holds ${listNames(clash)}, which this tool did not write and would have to replace; nothing was changed. Move it away or choose another --out folder.`);
  }
  const { outDir } = state;
  try {
    fs.mkdirSync(outDir, { recursive: true });
    // Old manifest first: a reader never sees a manifest that lists files not yet in place.
    if (state.previous) fs.rmSync(path.join(outDir, MANIFEST_FILE), { force: true });
    for (const f of newFiles) {
      const to = path.join(outDir, f);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.renameSync(path.join(work, f), to);
    }
    for (const f of state.previous?.files ?? []) {
      if (!newFiles.includes(f)) fs.rmSync(path.join(outDir, f), { force: true });
    }
    fs.renameSync(path.join(work, MANIFEST_FILE), path.join(outDir, MANIFEST_FILE));
  } catch (e) {
    throw notWritable(e, outDir);
  }
  removeEmptyDirs(work);
}

/** Removes `dir` when only empty folders remain in it (the work folder after its files moved). */
function removeEmptyDirs(dir: string): void {
  if (filesUnder(dir).length === 0) fs.rmSync(dir, { recursive: true, force: true });
}

/** Stamps a manifest with the format marker and the files under `dir` (the manifest itself excluded). */
export function withFileList(manifest: Manifest, dir: string): Manifest {
  return { ...manifest, format: SNAPSHOT_FORMAT, files: filesUnder(dir).filter((f) => f !== MANIFEST_FILE) };
}
