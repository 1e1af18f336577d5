import { OnchainSqlError } from '../errors.js';
import policy from './allowed-functions.json';
import { asciiLower } from './sql-text.js';
import { editDistance } from './suggest.js';
import hints from './name-hints.json';

/**
 * The function allow-list (allowed-functions.json): a function a query calls
 * must be listed for the position it is called in, or it is refused by name
 * with the nearest listed one. Nothing is allowed by default.
 */

/** Where a call sits in DuckDB's parse tree. */
export type CallPosition = 'scalar' | 'window' | 'table';
type Position = 'scalar' | 'aggregate' | 'window' | 'table';

interface Family {
  reason: string;
  positions: Position[];
  functions: string[];
}

const FAMILIES: Record<string, Family> = policy.families as Record<string, Family>;
const REFUSAL_REASONS = policy.refusalReasons.map((r) => ({ pattern: new RegExp(r.pattern), reason: r.reason }));

/** Which families list each name (a name such as `range` is in more than one). */
const LISTED = new Map<string, Family[]>();
for (const family of Object.values(FAMILIES)) {
  for (const name of family.functions) LISTED.set(asciiLower(name), [...(LISTED.get(asciiLower(name)) ?? []), family]);
}

/** A plain call may be a scalar or an aggregate; OVER (…) takes an aggregate or a window function. */
const ACCEPTS: Record<CallPosition, Position[]> = { scalar: ['scalar', 'aggregate'], window: ['aggregate', 'window'], table: ['table'] };

function allowedIn(position: CallPosition): string[] {
  const accepted = ACCEPTS[position];
  return Object.values(FAMILIES).filter((f) => f.positions.some((p) => accepted.includes(p))).flatMap((f) => f.functions);
}
const ALLOWED_BY_POSITION: Record<CallPosition, string[]> = { scalar: allowedIn('scalar'), window: allowedIn('window'), table: allowedIn('table') };

export function isAllowedFunction(name: string, position: CallPosition): boolean {
  const families = LISTED.get(asciiLower(name)) ?? [];
  return families.some((f) => f.positions.some((p) => ACCEPTS[position].includes(p)));
}

/** A function the allow-list holds as an aggregate (sum, count_star, string_agg, …). */
export function isAggregateFunction(name: string): boolean {
  return (LISTED.get(asciiLower(name)) ?? []).some((f) => f.positions.includes('aggregate'));
}

/** Refuses a call to a function that the allow-list does not hold for this position. */
export function checkFunction(name: string, position: CallPosition): void {
  if (isAllowedFunction(name, position)) return;
  const n = asciiLower(name);
  const shown = JSON.stringify(name).slice(1, -1);
  const near = nearestAllowed(n, position);
  const suggestion = near ? ` The nearest allowed ${position === 'table' ? 'table function' : 'function'} is ${near}().` : '';
  const listedElsewhere = LISTED.has(n);
  let why: string;
  if (listedElsewhere) {
    why = position === 'table'
      ? `it is not a table function a query may read from; the only ones are ${ALLOWED_BY_POSITION.table.join(', ')}`
      : position === 'window' ? 'it is not an aggregate or window function' : 'it is a window function: use it with OVER (…)';
  } else {
    why = REFUSAL_REASONS.find((r) => r.pattern.test(n))?.reason ?? 'it is not on the list of functions a query may call';
  }
  const kind = position === 'table' ? 'Table function' : 'Function';
  const odd = [...name].filter((c) => c.charCodeAt(0) > 0x7f).map((c) => `${c} (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`);
  const oddNote = odd.length ? ` Its name contains ${odd.slice(0, 3).join(', ')}: write function names in plain ASCII.` : '';
  throw new OnchainSqlError('forbidden_function', `${kind} ${shown}() is not allowed: ${why}.${suggestion}${oddNote}`, near ? [`${near}()`] : []);
}

const FUNCTION_HINTS: Record<string, string> = hints.functions;

/**
 * The allowed name nearest to `name`: a name models borrow from other SQL
 * dialects (name-hints.json, `nvl` → `coalesce`), else by edit distance, ties to the shorter name.
 */
function nearestAllowed(name: string, position: CallPosition): string | undefined {
  const hinted = FUNCTION_HINTS[name];
  if (hinted && isAllowedFunction(hinted, position)) return hinted;
  let best: { name: string; d: number } | undefined;
  for (const candidate of ALLOWED_BY_POSITION[position]) {
    if (!/^[a-z]/i.test(candidate)) continue;
    const d = editDistance(name, asciiLower(candidate));
    if (!best || d < best.d || (d === best.d && candidate.length < best.name.length)) best = { name: candidate, d };
  }
  return best?.name;
}

/** The families, for documentation and tests: name, reason, and what they hold. */
export function functionFamilies(): Array<{ family: string } & Family> {
  return Object.entries(FAMILIES).map(([family, f]) => ({ family, ...f }));
}
