import type { ChartHint } from '../../answer.js';
import { TABLE_SQL, type Intent, type Measure } from './intent.js';
import { describeTime, timeCondition } from './time.js';

export interface Built {
  sql: string;
  explanation: string;
  chart: ChartHint | null;
}

/** `partition`: a time bucket's expression, so that in a series each group's share is of its own bucket's total. */
function measureSql(m: Measure, q: (s: string) => string, partition = ''): string {
  const col = m.column ? `${q(m.column)}${m.ethPrice ? ' * p.price_usd' : ''}` : '';
  let expr: string;
  switch (m.agg) {
    case 'count': expr = 'count(*)'; break;
    case 'count_distinct': expr = `count(distinct ${col})`; break;
    case 'share':
      expr = m.column
        ? `sum(case when ${q(m.shareCondition!)} then ${col} else 0 end) / sum(${col})`
        : `avg(case when ${q(m.shareCondition!)} then 1.0 else 0.0 end)`;
      break;
    case 'volume_share': {
      const over = partition ? `over (partition by ${partition})` : 'over ()';
      expr = m.column ? `sum(${col}) / sum(sum(${col})) ${over}` : `count(*) / sum(count(*)) ${over}`;
      break;
    }
    case 'raw': expr = col; break;
    default: expr = `${m.agg}(${col})`;
  }
  return m.percent ? `100.0 * ${expr}` : expr;
}

/** The one SQL builder: every intent becomes SELECT … FROM … [JOIN labels] WHERE … GROUP BY … ORDER BY … LIMIT. */
export function buildSql(intent: Intent, lastDay?: string): Built {
  const priced = Boolean(intent.measure?.ethPrice);
  const joined = Boolean(intent.labelJoin) || priced;
  const c = joined ? 't.' : '';
  const q = (s: string) => s.replace(/\{c\}/g, c);
  const from = [
    joined ? `${TABLE_SQL[intent.table]} t` : TABLE_SQL[intent.table],
    intent.labelJoin ? `join labels.addresses l on t.${intent.labelJoin.column} = l.address` : '',
    // The hour's ETH price: an hour with no price has no USD value, so its rows drop out (the explanation says so).
    priced ? `join prices.hourly p on p.symbol = 'ETH' and p.hour = date_trunc('hour', t.${intent.timeColumn})` : '',
  ].filter(Boolean).join(' ');
  const where = intent.filters.map((f) => q(f.sql));
  const timeCol = `${c}${intent.timeColumn}`;
  const tc = timeCondition(intent.time, timeCol);
  if (tc) where.push(tc);
  const whereSql = where.length ? ` where ${where.join(' and ')}` : '';
  const filterWords = intent.filters.map((f) => f.words).filter(Boolean);
  const timeWords = describeTime(intent.time, lastDay);
  const scope = filterWords.length ? ` (${filterWords.join(', ')})` : '';

  if (intent.rows) {
    const r = intent.rows;
    const cols = r.columns.map((x) => (x.includes(' as ') ? q(x.replace(/^(\w+)/, '{c}$1').replace(/\/ (\w+)/, '/ {c}$1')) : `${c}${x}`));
    const tieBreak = r.orderBy === r.columns[0] ? '' : `, ${c}${r.columns[0]}`;
    const sql = `select ${cols.join(', ')} from ${from}${whereSql} order by ${r.orderBy.includes('_utilization') ? r.orderBy : `${c}${r.orderBy}`} ${r.dir}${tieBreak} limit ${r.n}`;
    const what = r.n === 1 ? `the one ${singular(intent.subject)}` : `the ${r.n} ${intent.subject}`;
    if (r.latest) {
      return { sql, explanation: `Lists the ${r.n === 1 ? 'newest' : `${r.n} newest`} ${r.n === 1 ? singular(intent.subject) : intent.subject}${scope} ${timeWords}.`, chart: null };
    }
    if (intent.table === 'prices' && r.orderBy === 'hour') {
      return { sql, explanation: `Shows the latest hourly price in USD${scope} in the snapshot.`, chart: null };
    }
    return {
      sql,
      explanation: `Lists ${what}${scope} with the ${r.dir === 'desc' ? 'highest' : 'lowest'} ${r.orderBy.replace(/_/g, ' ')} ${timeWords}.`,
      chart: null,
    };
  }
  if (intent.series) {
    const cols = intent.series.columns.map((x) => `${c}${x}`);
    const sql = `select ${cols.join(', ')} from ${from}${whereSql} order by ${cols.length === 3 ? '1, 2' : cols[0]}`;
    return {
      sql,
      explanation: `Shows the hourly price in USD${scope} ${timeWords}.`,
      chart: { type: 'line', x: 'hour', y: ['price_usd'], ...(cols.length === 3 ? { series: 'symbol' } : {}) },
    };
  }

  const m = intent.measure!;
  const select: string[] = [];
  if (intent.bucket) select.push(`date_trunc('${intent.bucket}', ${timeCol}) as ${intent.bucket}`);
  for (const d of intent.dims) select.push(q(d.expr).replace(/^t\./, '') === d.alias && !joined ? d.alias : `${q(d.expr)} as ${d.alias}`);
  const keys = select.length;
  const partition = intent.bucket && intent.dims.length ? `date_trunc('${intent.bucket}', ${timeCol})` : '';
  for (const x of [m, ...intent.extraMeasures]) select.push(`${measureSql(x, q, partition)} as ${x.alias}`);
  const groupSql = keys ? ` group by ${range(keys).join(', ')}` : '';
  const order = orderKeys(intent).join(', ');
  let orderSql = '';
  // Ties are broken by the group keys so that the same question always returns the same rows.
  if (intent.rank) orderSql = ` order by ${keys + 1} ${intent.rank.dir}, ${order} limit ${intent.rank.n}`;
  else if (intent.sortByMeasure) orderSql = ` order by ${keys + 1} ${intent.sortByMeasure}${order ? `, ${order}` : ''}`;
  else if (keys) orderSql = ` order by ${order}`;
  let sql = `select ${select.join(', ')} from ${from}${whereSql}${groupSql}${orderSql}`;
  if (m.outer && intent.bucket && !intent.dims.length) {
    sql = `select ${m.outer}(${m.alias}) as ${m.outer}_${m.alias}_per_${intent.bucket} from (select date_trunc('${intent.bucket}', ${timeCol}) as ${intent.bucket}, ${measureSql(m, q)} as ${m.alias} from ${from}${whereSql} group by 1)`;
    return {
      sql,
      explanation: `Computes the ${OUTER_WORDS[m.outer]} of the ${ADVERB[intent.bucket]} ${m.agg === 'count' ? 'number' : m.words.replace(/^total /, 'total ')} of ${intent.subject}${scope} ${timeWords}.`,
      chart: null,
    };
  }

  const shown = intent.dims.filter((d) => !d.orders);
  const groups = [intent.bucket ? `per ${intent.bucket}` : '', ...shown.map((d) => `per ${d.words}`)].filter(Boolean).join(' and ');
  const rankWords = intent.rank
    ? `; keeps the ${intent.rank.n === 1 ? 'one' : `${intent.rank.n}`} with the ${intent.rank.dir === 'desc' ? 'highest' : 'lowest'} value`
    : intent.sortByMeasure ? `, ${intent.sortByMeasure === 'desc' ? 'highest' : 'lowest'} first` : '';
  const beside = intent.extraMeasures.map((x) => `, with the ${x.words}`).join('');
  const explanation = `${verb(m, intent.subject)}${scope}${groups ? ` ${groups}` : ''} ${timeWords}${beside}${rankWords}.`;
  let chart: ChartHint | null = null;
  const ys = [m.alias, ...intent.extraMeasures.map((x) => x.alias)];
  if (intent.bucket && !intent.rank) chart = { type: 'line', x: intent.bucket, y: ys, ...(shown[0] ? { series: shown[0].alias } : {}) };
  else if (intent.bucket) chart = { type: 'bar', x: intent.bucket, y: ys };
  else if (shown.length) chart = { type: 'bar', x: shown[0].alias, y: ys, ...(shown[1] ? { series: shown[1].alias } : {}) };
  return { sql, explanation, chart };
}

