import { isIsoDate, type Word } from './tokenize.js';

/** A time window, always relative to the snapshot's newest block (`snapshot_time()`), never the wall clock. */
export type TimeWindow =
  | { kind: 'last'; n: number; unit: 'minute' | 'hour' | 'day' | 'month' }
  | { kind: 'today' }
  | { kind: 'yesterday' }
  | { kind: 'thisWeek' }
  | { kind: 'thisMonth' }
  | { kind: 'sinceWeekday'; isodow: number }
  | { kind: 'day'; date: DateRef }
  | { kind: 'since'; date: DateRef }
  | { kind: 'before'; date: DateRef }
  | { kind: 'between'; from: DateRef; to: DateRef }
  | { kind: 'all' }
  /** A whole day N days before the snapshot's last day (1 = yesterday). */
  | { kind: 'daysAgo'; n: number }
  /** "the day before": N days earlier than the window of the question it follows. */
  | { kind: 'earlier'; days: number };

/** Words that move the previous question's window back: "and the day before?", "the previous day". */
const EARLIER: Array<{ words: string[]; days: number }> = [
  { words: ['day', 'before'], days: 1 }, { words: ['previous', 'day'], days: 1 }, { words: ['day', 'prior'], days: 1 },
  { words: ['day', 'earlier'], days: 1 }, { words: ['prior', 'day'], days: 1 }, { words: ['preceding', 'day'], days: 1 },
];

