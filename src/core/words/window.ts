/**
 * The time window a statement reads, recovered from its SQL text. Every
 * provider writes windows the way the rules ask (relative to snapshot_time()),
 * so one reading serves the offline translator and the models alike.
 */
export type SqlWindow =
  | { kind: 'last'; n: number; unit: 'minute' | 'hour' | 'day' | 'week' | 'month' }
  | { kind: 'today' }
  | { kind: 'yesterday' }
  /** The whole day N days before the snapshot's last day (N >= 2; 1 is yesterday). */
  | { kind: 'daysAgo'; n: number }
  | { kind: 'calendarWeek' }
  | { kind: 'calendarMonth' };

const UNIT_HOURS = { minute: 1 / 60, hour: 1, day: 24, week: 168, month: 720 } as const;

export function windowOf(sql: string): SqlWindow | undefined {
  const s = sql.toLowerCase().replace(/\s+/g, ' ');
  const last = /snapshot_time\(\) - interval '?(\d+)'? ?(minute|hour|day|week|month)s?\b/.exec(s);
  const dayStart = />= ?date_trunc\('day', snapshot_time\(\)\) - interval '?(\d+)'? ?days?\b/.exec(s);
  if (dayStart) return dayStart[1] === '1' ? { kind: 'yesterday' } : { kind: 'daysAgo', n: Number(dayStart[1]) };
  if (last) return { kind: 'last', n: Number(last[1]), unit: last[2] as 'minute' | 'hour' | 'day' | 'week' | 'month' };
  if (/>= ?date_trunc\('day', snapshot_time\(\)\)/.test(s)) return { kind: 'today' };
  if (/date_trunc\('week', snapshot_time\(\)\)/.test(s)) return { kind: 'calendarWeek' };
  if (/date_trunc\('month', snapshot_time\(\)\)/.test(s)) return { kind: 'calendarMonth' };
  return undefined;
}

/** Words for a window ("in the last 7 days"); empty when the statement reads the whole snapshot. */
export function windowWords(w: SqlWindow | undefined): string {
  if (!w) return 'in the snapshot';
  switch (w.kind) {
    case 'last': return w.n === 1 ? `in the last ${w.unit}` : `in the last ${w.n.toLocaleString('en-US')} ${w.unit}s`;
    case 'today': return 'today';
    case 'yesterday': return 'yesterday';
    case 'daysAgo': return `on the day ${w.n} days before the snapshot's last day`;
    case 'calendarWeek': return 'this calendar week';
    case 'calendarMonth': return 'this calendar month';
  }
}

/** Length of a "last N units" window in hours (others are at most a day or bounded by the snapshot). */
export function windowHours(w: SqlWindow | undefined): number | undefined {
  return w?.kind === 'last' ? w.n * UNIT_HOURS[w.unit] : undefined;
}
