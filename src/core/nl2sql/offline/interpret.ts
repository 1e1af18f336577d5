import { DIMENSIONS, ROW_NOUNS, type AggWord, type Cond, type Field, type Frame, type Noun } from './frame.js';
import type { Aggregate, Dimension, Filter, Intent, Measure, Table } from './intent.js';
import { labelShare, labelShareWanted } from './label-share.js';
import tables from './tables.json';
import rules from './rules.json';
import { fill, firstRule, type Facts, type When } from './rules.js';
import { sqlString } from '../../sql/literal.js';

/** Thrown when the frame does not determine one answer; carries why, for the message and suggestions. */
export class Decline extends Error {
  /** The frame that was declined (for suggestions near it). */
  frame?: Frame;

  constructor(readonly reason: string) {
    super(reason);
  }
}

/** Meaning rule: a token named by symbol is matched case-insensitively (upper(symbol) = 'USDC'). */
function symbolMatch(values: string[]): string {
  const upper = [...new Set(values.map((v) => v.toUpperCase()))];
  return upper.length === 1 ? `upper({c}symbol) = ${sqlString(upper[0])}` : `upper({c}symbol) in (${upper.map(sqlString).join(', ')})`;
}

function inList(column: string, values: string[]): string {
  return values.length === 1 ? `{c}${column} = ${sqlString(values[0])}` : `{c}${column} in (${values.map(sqlString).join(', ')})`;
}

function has<T>(list: readonly T[], ...values: T[]): boolean {
  return values.some((v) => list.includes(v));
}

/** Frame slots a rule may name that a frame may leave out (rules.ts refuses a slot name it does not know). */
const OPTIONAL_SLOTS = { time: undefined, pair: undefined, bucket: undefined, cyclic: undefined, rank: undefined, threshold: undefined, superlative: undefined, keepTarget: undefined };

/** The question's slots for the rules: its frame plus facts derived from it. */
export function frameFacts(f: Frame, more: Facts = {}): Facts {
  const erc20Tokens = f.tokens.filter((t) => t !== 'ETH');
  return { ...OPTIONAL_SLOTS, ...f, erc20Tokens, oneErc20Token: erc20Tokens.length === 1, ...more };
}

const TABLE_RULES = rules.table as unknown as ReadonlyArray<{ when?: When; table: Table }>;

/** The table a question's words point at (a follow-up that names the same one refines the answer). */
export function chooseTable(f: Frame): Table {
  return firstRule(TABLE_RULES, frameFacts(f))!.table;
}

interface TableSpec {
  rowNoun: string;
  timeColumn: string;
  /** Semantic field → column, with the default aggregate when the question names none. */
  fields: Partial<Record<Field, { column: string; agg: Aggregate; words: string }>>;
  /** The columns a row of the table is shown by. */
  rowColumns: string[];
  /** The columns of a row listing ("the largest transfers"); none for tables whose rows are not ranked. */
  listColumns?: string[];
  /** Column a row listing orders by, before the named field and `defaultRowOrder`: the first rule that holds. */
  rowOrder?: Array<{ when?: When; column: string }>;
  /** Column a row listing orders by when the question names no field. */
  defaultRowOrder?: string;
  /** Newest rows ("the latest blocks"): their order, columns added always and when no field is named. */
  latest?: { orderBy: string; append?: string[]; withoutField?: string[] };
  /** The row noun as the question says it ("transfer"), for a ranking of rows. */
  rowNounWord?: Noun;
  /** Output name of a row count. */
  countAlias?: string;
}

const SPECS = (tables as unknown as { tables: Record<Table, TableSpec> }).tables;
/** Noun → table → the column it groups by (tables.json). */
const DIMENSION_TABLE = (tables as unknown as { dimensions: Partial<Record<Noun, Partial<Record<Table, Dimension>>>> }).dimensions;
const CONDITIONS = (tables as unknown as { conditions: Record<string, Filter> }).conditions;
/** "hour of the day", "day of the week" → the dimensions that group by it (tables.json). */
const CYCLIC = (tables as unknown as { cyclic: Record<NonNullable<Frame['cyclic']>, Dimension[]> }).cyclic;
/** Mints and burns: transfers from and to the zero address (also what "the zero address" means with a direction). */
const TRANSFER_CONDITIONS = (tables as unknown as { transferConditions: Record<'mint' | 'burn' | 'priced', Filter> }).transferConditions;
const AUTO_BUCKET_RULES = rules.autoBucket as unknown as ReadonlyArray<{ when?: When; bucket: Intent['bucket'] }>;

/** The column a dimension noun means in a table (address direction from the question's verbs). */
function dimension(noun: Noun, table: Table, f: Frame): Dimension {
  const found = DIMENSION_TABLE[noun]?.[table];
  if (!found) throw new Decline(`I don't know how to group ${SPECS[table].rowNoun} by ${noun}`);
  // What a table cannot say: an address's side follows the verbs ("received" → to), a DEX token its side ("sold").
  if (noun === 'address' && (table === 'transactions' || table === 'transfers') && f.dirs.includes('to') && !f.dirs.includes('from')) {
    return { expr: '{c}to_address', alias: 'to_address', words: 'receiving address' };
  }
  if (noun === 'token' && table === 'trades' && f.sides.includes('sold')) return { expr: '{c}token_sold_symbol', alias: 'token_sold_symbol', words: 'token sold' };
  return { ...found };
}

const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';

/** Nouns that name who acted: "who" asks for one of them. */
const ROLES: ReadonlySet<Noun> = new Set<Noun>(['address', 'sender', 'receiver', 'trader', 'miner']);

