/** The part of Engine the answer words need: read-only SELECTs through the guards. */
export interface Probe {
  query(sql: string, options?: { maxRows?: number; timeoutMs?: number }): Promise<{ rows: unknown[][] }>;
}

/** One number from a probe, or undefined when the probe fails (a note is never worth an error). */
export async function probeNumber(probe: Probe, sql: string): Promise<number | undefined> {
  try {
    const r = await probe.query(sql, { maxRows: 1, timeoutMs: 2_000 });
    const v = r.rows[0]?.[0];
    return v === null || v === undefined ? undefined : Number(v);
  } catch {
    return undefined;
  }
}

/** Simple `column = 'text'` conditions (optionally qualified, optionally under upper()/lower()). */
export function equalityFilters(sql: string): Array<{ column: string; value: string }> {
  const out: Array<{ column: string; value: string }> = [];
  const re = /(?:\b(?:upper|lower)\(\s*)?\b(?:[a-z]\w*\.)?([a-z_][a-z_0-9]*)\s*\)?\s*=\s*'((?:[^']|'')*)'/gi;
  for (const m of sql.matchAll(re)) out.push({ column: m[1].toLowerCase(), value: m[2].replace(/''/g, "'") });
  return out;
}
