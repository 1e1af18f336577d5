import * as fs from 'node:fs';
import * as path from 'node:path';
import { OnchainSqlError } from '../errors.js';
import { terms } from './terms.js';
import verified from './verified-examples.json';

/**
 * The few-shot library: verified question → SQL pairs (the development set,
 * plus answers a user accepted and saved in their workspace), retrieved for a
 * question by word overlap so the model sees how similar questions were
 * answered correctly on this schema.
 */

export interface VerifiedExample {
  id?: string;
  question: string;
  sql: string;
}

/** Examples a context carries at most. */
export const EXAMPLES_IN_CONTEXT = 3;
const MAX_SAVED = 500;
const MAX_SQL_CHARS = 4_000;

export function builtInExamples(): VerifiedExample[] {
  return (verified as { examples: VerifiedExample[] }).examples.map((e) => ({ ...e }));
}

/**
 * The most similar examples first, by shared word stems weighted by rarity in
 * the library (a shared "burned" says more than a shared "day"); none that
 * share no word with the question.
 */
export function retrieveExamples(question: string, library: readonly VerifiedExample[], n = EXAMPLES_IN_CONTEXT): VerifiedExample[] {
  const q = new Set(terms(question));
  const docs = library.map((e) => new Set(terms(e.question)));
  const df = new Map<string, number>();
  for (const d of docs) for (const w of d) df.set(w, (df.get(w) ?? 0) + 1);
  const weight = (w: string) => Math.log(1 + library.length / (df.get(w) ?? 1));
  const norm = (set: Set<string>) => Math.sqrt([...set].reduce((sum, w) => sum + weight(w) ** 2, 0)) || 1;
  const qNorm = norm(q);
  return docs
    .map((d, i) => {
      let shared = 0;
      for (const w of d) if (q.has(w)) shared += weight(w) ** 2;
      return { e: library[i], i, s: shared / (norm(d) * qNorm) };
    })
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .slice(0, n)
    .map((x) => x.e);
}

/** A workspace's saved examples (JSON lines); a missing file is an empty list, a bad line is skipped. */
export function loadSavedExamples(file: string): VerifiedExample[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return text.split('\n').flatMap((line): VerifiedExample[] => {
    try {
      const v = JSON.parse(line) as Partial<VerifiedExample>;
      return typeof v.question === 'string' && typeof v.sql === 'string' ? [{ question: v.question, sql: v.sql }] : [];
    } catch {
      return [];
    }
  });
}

/**
 * Saves an accepted answer as an example for this workspace (the file is the
 * tool's own, created on first save). The same question saved again replaces
 * the older pair; the file keeps the newest MAX_SAVED.
 */
export function saveExample(file: string, example: VerifiedExample): VerifiedExample[] {
  const question = example.question.trim();
  const sql = example.sql.trim();
  if (!question) throw new OnchainSqlError('usage', 'An example needs a question.');
  if (!/^(select|with)\b/i.test(sql) || sql.length > MAX_SQL_CHARS) {
    throw new OnchainSqlError('usage', `An example needs the answer's SQL: one SELECT or WITH statement of at most ${MAX_SQL_CHARS.toLocaleString('en-US')} characters.`);
  }
  const kept = loadSavedExamples(file).filter((e) => e.question.trim().toLowerCase() !== question.toLowerCase());
  const next = [...kept, { question, sql }].slice(-MAX_SAVED);
  writeExamples(file, next);
  return next;
}

/** Replaces the file whole (a temporary file renamed over it: a crash leaves the old list). */
function writeExamples(file: string, examples: readonly VerifiedExample[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, examples.map((e) => JSON.stringify({ question: e.question, sql: e.sql })).join('\n') + (examples.length ? '\n' : ''));
  fs.renameSync(tmp, file);
}

/** Removes the saved example for `question` (compared as saveExample compares); returns what is left. */
export function removeExample(file: string, question: string): VerifiedExample[] {
  const key = question.trim().toLowerCase();
  const before = loadSavedExamples(file);
  const next = before.filter((e) => e.question.trim().toLowerCase() !== key);
  if (next.length !== before.length) writeExamples(file, next);
  return next;
}