/** Which dimension is being ranked ("top 10 senders", "which pool"): the first dimension noun not already a GROUP BY. */
export function rankTarget(f: Frame): Noun | undefined {
  if (f.keepTarget && f.nouns.includes(f.keepTarget) && !f.groupBy.includes(f.keepTarget) && (f.rank || f.which || f.superlative)) return f.keepTarget;
  const dims = f.nouns.filter((n) => DIMENSIONS.has(n) && !f.groupBy.includes(n) && !(n === 'contract' && f.conds.includes('created')));
  // "top tokens by number of transfers": token is a dimension; "token pair" already became pair.
  // "who were the top receivers": the role (receiver, sender, trader) says more than "who" (an address)
  // "who sent it? group by sender": "who" is already the grouped role
  const roleGrouped = f.groupBy.some((n) => ROLES.has(n));
  const candidate = dims.find((n) => n !== 'address' && n !== 'token') ?? dims.find((n) => (n !== 'token' || !f.tokens.length) && !(n === 'address' && roleGrouped));
  if (candidate) return candidate;
  // "the 5 largest ETH transfers to bridges": a category filters the listed rows; it ranks its members otherwise
  // ("the largest single WETH transfer", "the 5 biggest transfers" then "only ones to bridges": rows, not bridges)
  const listsRows = f.superRow || (Boolean(f.superlative) && f.nouns.some((n) => ROW_NOUNS.has(n)));
  if (f.categories.length && (f.which || (f.rank && !listsRows))) return 'entity';
  // "which DEX had the highest volume", "top DEXes": the project
  if (f.dex && (f.which || f.rank) && !f.projects.length && !f.bucket && !f.cyclic && !f.groupBy.includes('project')) return 'project';
  return undefined;
}

export function interpret(f: Frame): Intent {
  if (f.time?.kind === 'earlier') throw new Decline('"the day before" what? Ask about one day first (today, yesterday), then for the day before');
  if (f.unknown.length) throw new Decline(`I don't know the word${f.unknown.length > 1 ? 's' : ''} ${f.unknown.map((w) => `"${w}"`).join(', ')}`);
  if (f.unsupported.length) throw new Decline(`"${f.unsupported[0]}" is not something I can compute offline`);
  const recognised = f.nouns.length + f.fields.length + f.aggs.length + f.conds.length + f.tokens.length + f.projects.length
    + f.categories.length + f.entities.length + (f.pair ? 1 : 0) + (f.dex ? 1 : 0) + f.verbs.length + f.versions.length;
  if (!recognised) throw new Decline("I didn't recognise anything to measure in the question");
  // A token, project or "how many" alone names no subject: ask rather than guess one.
  const amountOfToken = f.tokens.length > 0 && f.aggs.some((a) => a === 'sum' || a === 'avg' || a === 'median' || a === 'min' || a === 'max');
  const subject = f.nouns.length + f.fields.length + f.conds.length + f.verbs.length + f.categories.length + (f.dex ? 1 : 0) + (f.dirs.length && f.entities.length ? 1 : 0) + (f.cyclic ? 1 : 0) + (f.threshold ? 1 : 0) + (amountOfToken ? 1 : 0);
  if (!subject) {
    const named = [...f.tokens, ...f.projects, ...(f.pair ? [f.pair] : [])];
    throw new Decline(named.length ? `what do you want to know about ${named.join(' and ')}? (transfers, volume, price, trades…)` : 'of what? Name transactions, blocks, transfers, trades, prices or fees');
  }

  checkWindow(f);
  const table = chooseTable(f);
  const spec = SPECS[table];
  if (table === 'transactions' && f.fields.includes('volume') && !f.tokens.length && !has(f.nouns, 'transaction')) {
    throw new Decline('"volume" of what? Say DEX volume, ETH transfer volume, or a token\'s transfer volume');
  }
  const intent: Intent = { table, subject: spec.rowNoun, filters: [], dims: [], extraMeasures: [], time: f.time, timeColumn: spec.timeColumn };
  if (f.bucket && f.bucket !== 'auto') intent.bucket = f.bucket;
  if (f.bucket === 'auto') {
    const timeFacts = { timeKind: f.time?.kind, timeUnit: f.time?.kind === 'last' ? f.time.unit : undefined };
    intent.bucket = firstRule(AUTO_BUCKET_RULES, frameFacts(f, timeFacts))!.bucket;
  }

  addFilters(intent, f);
  if (f.threshold) intent.filters.push(thresholdFilter(table, f));

  // Grouping dimensions: explicit "by X", plus comparisons ("v2 versus v3", "USDC and USDT").
  for (const g of f.groupBy) intent.dims.push(dimension(g, table, f));
  if (f.versions.length > 1 && table === 'trades') pushDim(intent, dimension('version', table, f));
  if (f.projects.length > 1) pushDim(intent, dimension('project', table, f));
  if (f.tokens.length > 1 && (table === 'transfers' || table === 'prices')) pushDim(intent, dimension('token', table, f));
  if (f.categories.length > 1 && intent.labelJoin) pushDim(intent, dimension('category', table, f));
  // "compare uniswap versions by volume": a comparison across a named dimension
  if (f.versus && !f.rank && !f.which && !f.superlative) {
    for (const n of f.nouns) if (DIMENSIONS.has(n) && f.pluralNouns.includes(n) && !f.groupBy.includes(n)) pushDim(intent, dimension(n, table, f));
  }
  if (f.cyclic) intent.dims.unshift(...CYCLIC[f.cyclic].map((d) => ({ ...d, expr: d.expr.replace('{time}', `{c}${spec.timeColumn}`) })));

  if (intent.dims.some((d) => d.expr.startsWith('l.')) && !intent.labelJoin) {
    intent.labelJoin = { column: f.dirs.includes('from') && !f.dirs.includes('to') ? 'from_address' : 'to_address' };
  }
  if (f.aggs.includes('latest') && table !== 'prices' && !intent.dims.length && !intent.bucket) return latestRows(intent, f);
  const target = rankTarget(f);
  const ranking = Boolean(f.rank || f.which || f.superlative || f.when);
  if (f.superRow && !f.aggs.length && !intent.dims.length && !intent.bucket && table !== 'prices') return rowListing(intent, f);
  // "top tokens by number of distinct senders": the distinct count is of another noun, so the target stays ranked
  const distinctOfTarget = f.aggs.includes('distinct') && !f.nouns.some((n) => n !== target && ROLES.has(n));
  if (ranking && target && !(distinctOfTarget || (f.aggs.includes('count') && !f.rank && !f.which && !f.superlative))) {
    intent.dims.push(dimension(target, table, f));
    if (intent.dims.some((d) => d.expr.startsWith('l.')) && !intent.labelJoin) {
      intent.labelJoin = { column: f.dirs.includes('from') && !f.dirs.includes('to') ? 'from_address' : 'to_address' };
    }
    setMeasures(intent, f, true);
    const dir = f.rank?.dir ?? f.superlative ?? 'desc';
    // "which bridges received the most": every one of them, most first; "top senders": ten; "which sender": one
    if (!f.rank?.n && f.which && ((f.pluralNouns.includes(target) && target !== 'address') || f.splitWhich)) intent.sortByMeasure = dir;
    else intent.rank = { dir, n: f.rank?.n ?? (!f.which && f.pluralNouns.includes(target) ? 10 : 1) };
    return finish(intent);
  }
  if (ranking && ((intent.bucket && !intent.dims.length) || (f.cyclic && intent.dims.length === CYCLIC[f.cyclic].length && !intent.bucket)) && (f.which || f.rank || (f.superlative && !f.aggs.some((a) => a === 'min' || a === 'max' || a === 'avg' || a === 'median')))) {
    // "which day had the most transactions", "busiest hour"
    setMeasures(intent, f, true);
    intent.rank = { dir: f.rank?.dir ?? f.superlative ?? 'desc', n: f.rank?.n ?? 1 };
    return finish(intent);
  }
  if (f.rank && !target && !f.which && intent.dims.length && table !== 'prices') {
    // "volume by project, biggest first", "… top 3": the groups themselves, ordered by their measure
    setMeasures(intent, f, true);
    if (f.rank.n) intent.rank = { dir: f.rank.dir, n: f.rank.n };
    else intent.sortByMeasure = f.rank.dir;
    return finish(intent);
  }
  if (table === 'prices') return pricesIntent(intent, f);
  const explicitAgg = f.aggs.some((a) => a !== 'latest');
  if (ranking && !intent.dims.length && !intent.bucket && (f.which || f.when || f.rank || (f.superlative && !explicitAgg && (!f.fields.length || rowNounPresent(f, table))))) {
    return rowListing(intent, f);
  }
  setMeasures(intent, f, false);
  if (f.sort && (intent.dims.length || intent.bucket)) intent.sortByMeasure = f.sort;
  return finish(intent);
}

