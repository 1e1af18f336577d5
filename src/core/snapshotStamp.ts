/**
 * Which snapshot an answer in the history ran on, and what the panel says when
 * a reopened answer re-runs on a different one. No `vscode` import (unit-tested
 * in plain Node). A snapshot is the same when its folder, its creation time and
 * its last block are: a sync that appends blocks in place changes the last one.
 */
import type { Manifest } from './snapshot/layout.js';

export interface SnapshotStamp {
  /** The snapshot folder. */
  dir: string;
  /** As the status bar names it: "sample (synthetic)", "mainnet · ethereum · 1–200". */
  label: string;
  /** manifest.createdAt; absent when the folder had no manifest. */
  createdAt?: string;
  /** The last block and its time (manifest.blockRange / timeRange). */
  lastBlock?: number;
  lastTime?: string;
}

/** The stamp of the snapshot the next query uses (Session.activeSnapshot()). */
export function snapshotStamp(active: { dir: string; label: string; manifest: Manifest | undefined }): SnapshotStamp {
  const m = active.manifest;
  return {
    dir: active.dir,
    label: active.label,
    ...(m?.createdAt ? { createdAt: m.createdAt } : {}),
    ...(typeof m?.blockRange?.last === 'number' ? { lastBlock: m.blockRange.last } : {}),
    ...(m?.timeRange?.last ? { lastTime: m.timeRange.last } : {}),
  };
}

export function isSnapshotStamp(v: unknown): v is SnapshotStamp {
  const s = v as SnapshotStamp;
  return !!s && typeof s === 'object' && typeof s.dir === 'string' && typeof s.label === 'string';
}

export function sameSnapshot(a: SnapshotStamp, b: SnapshotStamp): boolean {
  return a.dir === b.dir && a.createdAt === b.createdAt && a.lastBlock === b.lastBlock;
}

/** "2026-06-24 13:05 UTC" (the history keeps ISO times). */
export function askedAt(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function describe(s: SnapshotStamp): string {
  const upTo = s.lastTime ? `, data up to ${s.lastTime.replace('T', ' ').replace(/(:\d\d)(\.\d+)?Z?$/, '$1')}` : '';
  return `${s.label}${upTo}`;
}

/**
 * What the panel says when a history entry re-runs: nothing when it runs on the
 * snapshot it was first asked on; else that it re-ran on the current one and
 * when and on which snapshot it was first asked (or that this was not kept).
 */
export function reopenNote(entry: { at: string; snapshot?: unknown }, current: SnapshotStamp): string | undefined {
  const first = `first asked on ${askedAt(entry.at)}`;
  // Stored state is read back as it was written, or hand-edited: a malformed stamp counts as none.
  if (!isSnapshotStamp(entry.snapshot)) return `Re-run on the current snapshot (${describe(current)}); ${first}, on a snapshot the history did not record.`;
  if (sameSnapshot(entry.snapshot, current)) return undefined;
  return `Re-run on the current snapshot (${describe(current)}); ${first} on ${describe(entry.snapshot)}. The rows may differ.`;
}