const OUTER_WORDS = { avg: 'average', median: 'median', min: 'lowest', max: 'highest' } as const;
const ADVERB = { minute: 'per-minute', hour: 'hourly', day: 'daily', week: 'weekly', month: 'monthly' } as const;

function verb(m: Measure, subject: string): string {
  switch (m.agg) {
    case 'count': return `Counts ${subject}`;
    case 'count_distinct': return `Counts the ${m.words} among ${subject}`;
    case 'sum': return `Adds up the ${m.words.replace(/^total /, '')} of ${subject}`;
    case 'avg': return `Averages the ${m.words.replace(/^average /, '')} of ${subject}`;
    case 'median': return `Finds the median ${m.words.replace(/^median /, '')} of ${subject}`;
    case 'min': return `Finds the ${m.words} of ${subject}`;
    case 'max': return `Finds the ${m.words} of ${subject}`;
    case 'share': case 'volume_share': return `Computes the ${m.words}`;
    case 'raw': return `Shows the ${m.words} of ${subject}`;
  }
}

function singular(s: string): string {
  return s.replace(/s$/, '').replace(/s (in|of)\b/, ' $1');
}

/** The select positions to sort groups by: a dimension with a sort key (weekday name → isodow) sorts by that key. */
function orderKeys(intent: Intent): number[] {
  const first = intent.bucket ? 2 : 1;
  const keys = intent.bucket ? [1] : [];
  intent.dims.forEach((d, i) => {
    if (d.orders) return;
    const key = intent.dims.findIndex((x) => x.orders === d.alias);
    keys.push(first + (key >= 0 ? key : i));
  });
  return keys;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}