/** Longest "last N units" window read as a period (a century); longer is a typo or a test of the tool, not a question. */
const MAX_WINDOW_DAYS = 36_525;
const DAYS_PER_UNIT = { minute: 1 / 1440, hour: 1 / 24, day: 1, month: 30 } as const;

function checkWindow(f: Frame): void {
  const w = f.time;
  if (w?.kind !== 'last') return;
  if (!Number.isSafeInteger(w.n) || w.n * DAYS_PER_UNIT[w.unit] > MAX_WINDOW_DAYS) {
    throw new Decline(`"the last ${w.n.toLocaleString('en-US')} ${w.unit}s" is longer than any snapshot (I read periods up to 100 years); name a shorter period, or none for the whole snapshot`);
  }
}

function pushDim(intent: Intent, d: Dimension): void {
  if (!intent.dims.some((x) => x.alias === d.alias)) intent.dims.push(d);
}

function rowNounPresent(f: Frame, table: Table): boolean {
  const n = SPECS[table].rowNounWord;
  return Boolean(n && (f.nouns.includes(n) || f.which));
}

function finish(intent: Intent): Intent {
  if (intent.table === 'erc20' && (intent.time || intent.bucket)) throw new Decline('the token list has no time column');
  return intent;
}

/** "without curve", "except USDT", "not counting Binance": the named values are left out, the rest kept. */
function addExclusions(intent: Intent, f: Frame): void {
  const { projects, tokens, entities } = f.exclude;
  const t = intent.table;
  const notIn = (expr: string, values: string[]) => (values.length === 1 ? `${expr} <> ${sqlString(values[0])}` : `${expr} not in (${values.map(sqlString).join(', ')})`);
  if (projects.length) {
    if (t !== 'trades') throw new Decline(`only DEX trades have a project to leave out (${projects.join(', ')})`);
    intent.filters.push({ sql: notIn('{c}project', projects), words: `not on ${projects.join(' or ')}` });
  }
  if (tokens.length) {
    const upper = [...new Set(tokens.map((x) => x.toUpperCase()))];
    if (t === 'transfers' || t === 'prices') intent.filters.push({ sql: notIn('upper({c}symbol)', upper), words: `except ${upper.join(' and ')}` });
    else if (t === 'trades') {
      // Neither side of the swap is the token (a side without a symbol is not that token either).
      for (const side of ['token_bought_symbol', 'token_sold_symbol']) intent.filters.push({ sql: notIn(`coalesce(upper({c}${side}), '')`, upper), words: `not involving ${upper.join(' or ')}` });
    } else throw new Decline(`there is no token to leave out of ${t} (${upper.join(', ')})`);
  }
  if (f.exclude.events?.length) {
    if (t !== 'transfers') throw new Decline('only token transfers have mints and burns to leave out');
    for (const e of f.exclude.events) intent.filters.push({ sql: `{c}${e === 'mint' ? 'from_address' : 'to_address'} <> '${ZERO_ADDRESS}'`, words: e === 'mint' ? 'not mints' : 'not burns' });
  }
  if (f.exclude.categories?.length) {
    if (t !== 'transactions' && t !== 'transfers') throw new Decline(`only transactions and transfers can leave out labelled addresses (${f.exclude.categories.join(', ')})`);
    const side = f.dirs.includes('from') && !f.dirs.includes('to') ? 'from_address' : 'to_address';
    const list = f.exclude.categories.map(sqlString).join(', ');
    intent.filters.push({ sql: `{c}${side} not in (select address from labels.addresses where category in (${list}))`, words: `${side === 'from_address' ? 'not sent by' : 'not received by'} ${f.exclude.categories.join('/')}-labelled addresses` });
  }
  if (f.exclude.zeroAddress) {
    // "leave out the zero address" from ranked receivers (burns) or senders (mints)
    if (t !== 'transfers' && t !== 'transactions') throw new Decline('only transfers and transactions have a zero address to leave out');
    const target = rankTarget(f);
    const sides = target === 'sender' ? ['from_address'] : target === 'receiver' ? ['to_address'] : ['from_address', 'to_address'];
    for (const side of sides) intent.filters.push({ sql: `{c}${side} <> '${ZERO_ADDRESS}'`, words: `${side === 'from_address' ? 'not sent from' : 'not sent to'} the zero address` });
  }
  if (entities.length) {
    if (t !== 'transactions' && t !== 'transfers') throw new Decline(`only transactions and transfers can leave out a labelled organisation (${entities[0]})`);
    // The side the answer is about: the ranked senders or receivers, else the direction named.
    const target = rankTarget(f);
    const side = target === 'sender' || (target !== 'receiver' && f.dirs.includes('from') && !f.dirs.includes('to')) ? 'from_address' : target === 'receiver' || f.dirs.length ? 'to_address' : undefined;
    if (!side) throw new Decline(`say whether to leave out what ${entities[0].split(/[\s:]/)[0]} sent or received`);
    intent.filters.push({ sql: `{c}${side} not in (select address from labels.addresses where name in (${entities.map(sqlString).join(', ')}))`, words: `${side === 'from_address' ? 'not sent by' : 'not received by'} ${entities.join(', ')}` });
  }
}