/** The window a follow-up's "the day before" means after the window `prev`, or undefined when it has no one day to move. */
export function shiftWindow(prev: TimeWindow | undefined, days: number): TimeWindow | undefined {
  if (!prev) return undefined;
  if (prev.kind === 'today') return days === 1 ? { kind: 'yesterday' } : { kind: 'daysAgo', n: days };
  if (prev.kind === 'yesterday') return { kind: 'daysAgo', n: 1 + days };
  if (prev.kind === 'daysAgo') return { kind: 'daysAgo', n: prev.n + days };
  // "average ETH price on 2025-06-27" then "and the day before that"
  if (prev.kind === 'day' && 'iso' in prev.date) {
    const d = new Date(`${prev.date.iso}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() - days);
    return { kind: 'day', date: { iso: d.toISOString().slice(0, 10) } };
  }
  return undefined;
}

/** How many days before the snapshot's last day a window starts, for windows of whole days counted back from it. */
function daysBack(w: TimeWindow): number | undefined {
  if (w.kind === 'today') return 0;
  if (w.kind === 'yesterday') return 1;
  if (w.kind === 'daysAgo') return w.n;
  return undefined;
}

/** "include yesterday too" after "today": the days of both, when together they run up to the snapshot's last day. */
export function joinWindows(prev: TimeWindow | undefined, cur: TimeWindow): TimeWindow | undefined {
  const a = prev ? daysBack(prev) : undefined;
  const b = daysBack(cur);
  if (a === undefined || b === undefined || Math.min(a, b) !== 0) return undefined;
  return { kind: 'since', date: { daysAgo: Math.max(a, b) } };
}

/**
 * A calendar day: a full ISO date, a month and day in the snapshot's year, a day N days
 * before the snapshot's last day (0 = that day, 1 = yesterday), or the latest day of the
 * month numbered N on or before the snapshot's last day ("since the 25th").
 */
export type DateRef = { iso: string } | { month: number; day: number } | { daysAgo: number } | { dayOfMonth: number } | { weekday: number };

const UNITS: Record<string, 'minute' | 'hour' | 'day' | 'week' | 'fortnight' | 'month'> = {
  fortnight: 'fortnight', fortnights: 'fortnight',
  minute: 'minute', minutes: 'minute', min: 'minute', mins: 'minute',
  hour: 'hour', hours: 'hour', hr: 'hour', hrs: 'hour', h: 'hour',
  day: 'day', days: 'day', d: 'day',
  week: 'week', weeks: 'week', wk: 'week', wks: 'week',
  month: 'month', months: 'month',
};

const MONTHS: Record<string, number> = {
  january: 1, jan: 1, february: 2, feb: 2, march: 3, mar: 3, april: 4, apr: 4, may: 5, june: 6, jun: 6,
  july: 7, jul: 7, august: 8, aug: 8, september: 9, sep: 9, sept: 9, october: 10, oct: 10, november: 11, nov: 11, december: 12, dec: 12,
};

const WEEKDAYS: Record<string, number> = {
  monday: 1, mon: 1, tuesday: 2, tue: 2, tues: 2, wednesday: 3, wed: 3, thursday: 4, thu: 4, thurs: 4, friday: 5, fri: 5, saturday: 6, sat: 6, sunday: 7, sun: 7,
};

const LAST = new Set(['last', 'past', 'previous', 'trailing', 'latest', 'recent', 'prior']);
/**
 * "the whole snapshot", "all time", "overall", "everything we have": no window, which is the whole snapshot
 * (the contract's default). Read only when no other window is named; as a follow-up it removes the previous one.
 */
const WHOLE_SNAPSHOT: string[][] = [
  ['all', 'time'], ['entire', 'history'], ['whole', 'history'], ['overall'], ['everything', 'we', 'have'], ['everything'],
  ...['whole', 'entire', 'full'].flatMap((w) => ['snapshot', 'period', 'dataset', 'data', 'range', 'time'].map((x) => [w, x])),
  ['all', 'data'], ['all', 'the', 'data'], ['all', 'of', 'the', 'data'], ['all', 'available', 'data'], ['whole', 'thing'],
  ...['since', 'from'].flatMap((w) => [[w, 'the', 'beginning'], [w, 'the', 'start']]),
  ...['time', 'date'].flatMap((x) => [['no', x, 'filter'], ['no', x, 'limit'], ['no', x, 'window'], ['without', 'a', x, 'filter'], ['without', 'the', x, 'filter'],
    ['without', x, 'filter'], ['drop', 'the', x, 'filter'], ['remove', 'the', x, 'filter']]),
];

const WHOLE_WORDS = new Set(['whole', 'full', 'entire']);
/** "over the week", "for the whole week": a week-long window after one of these. */
const WEEK_LEAD = new Set(['over', 'for', 'during', 'across', 'throughout', 'in']);

const LEAD = new Set(['in', 'over', 'during', 'within', 'for', 'the', 'of', 'from', 'across', 'throughout']);

export interface TimeMatch {
  window: TimeWindow;
  /** Indexes of the words the expression used. */
  used: number[];
}

function count(w: Word | undefined): number | undefined {
  if (!w) return undefined;
  if (/^\d+$/.test(w.text)) return Number(w.text);
  if (w.text === 'one' || w.text === 'a' || w.text === 'an') return 1;
  return undefined;
}

/** Words that may follow a bare day of the month ("since the 25th", "since the 3rd of this month"). */
const AFTER_DAY_OF_MONTH = new Set(['and', 'to', 'until', 'till', 'through', 'by', 'per', 'in', 'on', 'for', 'with', 'of']);

/** Days that are named relative to the snapshot's last day: "yesterday", "the day before yesterday", "today". */
function relativeDay(words: Word[], i: number): { date: DateRef; len: number } | undefined {
  const t = (k: number) => words[k]?.text;
  if (t(i) === 'yesterday') return { date: { daysAgo: 1 }, len: 1 };
  // "Monday", "last Tuesday": the most recent one on or before the snapshot's last day
  const wdAt = t(i) === 'last' || t(i) === 'past' || t(i) === 'this' ? i + 1 : i;
  if (WEEKDAYS[t(wdAt) ?? '']) return { date: { weekday: WEEKDAYS[t(wdAt) ?? ''] }, len: wdAt + 1 - i };
  if (t(i) === 'today') return { date: { daysAgo: 0 }, len: 1 };
  const at = t(i) === 'the' ? i + 1 : i;
  if (t(at) === 'day' && t(at + 1) === 'before' && t(at + 2) === 'yesterday') return { date: { daysAgo: 2 }, len: at + 3 - i };
  return undefined;
}

/** "the 25th" after since/before/on/between: a day of the month (the ordinal suffix is gone by now). */
function dayOfMonth(words: Word[], i: number): { date: DateRef; len: number } | undefined {
  const at = words[i]?.text === 'the' ? i + 1 : i;
  const n = /^\d{1,2}$/.test(words[at]?.text ?? '') ? Number(words[at].text) : 0;
  if (n < 1 || n > 31) return undefined;
  const next = words[at + 1]?.text;
  if (next !== undefined && !AFTER_DAY_OF_MONTH.has(next)) return undefined;
  // "the 3rd of this month": the month words say nothing more
  const ofMonth = next === 'of' && (words[at + 2]?.text === 'this' || words[at + 2]?.text === 'the') && words[at + 3]?.text === 'month';
  if (next === 'of' && !ofMonth) return undefined;
  return { date: { dayOfMonth: n }, len: at + 1 - i + (ofMonth ? 3 : 0) };
}

/** A date after a word that anchors one (since, before, on, between): also relative days and days of the month. */
function anchoredDate(words: Word[], i: number): { date: DateRef; len: number } | undefined {
  return parseDate(words, i) ?? relativeDay(words, i) ?? dayOfMonth(words, i);
}

function parseDate(words: Word[], i: number): { date: DateRef; len: number } | undefined {
  const w = words[i];
  if (!w) return undefined;
  if (isIsoDate(w.text)) return { date: { iso: w.text }, len: 1 };
  const m1 = MONTHS[w.text];
  const d1 = words[i + 1] && /^\d{1,2}$/.test(words[i + 1].text) ? Number(words[i + 1].text) : undefined;
  if (m1 && d1 && d1 >= 1 && d1 <= 31) {
    const y = words[i + 2] && /^\d{4}$/.test(words[i + 2].text) ? words[i + 2].text : undefined;
    return y ? { date: { iso: `${y}-${pad(m1)}-${pad(d1)}` }, len: 3 } : { date: { month: m1, day: d1 }, len: 2 };
  }
  const d0 = /^\d{1,2}$/.test(w.text) ? Number(w.text) : undefined;
  const m0 = words[i + 1] ? MONTHS[words[i + 1].text] : undefined;
  if (d0 && m0 && d0 >= 1 && d0 <= 31) {
    const y = words[i + 2] && /^\d{4}$/.test(words[i + 2].text) ? words[i + 2].text : undefined;
    return y ? { date: { iso: `${y}-${pad(m0)}-${pad(d0)}` }, len: 3 } : { date: { month: m0, day: d0 }, len: 2 };
  }
  return undefined;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * Finds the first time expression in the words. Returns undefined when there is
 * none; the caller treats leftover time-like words (a lone "week") as unknown.
 */
export function extractTime(words: Word[]): TimeMatch | undefined {
  const found = firstWindow(words);
  if (!found) return undefined;
  // "over all the data, not just today": the window after "not just" is the one replaced; its words go, another is read
  const start = Math.min(...found.used);
  const t = (i: number) => words[i]?.text;
  const negation = (t(start - 2) === 'not' && (t(start - 1) === 'just' || t(start - 1) === 'only')) || (t(start - 2) === 'instead' && t(start - 1) === 'of')
    || (t(start - 2) === 'rather' && t(start - 1) === 'than') ? 2 : t(start - 1) === 'not' ? 1 : 0;
  if (!negation) return found;
  const replaced = [...Array.from({ length: negation }, (_, k) => start - negation + k), ...found.used];
  const rest = extractTime(words.map((w, i) => (replaced.includes(i) ? { text: '', raw: '' } : w)));
  return rest ? { window: rest.window, used: [...rest.used, ...replaced] } : undefined;
}

/** The first window the words name, or the whole snapshot, or a bare duration ("48h"), in that order. */
function firstWindow(words: Word[]): TimeMatch | undefined {
  const t = (i: number) => words[i]?.text;
  let whole: TimeMatch | undefined;
  let bare: TimeMatch | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = t(i);
    if (w === 'day' && t(i + 1) === 'before' && t(i + 2) === 'yesterday') {
      const from = t(i - 1) === 'the' ? i - 1 : i;
      return { window: { kind: 'daysAgo', n: 2 }, used: Array.from({ length: i + 3 - from }, (_, k) => from + k) };
    }
    const earlier = EARLIER.find((e) => e.words.every((x, k) => t(i + k) === x));
    if (earlier) {
      const start = t(i - 1) === 'the' ? i - 1 : i;
      return { window: { kind: 'earlier', days: earlier.days }, used: Array.from({ length: i + earlier.words.length - start }, (_, k) => start + k) };
    }
    const leadStart = (k: number) => {
      let s = k;
      while (s > 0 && LEAD.has(t(s - 1))) s--;
      return s;
    };
    const range = (a: number, b: number) => Array.from({ length: b - a }, (_, k) => a + k);

    if (LAST.has(w)) {
      const n = count(words[i + 1]);
      // "the last couple of days"
      const unitAt = n !== undefined ? (t(i + 2) === 'of' && UNITS[t(i + 3) ?? ''] ? i + 3 : i + 2) : i + 1;
      const unit = UNITS[t(unitAt) ?? ''];
      if (unit) return { window: lastWindow(n ?? 1, unit), used: range(leadStart(i), unitAt + 1) };
    }
    if ((w === 'in' || w === 'over' || w === 'within' || w === 'during' || w === 'for' || w === 'past') && count(words[i + 1]) !== undefined) {
      const unit = UNITS[t(i + 2) ?? ''];
      if (unit) return { window: lastWindow(count(words[i + 1])!, unit), used: range(leadStart(i), i + 3) };
    }
    if (count(words[i]) !== undefined && UNITS[t(i + 1) ?? ''] && t(i + 2) === 'ago') {
      // "since 3 days ago"
      return { window: lastWindow(count(words[i])!, UNITS[t(i + 1)]), used: range(t(i - 1) === 'since' ? i - 1 : i, i + 3) };
    }
    if (w === 'today' || (w === 'this' && t(i + 1) === 'day')) {
      const end = w === 'today' ? i + 1 : i + 2;
      const extra = t(end) === 'so' && t(end + 1) === 'far' ? 2 : 0;
      return { window: { kind: 'today' }, used: range(t(i - 1) === 'far' && t(i - 2) === 'so' ? i - 2 : leadStart(i), end + extra) };
    }
    if ((w === 'since' || w === 'after') && t(i + 1) === 'midnight') return { window: { kind: 'today' }, used: range(i, i + 2) };
    if (w === 'yesterday') return { window: { kind: 'yesterday' }, used: range(leadStart(i), i + 1) };
    // "over the week", "the whole week", "for the full week": the last seven days, not a weekly bucket
    if (w === 'the' && WEEK_LEAD.has(t(i - 1) ?? '')) {
      const k = WHOLE_WORDS.has(t(i + 1) ?? '') ? i + 2 : i + 1;
      if (t(k) === 'week') return { window: lastWindow(1, 'week'), used: range(i - 1, k + 1) };
    }
    if (w === 'this' && t(i + 1) === 'week') return { window: { kind: 'thisWeek' }, used: range(t(i - 1) === 'far' && t(i - 2) === 'so' ? i - 2 : leadStart(i), i + 2) };
    if (w === 'week' && t(i + 1) === 'to' && t(i + 2) === 'date') return { window: { kind: 'thisWeek' }, used: range(leadStart(i), i + 3) };
    if (w === 'this' && t(i + 1) === 'month') return { window: { kind: 'thisMonth' }, used: range(leadStart(i), i + 2) };
    if (w === 'since' || w === 'after' || w === 'from') {
      // "since Monday", "since last Monday": the most recent one on or before the snapshot's last day
      const wdAt = t(i + 1) === 'last' || t(i + 1) === 'this' || t(i + 1) === 'past' ? i + 2 : i + 1;
      const wd = WEEKDAYS[t(wdAt) ?? ''];
      if (wd && w !== 'from') return { window: wd === 1 ? { kind: 'thisWeek' } : { kind: 'sinceWeekday', isodow: wd }, used: range(i, wdAt + 1) };
      const start = startOf(words, i + 1);
      if (start && w !== 'from') return { window: start.window, used: range(i, i + 1 + start.len) };
      const d = anchoredDate(words, i + 1);
      if (d) {
        const j = i + 1 + d.len;
        if ((t(j) === 'to' || t(j) === 'until' || t(j) === 'through' || t(j) === 'and') && anchoredDate(words, j + 1)) {
          const d2 = anchoredDate(words, j + 1)!;
          return { window: { kind: 'between', from: d.date, to: d2.date }, used: range(i, j + 1 + d2.len) };
        }
        if (w !== 'from') return { window: { kind: 'since', date: d.date }, used: range(i, j) };
      }
    }
    if (w === 'between') {
      const d = anchoredDate(words, i + 1);
      if (d && t(i + 1 + d.len) === 'and') {
        const d2 = anchoredDate(words, i + 2 + d.len);
        if (d2) return { window: { kind: 'between', from: d.date, to: d2.date }, used: range(i, i + 2 + d.len + d2.len) };
      }
    }
    if (w === 'before' || w === 'until') {
      const d = anchoredDate(words, i + 1);
      if (d) return { window: { kind: 'before', date: d.date }, used: range(i, i + 1 + d.len) };
    }
    if (w === 'on' || (LAST.has(w) && WEEKDAYS[t(i + 1) ?? ''])) {
      // "on the 3rd", "on Monday", "last Tuesday"
      const dm = w === 'on' ? dayOfMonth(words, i + 1) ?? relativeDay(words, i + 1) : relativeDay(words, i);
      if (dm) return { window: { kind: 'day', date: dm.date }, used: range(i, (w === 'on' ? i + 1 : i) + dm.len) };
    }
    const d = parseDate(words, i);
    if (d) return { window: { kind: 'day', date: d.date }, used: range(leadStart(i), i + d.len) };
    const all = whole ? undefined : WHOLE_SNAPSHOT.find((p) => p.every((x, k) => t(i + k) === x));
    if (all) whole = { window: { kind: 'all' }, used: range(leadStart(i), i + all.length) };
    // "stretch that to 48h", "make it 3 days": a duration alone is the last one of that length
    const n = /^\d+$/.test(w ?? '') ? Number(w) : undefined;
    // ("which 5 hours of the day": hours of the day, not a window)
    if (!bare && n && UNITS[t(i + 1) ?? ''] && !BEFORE_BARE_DURATION.has(t(i - 1) ?? '') && t(i + 2) !== 'ago' && t(i + 2) !== 'of') {
      bare = { window: lastWindow(n, UNITS[t(i + 1)]), used: range(t(i - 1) === 'to' ? i - 1 : leadStart(i), i + 2) };
    }
  }
  return whole ?? bare;
}

/** Words after which "N hours" is no window: "every 3 hours", "per 2 days", "blocks older than 5 days". */
const BEFORE_BARE_DURATION = new Set(['every', 'per', 'each', 'than', 'by', 'a', 'an', 'first', 'which', 'what', 'top', 'the', 'those', 'these', 'busiest', 'quietest', 'worst', 'best']);

/** "the start of the day", "the beginning of this week", "this morning": the start of a calendar period. */
function startOf(words: Word[], i: number): { window: TimeWindow; len: number } | undefined {
  const t = (k: number) => words[k]?.text;
  if (t(i) === 'this' && t(i + 1) === 'morning') return { window: { kind: 'today' }, len: 2 };
  let k = t(i) === 'the' ? i + 1 : i;
  if (t(k) !== 'start' && t(k) !== 'beginning') return undefined;
  k++;
  if (t(k) !== 'of') return undefined;
  k++;
  if (t(k) === 'the' || t(k) === 'this') k++;
  const period = t(k) === 'today' || t(k) === 'day' ? 'today' : t(k) === 'week' ? 'thisWeek' : t(k) === 'month' ? 'thisMonth' : undefined;
  return period ? { window: { kind: period }, len: k + 1 - i } : undefined;
}

function lastWindow(n: number, unit: 'minute' | 'hour' | 'day' | 'week' | 'fortnight' | 'month'): TimeWindow {
  // Weeks as days, as the reference answers write them ("interval 7 day").
  if (unit === 'week' || unit === 'fortnight') return { kind: 'last', n: n * (unit === 'week' ? 7 : 14), unit: 'day' };
  return { kind: 'last', n, unit };
}

function dateExpr(d: DateRef): string {
  if ('iso' in d) return `TIMESTAMP '${d.iso}'`;
  if ('daysAgo' in d) return d.daysAgo ? `date_trunc('day', snapshot_time()) - interval ${d.daysAgo} day` : "date_trunc('day', snapshot_time())";
  if ('weekday' in d) return `(date_trunc('day', snapshot_time()) - to_days(CAST((isodow(snapshot_time()) - ${d.weekday} + 7) % 7 AS INTEGER)))`;
  if ('dayOfMonth' in d) {
    // The latest such day on or before the snapshot's last day: this month's, or else last month's.
    const month = "date_trunc('month', snapshot_time())";
    return `(${month} - (CASE WHEN day(snapshot_time()) >= ${d.dayOfMonth} THEN interval 0 month ELSE interval 1 month END) + interval ${d.dayOfMonth - 1} day)`;
  }
  return `make_date(year(snapshot_time()), ${d.month}, ${d.day})::TIMESTAMP`;
}

/** The WHERE condition for a window over column `col`, or null for all data. */
export function timeCondition(w: TimeWindow | undefined, col: string): string | null {
  if (!w) return null;
  const start = "date_trunc('day', snapshot_time())";
  switch (w.kind) {
    case 'last': return `${col} > snapshot_time() - interval ${w.n} ${w.unit}`;
    case 'today': return `${col} >= ${start}`;
    case 'yesterday': return `${col} >= ${start} - interval 1 day and ${col} < ${start}`;
    case 'thisWeek': return `${col} >= date_trunc('week', snapshot_time())`;
    case 'thisMonth': return `${col} >= date_trunc('month', snapshot_time())`;
    case 'sinceWeekday': return `${col} >= ${start} - to_days(CAST((isodow(snapshot_time()) - ${w.isodow} + 7) % 7 AS INTEGER))`;
    case 'day': return `${col} >= ${dateExpr(w.date)} and ${col} < ${dateExpr(w.date)} + interval 1 day`;
    case 'since': return `${col} >= ${dateExpr(w.date)}`;
    case 'before': return `${col} < ${dateExpr(w.date)}`;
    case 'between': return `${col} >= ${dateExpr(w.from)} and ${col} < ${dateExpr(w.to)} + interval 1 day`;
    case 'all': return null;
    case 'daysAgo': return `${col} >= ${start} - interval ${w.n} day and ${col} < ${start} - interval ${w.n - 1} day`;
    case 'earlier': return null;
  }
}

const WEEKDAY_NAMES = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTH_NAMES = ['', 'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function dateWords(d: DateRef): string {
  if ('iso' in d) return d.iso;
  if ('daysAgo' in d) return d.daysAgo === 0 ? "the start of the snapshot's last day" : d.daysAgo === 1 ? "the start of the day before the snapshot's last day" : `the start of the day ${d.daysAgo} days before the snapshot's last day`;
  if ('weekday' in d) return `${WEEKDAY_NAMES[d.weekday]} (the latest on or before the snapshot's last day)`;
  if ('dayOfMonth' in d) return `the ${ordinal(d.dayOfMonth)} (the latest on or before the snapshot's last day)`;
  return `${MONTH_NAMES[d.month]} ${d.day}`;
}

function ordinal(n: number): string {
  const suffix = n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

/** Plain words for the explanation; `lastDay` is the snapshot's newest day when known. */
export function describeTime(w: TimeWindow | undefined, lastDay?: string): string {
  const day = lastDay ? ` (${lastDay} UTC)` : '';
  if (!w || w.kind === 'all') return 'over all the data in the snapshot';
  switch (w.kind) {
    case 'last': return `in the last ${w.n === 1 ? '' : `${w.n} `}${w.unit}${w.n === 1 ? '' : 's'} before the snapshot's newest block`;
    case 'today': return `since the start of the snapshot's last day${day}`;
    case 'yesterday': return `on the day before the snapshot's last day${day}`;
    case 'thisWeek': return "since the start of the snapshot's last week (Monday)";
    case 'thisMonth': return "since the start of the snapshot's last month";
    case 'sinceWeekday': return `since the snapshot's most recent ${WEEKDAY_NAMES[w.isodow]}`;
    case 'day': return `on ${dateWords(w.date)} (UTC)`;
    case 'since': return `since ${dateWords(w.date)} (UTC)`;
    case 'before': return `before ${dateWords(w.date)} (UTC)`;
    case 'between': return `from ${dateWords(w.from)} through ${dateWords(w.to)} (UTC)`;
    case 'daysAgo': return `on the day ${w.n} days before the snapshot's last day${day}`;
    case 'earlier': return `${w.days} day${w.days === 1 ? '' : 's'} earlier`;
  }
}