function addFilters(intent: Intent, f: Frame): void {
  const t = intent.table;
  const filters: Filter[] = intent.filters;
  const erc20Tokens = f.tokens.filter((x) => x !== 'ETH');
  if (t === 'transfers') {
    if (f.tokens.includes('ETH')) throw new Decline('ether is not an ERC-20 token: ask about ETH transactions, or about WETH transfers');
    const measured = transferShareKind(f);
    // The tokens stay a filter unless one of them is what a share measures ("as percentages of those three" keeps all three).
    if (erc20Tokens.length && (!shareConditionSource(f) || labelShareWanted(f) || f.rowShare || f.withinAnswer || measured?.startsWith('event') || measured === 'threshold')) filters.push({ sql: symbolMatch(erc20Tokens), words: erc20Tokens.join(' and ') });
    for (const [c, filter] of Object.entries(TRANSFER_CONDITIONS)) if (f.conds.includes(c as Cond) && measured !== `event:${c}`) filters.push({ ...filter });
  }
  if (t === 'prices') {
    if (f.tokens.length) filters.push({ sql: symbolMatch(f.tokens), words: f.tokens.join(' and ') });
  }
  if (t === 'trades') {
    if (f.projects.length && !((f.aggs.includes('share') || f.aggs.includes('percent')) && f.projects.length === 1)) filters.push({ sql: inList('project', f.projects), words: `on ${f.projects.join(' and ')}` });
    if (f.versions.length) filters.push({ sql: inList('version', f.versions), words: `version ${f.versions.join(' and ')}` });
    if (f.pair) filters.push(pairFilter(f.pair.split('-')));
    const dexTokens = f.tokens;
    if (dexTokens.length === 2 && !f.pair && f.nouns.includes('pair')) {
      filters.push(pairFilter(dexTokens));
    } else if (dexTokens.length) {
      const side = f.sides.length === 1 ? f.sides[0] : undefined;
      // Ether trades as WETH on most pools and as ETH on some (Curve's stETH pool): "ETH" means both.
      // Meaning rule: symbols match case-insensitively, as on tokens.transfers.
      const eq = (col: string, s: string) => (s === 'ETH' ? `upper({c}${col}) in ('ETH', 'WETH')` : `upper({c}${col}) = ${sqlString(s.toUpperCase())}`);
      const one = (s: string) => side === 'bought' ? eq('token_bought_symbol', s) : side === 'sold' ? eq('token_sold_symbol', s)
        : `(${eq('token_bought_symbol', s)} or ${eq('token_sold_symbol', s)})`;
      if (dexTokens.length > 1) throw new Decline('I can compare DEX trades of one token at a time (or one pair)');
      filters.push({ sql: one(dexTokens[0]), words: side ? `${side} ${dexTokens[0]}` : `involving ${dexTokens[0]}` });
    }
    if (f.categories.length || f.entities.length) throw new Decline('DEX trades are not joined to address labels offline');
    for (const a of f.addresses) {
      filters.push(f.nouns.includes('pool') ? { sql: `{c}pool_address = ${sqlString(a)}`, words: `in pool ${a}` } : { sql: `{c}taker = ${sqlString(a)}`, words: `by trader ${a}` });
    }
  }
  if (t === 'transactions' || t === 'transfers') {
    for (const a of f.addresses) {
      const dir = f.dirs.length === 1 ? f.dirs[0] : undefined;
      filters.push(dir === 'to' ? { sql: `{c}to_address = ${sqlString(a)}`, words: `to ${a}` }
        : dir === 'from' ? { sql: `{c}from_address = ${sqlString(a)}`, words: `from ${a}` }
        : { sql: `({c}from_address = ${sqlString(a)} or {c}to_address = ${sqlString(a)})`, words: `involving ${a}` });
    }
    if (f.nouns.includes('zeroaddress') && !(t === 'transfers' && f.conds.some((c) => c === 'mint' || c === 'burn'))) {
      filters.push({ ...TRANSFER_CONDITIONS[f.dirs.includes('from') ? 'mint' : 'burn'] });
    }
    // A share of what a label received is measured, not filtered (label-share.ts).
    const byLabel = labelShareWanted(f);
    if (f.entities.length && !f.dirs.length) {
      // "ETH volume on Arbitrum" may mean a chain, "Binance transactions" either side: ask rather than guess.
      throw new Decline(`say whether you mean what ${f.entities[0].split(/[\s:]/)[0]} sent or received (e.g. "ETH sent by …", "USDC received by …")`);
    }
    if (f.entities.length && !byLabel) {
      // "Binance", "Arbitrum": the organisation's labelled addresses, on the side the verbs say
      const column = f.dirs.includes('from') && !f.dirs.includes('to') ? 'from_address' : 'to_address';
      intent.labelJoin = { column };
      filters.push({ sql: `l.name in (${f.entities.map(sqlString).join(', ')})`, words: `${column === 'to_address' ? 'received by' : 'sent from'} ${f.entities.join(', ')}` });
    }
    if (f.categories.length && !byLabel) {
      const column = f.dirs.includes('from') && !f.dirs.includes('to') ? 'from_address' : 'to_address';
      intent.labelJoin = { column };
      const cats = f.categories;
      if (!(f.groupBy.includes('category'))) filters.push({ sql: cats.length === 1 ? `l.category = ${sqlString(cats[0])}` : `l.category in (${cats.map(sqlString).join(', ')})`, words: `${column === 'to_address' ? 'received by' : 'sent from'} ${cats.join('/')}-labelled addresses` });
    } else if (f.groupBy.includes('category') || f.groupBy.includes('entity')) {
      intent.labelJoin = { column: f.dirs.includes('from') && !f.dirs.includes('to') ? 'from_address' : 'to_address' };
    }
  }
  addExclusions(intent, f);
  if (t === 'labels') {
    filters.push({ sql: inList('category', f.categories), words: `labelled ${f.categories.join('/')}` });
  }
  if (t === 'transactions') {
    // ("each day's share of the total" after "contract deployments per day": the deployments stay a filter)
    const measured = shareConditionSource(f) && !f.rowShare ? shareCondition(f) : undefined;
    for (const c of f.conds) { if (c === measured) continue; const x = txCondition(c); if (x) filters.push(x); }
    const ethNamed = f.tokens.includes('ETH');
    const movement = f.verbs.includes('transfer') || f.dirs.length > 0 || has(f.nouns, 'transfer', 'sender', 'receiver') || f.fields.includes('volume') || f.entities.length > 0 || f.categories.length > 0;
    const countsRows = f.aggs.some((a) => a === 'count' || a === 'distinct') || (f.nouns.includes('transfer') && !f.aggs.length);
    if (ethNamed && movement && !f.fields.length && countsRows) {
      // "ETH transfers", "addresses that received ETH": transactions that move ether
      filters.push({ sql: '{c}value_eth > 0', words: 'moving ETH' });
    }
    // Meaning rule: ETH that moves counts successful transactions only (a failed one moved nothing).
    const movesEth = (ethNamed || f.fields.some((x) => x === 'value' || x === 'volume' || x === 'size')) && movement;
    // A share of the ETH moved (each bridge's part of the total) moves ETH too; a failure share does not filter on success.
    if (movesEth && !f.conds.some((c) => c === 'failed' || c === 'success') && (!shareConditionSource(f) || labelShareWanted(f) || !shareCondition(f))) {
      filters.unshift({ sql: '{c}success', words: 'successful' });
    }
  }
  const facts = frameFacts(f, { table: t, rowNoun: SPECS[t].rowNoun });
  const refused = firstRule(DECLINE_RULES, facts);
  if (refused) throw new Decline(fill(refused.decline, facts));
}

const DECLINE_RULES = rules.declines as unknown as ReadonlyArray<{ when?: When; decline: string }>;
type ThresholdRule = { when?: When; column: string; unit: string; decline?: undefined } | { when?: When; decline: string };
const THRESHOLD_RULES = rules.thresholds as unknown as Partial<Record<Table, ThresholdRule[]>>;

/** The column a bound like "over 10 ETH" or "below 20 gwei" applies to (rules.json: thresholds). */
function thresholdFilter(table: Table, f: Frame): Filter {
  const { op, value } = f.threshold!;
  const facts = frameFacts(f);
  const rule = firstRule(THRESHOLD_RULES[table], facts);
  if (!rule) throw new Decline('I can only bound amounts of transactions, transfers, trades, blocks and prices');
  if (rule.decline !== undefined) throw new Decline(rule.decline);
  return { sql: `{c}${rule.column} ${op} ${value}`, words: `${rules.thresholdWords[op]} ${value} ${fill(rule.unit, facts)}` };
}

/** token_pair is the two symbols sorted and joined by '-'; ether may appear as ETH or WETH. */
function pairFilter(symbols: string[]): Filter {
  const variants = (s: string) => (s === 'ETH' || s === 'WETH' ? ['WETH', 'ETH'] : [s]);
  const pairs = new Set<string>();
  for (const a of variants(symbols[0])) for (const b of variants(symbols[1])) pairs.add([a, b].sort().join('-'));
  const list = [...pairs];
  const sql = list.length === 1 ? `{c}token_pair = ${sqlString(list[0])}` : `{c}token_pair in (${list.map(sqlString).join(', ')})`;
  return { sql, words: `in the ${list[0]} pair` };
}

/** Of several transaction conditions, the one a share measures: failure/success first ("failure rate of type 0 transactions"). */
function shareCondition(f: Frame): string | undefined {
  if (f.conds.length <= 1) return f.conds[0];
  return f.conds.find((c) => c === 'failed' || c === 'success');
}

/** The amount column of transfers: the token's own unit for one token, USD across several. */
function transferAmount(f: Frame): string {
  return f.tokens.filter((x) => x !== 'ETH').length === 1 && !f.units.includes('usd') ? '{c}amount' : '{c}amount_usd';
}

/**
 * In a share of transfers, what is measured: a mint or burn ("what % of USDT transfers were mints"; the token
 * stays a filter), else the one token named ("USDC's share of all transfers").
 */
function transferShareKind(f: Frame): 'event:mint' | 'event:burn' | 'threshold' | 'token' | undefined {
  if (!shareConditionSource(f) || labelShareWanted(f) || f.rowShare) return undefined;
  const event = f.conds.find((c): c is 'mint' | 'burn' => c === 'mint' || c === 'burn');
  if (event) return `event:${event}`;
  // "how many of those were over 10 WETH" then "what percent is that": the bound is the part measured
  if (f.threshold) return 'threshold';
  return f.tokens.filter((x) => x !== 'ETH').length === 1 && !f.groupBy.includes('token') ? 'token' : undefined;
}

function shareConditionSource(f: Frame): boolean {
  return f.aggs.includes('share') || f.aggs.includes('percent');
}

function txCondition(c: string): Filter | undefined {
  const found = CONDITIONS[c];
  return found ? { ...found } : undefined;
}

/** The aggregate a question names; of several, the first in rules.json's aggregateOrder. */
function explicitAggregate(f: Frame): Aggregate | undefined {
  return (rules.aggregateOrder as Array<Aggregate & AggWord>).find((a) => f.aggs.includes(a));
}

function measureFor(intent: Intent, f: Frame, ranking: boolean): Measure {
  const t = intent.table;
  const spec = SPECS[t];
  if (t === 'erc20') {
    if (f.aggs.includes('count') || !f.aggs.length) return { agg: 'count', alias: 'tokens', words: 'tokens in the token list' };
    throw new Decline('I can only count the tokens in the token list');
  }
  if (t === 'labels') return { agg: 'count', alias: 'addresses', words: 'labelled addresses' };

  if (f.aggs.includes('share') || f.aggs.includes('percent')) return shareMeasure(intent, f);

  // Distinct counts: "unique senders", "how many traders".
  const grouped = (n: Noun) => { try { return intent.dims.some((d) => d.alias === dimension(n, t, f).alias); } catch { return false; } };
  const distinctNoun = f.nouns.find((n) => ['sender', 'receiver', 'address', 'trader', 'pool', 'pair', 'token', 'miner', 'contract', 'project'].includes(n) && !f.groupBy.includes(n)
    && !(n === 'contract' && f.conds.includes('created')) && !grouped(n));
  // Ranked by a distinct count of another noun ("top tokens by number of distinct senders") too.
  if ((!ranking || f.aggs.includes('distinct')) && distinctNoun && (f.aggs.includes('distinct') || f.aggs.includes('count') || f.verbs.includes('active')) && !f.fields.length) {
    const d = distinctNoun === 'token' && t === 'transfers' ? { expr: '{c}contract_address', alias: 'token_contract', words: 'token contract' } : dimension(distinctNoun, t, f);
    return { agg: 'count_distinct', column: d.expr, alias: `distinct_${d.alias}`, words: `distinct ${d.words}s` };
  }
  if (f.aggs.includes('distinct') && !distinctNoun) throw new Decline('unique what? (senders, receivers, traders, pools, tokens…)');

  const field = f.fields.find((x) => spec.fields[x]);
  const unknownField = f.fields.find((x) => !spec.fields[x] && x !== 'tx_count');
  if (unknownField) throw new Decline(`${unknownField.replace('_', ' ')} is not a measure of ${spec.rowNoun}`);
  // "lowest base fee yesterday" (nothing ranked): the superlative is the aggregate
  const agg = explicitAggregate(f) ?? (!ranking && f.superlative && !f.aggs.includes('count') ? (f.superlative === 'desc' ? 'max' : 'min') : undefined);
  // "blocks with base fee above 20 gwei": the bound selects rows; count them unless asked for more
  // "how many USDC were minted", "how many ETH were sent": an amount of the token, not a number of rows
  const countsAmount = f.aggs.includes('count') && f.tokens.length > 0 && !f.nouns.length && !f.fields.length && !ranking && !f.threshold;
  const counting = !countsAmount && (f.aggs.includes('count') || (Boolean(f.threshold) && !agg && !ranking && !f.perRow));

  if (counting && (!field || f.threshold || (agg !== 'sum' && agg !== undefined) || f.fields.includes('tx_count'))) {
    const base: Measure = { agg: 'count', alias: t === 'blocks' && f.fields.includes('tx_count') ? 'transactions' : spec.countAlias ?? 'transfers', words: `number of ${spec.rowNoun}` };
    if (t === 'blocks' && f.fields.includes('tx_count') && !f.nouns.includes('block')) return base;
    if (agg && agg !== 'sum' && intent.bucket && t !== 'blocks') {
      // "average number of transactions per day": an aggregate over the daily counts
      return { ...base, outer: agg as 'avg' | 'median' | 'min' | 'max', words: `number of ${spec.rowNoun}` };
    }
    if (t === 'blocks' && f.fields.includes('tx_count')) return { agg: agg ?? 'avg', column: '{c}transaction_count', alias: `${agg ?? 'avg'}_transactions_per_block`, words: 'transactions per block' };
    return base;
  }

  let column: string | undefined;
  let words = '';
  let defaultAgg: Aggregate = 'sum';
  if (field) {
    const fs = spec.fields[field]!;
    column = `{c}${fs.column}`;
    words = fs.words;
    defaultAgg = fs.agg;
  } else {
    const rule = firstRule(MEASURE_COLUMN_RULES, frameFacts(f, { table: t, agg, ranking, labelJoin: intent.labelJoin }));
    if (rule?.column !== undefined) {
      column = rule.column;
      words = rule.words ?? '';
    }
  }
  if (t === 'transfers' && ranking && intent.dims.some((d) => d.alias === 'symbol') && column === '{c}amount' && !agg) {
    // Ranking tokens by raw amounts compares different units: rank by USD value, or by how many transfers.
    if (field || f.units.includes('usd')) return { agg: 'sum', column: '{c}amount_usd', alias: 'sum_amount_usd', words: 'total USD value' };
    return { agg: 'count', alias: 'transfers', words: `number of ${spec.rowNoun}` };
  }
  if (t === 'transfers' && column === '{c}amount') {
    const singleToken = f.tokens.filter((x) => x !== 'ETH').length === 1 || intent.dims.some((d) => d.alias === 'symbol');
    if (f.units.includes('usd') || !singleToken) {
      column = '{c}amount_usd';
      words = 'USD value';
    } else words = 'token amount';
  }
  if (t === 'trades' && f.sides.length === 1 && f.tokens.length === 1 && f.units.includes('token')) {
    column = f.sides[0] === 'bought' ? '{c}token_bought_amount' : '{c}token_sold_amount';
    words = `${f.tokens[0]} ${f.sides[0]}`;
  }
  if (!column) {
    if (agg && agg !== 'sum') throw new Decline(`${agg} of what? (value, fees, gas price, volume…)`);
    return { agg: 'count', alias: spec.countAlias ?? 'transactions', words: `number of ${spec.rowNoun}` };
  }
  let a: Aggregate = agg ?? defaultAgg;
  if (f.perRow && !agg) a = 'avg';
  if (field === 'size' && !agg) a = 'avg';
  let outer: Measure['outer'];
  if (field === 'volume' && agg && agg !== 'sum' && intent.bucket && t === 'trades') {
    outer = agg as 'avg' | 'median' | 'min' | 'max';
    a = 'sum';
  }
  const aliasBase = column.replace(/\{c\}/g, '').replace(/::DOUBLE \/ gas_limit/, '_ratio');
  if (t === 'transactions' && f.units.includes('usd') && ETH_COLUMNS.has(column) && a !== 'count_distinct') {
    // "ETH received by bridges in USD", "what's that worth": each amount at its hour's ETH price
    return { agg: a, column, ethPrice: true, alias: `${a}_${aliasBase.replace(/_eth$/, '_usd')}`, words: `${aggWords(a)} ${words.replace(/\s*\(ETH\)|^ETH /, '')} in USD (at the hour's ETH price)`, outer };
  }
  return { agg: a, column, alias: `${a === 'avg' ? 'avg' : a}_${aliasBase}`, words: `${aggWords(a)} ${words}`, outer };
}

/** Columns in ETH that a question can ask for in USD. */
const ETH_COLUMNS: ReadonlySet<string> = new Set(['{c}value_eth', '{c}fee_eth']);

/** Aggregates a question can ask for side by side ("min and max gas price", "average and median fee"). */
const STAT_AGGS: ReadonlySet<AggWord> = new Set<AggWord>(['min', 'max', 'avg', 'median', 'sum']);
const FORMS: ReadonlySet<AggWord> = new Set<AggWord>(['share', 'percent']);

/**
 * The measure, and any shown beside it: each statistic named ("min and max"), or the measure so far
 * with its share when a follow-up adds one ("add each one's share"). The first is what a ranking orders by.
 */
function setMeasures(intent: Intent, f: Frame, ranking: boolean): void {
  const named = f.aggs.filter((a) => STAT_AGGS.has(a));
  const rest = f.aggs.filter((a) => !STAT_AGGS.has(a) && !FORMS.has(a));
  if (f.additive && f.aggs.some((a) => FORMS.has(a))) {
    intent.measure = measureFor(intent, { ...f, aggs: f.aggs.filter((a) => !FORMS.has(a)) }, ranking);
    intent.extraMeasures = [measureFor(intent, f, ranking)];
  } else if (named.length > 1 && !f.aggs.some((a) => FORMS.has(a))) {
    [intent.measure, ...intent.extraMeasures] = named.map((a) => measureFor(intent, { ...f, aggs: [a, ...rest] }, ranking));
  } else intent.measure = measureFor(intent, f, ranking);
}

/** What is aggregated when the question names no field of the table (rules.json: measureColumn). */
const MEASURE_COLUMN_RULES = rules.measureColumn as unknown as ReadonlyArray<{ when?: When; column?: string; words?: string }>;

function aggWords(a: Aggregate): string {
  return (rules.aggregateWords as Record<Aggregate, string>)[a];
}

function shareMeasure(intent: Intent, f: Frame): Measure {
  const byLabel = labelShare(intent.table, f);
  if (byLabel) return byLabel;
  const percent = f.aggs.includes('percent');
  const t = intent.table;
  const conds: Array<{ sql: string; words: string }> = [];
  if (!f.rowShare) {
    if (t === 'transactions') { const c = shareCondition(f); const x = c ? txCondition(c) : undefined; if (x) conds.push(x); }
    const kind = t === 'transfers' ? transferShareKind(f) : undefined;
    if (kind === 'token') { const tk = f.tokens.filter((x) => x !== 'ETH'); conds.push({ sql: symbolMatch(tk), words: `${tk[0]} transfers` }); }
    if (kind?.startsWith('event:')) { const e = kind.slice(6) as 'mint' | 'burn'; conds.push({ sql: TRANSFER_CONDITIONS[e].sql, words: `${e}s` }); }
    // "how much USDC was minted" then "what % of all USDC transferred is that": a share of the amount, not of the count
    const amountOf = kind && kind !== 'token' && f.aggs.includes('sum') ? transferAmount(f) : undefined;
    if (amountOf && conds.length === 1) {
      return { agg: 'share', column: amountOf, shareCondition: conds[0].sql, percent, alias: percent ? 'percent' : 'share', words: `${percent ? 'percentage' : 'share'} of the amount transferred that is ${conds[0].words}` };
    }
    if (t === 'trades' && f.projects.length === 1) conds.push({ sql: `{c}project = ${sqlString(f.projects[0])}`, words: `trades on ${f.projects[0]}` });
    if ((conds.length === 0 || kind === 'threshold') && f.threshold && !intent.dims.length && !intent.bucket) {
      // "what % of all blocks is that" after "blocks with a base fee above 10 gwei": the bound is what is measured
      const bound = thresholdFilter(t, f);
      intent.filters = intent.filters.filter((x) => x.sql !== bound.sql);
      conds.push(bound);
    }
  }
  if (conds.length === 0 && (intent.dims.length || intent.bucket) && t !== 'prices') {
    // "share of DEX volume by project", "fees by tx type as percentages", "each day's share": each group's part of
    // the total of the measure the question had before it asked for a share
    const base = measureFor(intent, { ...f, aggs: f.aggs.filter((a) => a !== 'share' && a !== 'percent') }, false);
    if (base.agg !== 'sum' && base.agg !== 'count') throw new Decline(`a share of ${aggWords(base.agg)} values means nothing: ask for a share of a total or a count`);
    const column = base.agg === 'sum' ? base.column : undefined;
    return { agg: 'volume_share', column, ethPrice: base.ethPrice, percent, alias: percent ? 'percent' : 'share', words: `${column ? `share of the ${base.words}` : 'share of all'} ${SPECS[t].rowNoun}` };
  }
  if (conds.length !== 1) throw new Decline('share of what? Say which condition (failed, EIP-1559, contract deployments, a project, a token)');
  const c = conds[0];
  // A share of volume sums the amount in USD: the only unit in which different tokens add up.
  const volume = (t === 'trades' || t === 'transfers') && (f.fields.includes('volume') || f.fields.includes('value'));
  if (volume) {
    const of = t === 'trades' ? 'DEX volume' : 'token transfer volume (USD)';
    return { agg: 'share', column: '{c}amount_usd', shareCondition: c.sql, percent, alias: percent ? 'percent' : 'share', words: `${percent ? 'percentage' : 'share'} of ${of} ${c.words}` };
  }
  return { agg: 'share', shareCondition: c.sql, percent, alias: percent ? `percent_${aliasOf(c.words)}` : `share_${aliasOf(c.words)}`, words: `${percent ? 'percentage' : 'share'} of ${SPECS[t].rowNoun} that are ${c.words}` };
}

function aliasOf(words: string): string {
  return words.toLowerCase().replace(/\(.*?\)/g, '').trim().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '').slice(0, 30) || 'share';
}

function rowListing(intent: Intent, f: Frame): Intent {
  const t = intent.table;
  const spec = SPECS[t];
  if (!spec.listColumns) throw new Decline(`I can't rank ${spec.rowNoun}`);
  const field = f.fields.find((x) => spec.fields[x]);
  const order = firstRule(spec.rowOrder, frameFacts(f, { field }))?.column ?? (field ? spec.fields[field]!.column : spec.defaultRowOrder!);
  const dir = f.rank?.dir ?? f.superlative ?? (f.aggs.includes('min') ? 'asc' : 'desc');
  const n = f.rank?.n ?? (f.plural && !f.which && !f.when ? 10 : 1);
  const columns = [...spec.listColumns];
  const orderExpr = order;
  if (!columns.includes(orderExpr)) columns.push(orderExpr.includes('/') ? `${orderExpr} as gas_utilization` : orderExpr);
  intent.rows = { columns, orderBy: orderExpr.includes('/') ? 'gas_utilization' : orderExpr, dir, n };
  intent.subject = spec.rowNoun;
  return intent;
}

/** "the most recent block", "last 10 transactions": newest rows first. */
function latestRows(intent: Intent, f: Frame): Intent {
  const t = intent.table;
  const spec = SPECS[t];
  const latest = spec.latest;
  if (!latest || !spec.listColumns) throw new Decline(`${spec.rowNoun} have no time order`);
  const columns = [...spec.listColumns];
  const field = f.fields.find((x) => spec.fields[x]);
  // The named field's column is added unless a plain row already shows it (so a listing may show it twice).
  const fieldColumn = field ? spec.fields[field]!.column : undefined;
  if (fieldColumn && !spec.rowColumns.includes(fieldColumn) && !fieldColumn.includes('{c}')) columns.push(fieldColumn);
  columns.push(...(field ? [] : latest.withoutField ?? []), ...(latest.append ?? []));
  const n = f.rank?.n ?? (f.plural ? 10 : 1);
  intent.rows = { columns, orderBy: latest.orderBy, dir: 'desc', n, latest: true };
  return intent;
}

function pricesIntent(intent: Intent, f: Frame): Intent {
  if (!f.tokens.length && !intent.dims.length && f.nouns.includes('token')) intent.dims.push({ expr: '{c}symbol', alias: 'symbol', words: 'token' });
  if (!f.tokens.length && !intent.dims.length) throw new Decline('price of which token? (ETH, WETH, USDC, LINK, …)');
  const agg = explicitAggregate(f);
  const extreme = f.superlative && !agg ? (f.superlative === 'desc' ? 'max' : 'min') : undefined;
  if (f.when || f.which) {
    intent.rows = { columns: ['hour', 'symbol', 'price_usd'], orderBy: 'price_usd', dir: f.superlative ?? (agg === 'min' ? 'asc' : 'desc'), n: f.rank?.n ?? 1 };
    return intent;
  }
  if (agg || extreme) {
    const priced = (a: Aggregate): Measure => ({ agg: a, column: '{c}price_usd', alias: `${a}_price_usd`, words: `${aggWords(a)} ${f.tokens.join('/')} price (USD)` });
    const named = f.aggs.filter((a) => STAT_AGGS.has(a)) as Aggregate[];
    [intent.measure, ...intent.extraMeasures] = named.length > 1 ? named.map(priced) : [priced(agg ?? extreme!)];
    return intent;
  }
  if (intent.bucket && intent.bucket !== 'hour') {
    intent.measure = { agg: 'avg', column: '{c}price_usd', alias: 'avg_price_usd', words: `average ${f.tokens.join('/')} price (USD)` };
    return intent;
  }
  if (f.aggs.includes('latest') || (!intent.time && !intent.bucket)) {
    if (intent.dims.length || f.tokens.length > 1) {
      intent.dims = intent.dims.length ? intent.dims : [{ expr: '{c}symbol', alias: 'symbol', words: 'token' }];
      intent.measure = { agg: 'raw', column: 'arg_max({c}price_usd, {c}hour)', alias: 'price_usd', words: 'latest price (USD)' };
      return intent;
    }
    intent.rows = { columns: ['hour', 'symbol', 'price_usd'], orderBy: 'hour', dir: 'desc', n: 1 };
    intent.subject = `latest ${f.tokens[0]} price`;
    return intent;
  }
  // A series: prices are already hourly.
  intent.bucket = undefined;
  intent.series = { columns: f.tokens.length > 1 ? ['hour', 'symbol', 'price_usd'] : ['hour', 'price_usd'] };
  return intent;
}
