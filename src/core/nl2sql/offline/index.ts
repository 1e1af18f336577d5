import type { Turn } from '../../answer.js';
import { OnchainSqlError } from '../../errors.js';
import type { Generation, GenerationRequest, Provider } from '../provider.js';
import { buildSql } from './build-sql.js';
import { DIMENSIONS, lexQuestion, mergeExclusions, ROW_NOUNS, type Cond, type Frame } from './frame.js';
import type { Intent } from './intent.js';
import { chooseTable, Decline, interpret, rankTarget } from './interpret.js';
import { joinWindows, shiftWindow } from './time.js';
import { buildLexicon, type LabelName, type Lexicon } from './lexicon.js';
import { suggestionsFor } from './suggest.js';
import { restate, type Restatement } from './restate.js';

export interface OfflineOptions {
  /** Extra token symbols to recognise (e.g. the snapshot's tokens.erc20), beyond schemas/tokens.json. */
  symbols?: Iterable<string>;
  /** The snapshot's newest block time ('YYYY-MM-DD HH:MM:SS'), for explanations. */
  snapshotTime?: string;
  /** The snapshot's labelled addresses, so organisations can be named ("Binance"). */
  labels?: Iterable<LabelName>;
}

/** The minimum of Engine that `forEngine` needs (kept structural so tests can pass a real Engine). */
interface QueryRunner {
  query(sql: string, options?: { maxRows?: number }): Promise<{ rows: unknown[][] }>;
}

interface ConversationStep {
  question: string;
  /** The running frame after this turn. */
  frame: Frame;
  /** The turn started afresh rather than refining the one before. */
  fresh: boolean;
}

export interface Translation extends Generation {
  intent: Intent;
  frame: Frame;
  /** The question refined an earlier one (its frame was merged with the conversation's). */
  resolved: boolean;
}

/**
 * The offline translator: no model, no network. It parses a question into
 * slots (entities, measures, time, grouping, ranking), interprets them as an
 * intent and builds one SQL statement. When any meaningful word is not
 * understood it declines with `cannot_answer` and nearby questions it can answer.
 */
export class OfflineProvider implements Provider {
  readonly id = 'offline' as const;
  private readonly lex: Lexicon;
  private readonly lastDay?: string;

  constructor(options: OfflineOptions = {}) {
    this.lex = buildLexicon(options.symbols ?? [], options.labels ?? []);
    this.lastDay = options.snapshotTime?.slice(0, 10);
  }

  /** A provider that also knows the snapshot's own token symbols and newest day. */
  static async forEngine(engine: QueryRunner): Promise<OfflineProvider> {
    const symbols = await engine.query('select distinct symbol from tokens.erc20 where symbol is not null', { maxRows: 100_000 });
    const time = await engine.query('select snapshot_time()::VARCHAR', { maxRows: 1 });
    const labels = await engine.query('select distinct name, category from labels.addresses where name is not null', { maxRows: 100_000 });
    return new OfflineProvider({
      symbols: symbols.rows.map((r) => String(r[0])),
      labels: labels.rows.map((r) => ({ name: String(r[0]), category: String(r[1]) })),
      snapshotTime: (time.rows[0]?.[0] as string | null) ?? undefined,
    });
  }

  async generate(request: GenerationRequest): Promise<Generation> {
    if (request.signal?.aborted) throw new OnchainSqlError('cancelled', 'The request was cancelled.');
    if (request.repair) {
      // Deterministic: asking again would give the same SQL, so say why it failed instead.
      throw new OnchainSqlError('cannot_answer', `I can't answer that offline: my SQL failed on this snapshot (${request.repair.error.split('\n')[0]}).`, suggestionsFor(undefined));
    }
    // The context names snapshot_time() (context.ts); use its day in explanations when the provider was not told it.
    const fromContext = /snapshot_time\(\) = TIMESTAMP '(\d{4}-\d{2}-\d{2})/.exec(request.context)?.[1];
    const { sql, explanation, chart, resolved, frame } = this.translate(request.question, request.history, fromContext);
    // A follow-up is stored as the standalone question it amounts to, which asked alone gives the same SQL.
    const resolvedQuestion = resolved ? this.restateFollowUp(request.question, request.history, frame, sql, fromContext).question : undefined;
    return { sql, explanation, chart, model: 'offline-translator', ...(resolvedQuestion ? { resolvedQuestion } : {}) };
  }

  /**
   * The follow-up `question` (whose merged frame gave `sql`) as one standalone question: the conversation's
   * questions are restated turn by turn, each refinement folded into the question before it.
   */
  restateFollowUp(question: string, history: Turn[], frame: Frame, sql: string, lastDay = this.lastDay): Restatement {
    const sqlOf = (q: string): string | undefined => {
      try {
        const t = this.translate(q, [], lastDay);
        return t.resolved ? undefined : t.sql;
      } catch {
        return undefined;
      }
    };
    const frameOf = (q: string): Frame => lexQuestion(q, this.lex);
    let base: string | undefined;
    for (const step of this.conversation(history)) {
      base = step.fresh || base === undefined ? step.question : restate(base, step.question, step.frame.time, buildSql(interpret(step.frame), lastDay).sql, sqlOf, frameOf, lastDay).question;
    }
    return restate(base ?? '', question, frame.time, sql, sqlOf, frameOf, lastDay);
  }

  /** Question (+ history) → SQL, or an OnchainSqlError('cannot_answer') with suggestions. */
  translate(question: string, history: Turn[] = [], lastDay = this.lastDay): Translation {
    if (!question.trim()) throw new OnchainSqlError('empty_question', 'The question is empty.');
    if (question.length > 2000) {
      throw new OnchainSqlError('cannot_answer', "I can't answer that offline: the question is too long for the offline translator (over 2,000 characters).", suggestionsFor(undefined));
    }
    const standalone = lexQuestion(question, this.lex);
    let read: ReadTurn;
    try {
      read = readTurn(this.previousFrame(history), standalone);
    } catch (e) {
      if (e instanceof Decline) {
        throw new OnchainSqlError('cannot_answer', `I can't answer that offline: ${e.reason}.`, suggestionsFor(e.frame));
      }
      throw e;
    }
    const { frame, intent } = read;
    const built = buildSql(intent, lastDay ?? this.lastDay);
    return { ...built, intent, frame, resolved: !read.fresh };
  }

  /** The conversation's running frame: each turn either starts afresh or refines the one before. */
  private previousFrame(history: Turn[]): Frame | undefined {
    return this.conversation(history).at(-1)?.frame;
  }

  /** The turns the translator could read, each with its running frame and whether it started afresh. */
  private conversation(history: Turn[]): ConversationStep[] {
    const steps: ConversationStep[] = [];
    for (const turn of history.slice(-10)) {
      if (!turn.question?.trim()) continue;
      const frame = steps.at(-1)?.frame;
      try {
        const read = readTurn(frame, lexQuestion(turn.question, this.lex));
        steps.push({ question: turn.question, frame: read.frame, fresh: read.fresh });
      } catch {
        // A turn we could not read (e.g. answered by another provider) does not reset what we know.
      }
    }
    return steps;
  }
}

interface ReadTurn {
  frame: Frame;
  intent: Intent;
  /** The question was read on its own, not as a refinement of the conversation. */
  fresh: boolean;
}

/**
 * One turn read in its conversation: as a refinement of the previous frame when it looks like one, else on
 * its own; when that reading fails, the other is tried ("what was the usd volume" cannot stand alone, so it
 * refines; a refinement that does not fit is read alone). Neither reading: the first one's reason.
 */
function readTurn(prev: Frame | undefined, f: Frame): ReadTurn {
  const merged = prev ? () => ({ frame: mergeFrames(prev, f), fresh: false }) : undefined;
  const alone = () => ({ frame: f, fresh: true });
  const order = merged && isFollowUp(f, prev) ? [merged, alone] : merged ? [alone, merged] : [alone];
  let first: Decline | undefined;
  for (const candidate of order) {
    const { frame, fresh } = candidate();
    try {
      return { frame, intent: interpret(frame), fresh };
    } catch (e) {
      if (!(e instanceof Decline)) throw e;
      e.frame = frame;
      first ??= e;
    }
  }
  throw first!;
}

/**
 * A follow-up either says so ("now", "instead", "what about"), moves an earlier
 * window ("the day before"), or names nothing to measure on its own: only a
 * form ("as a share"), a grouping ("by transaction type"), a window or a limit.
 */
export function isFollowUp(f: Frame, prev?: Frame): boolean {
  if (f.followup || f.time?.kind === 'earlier') return true;
  // "what's the average trade size in usd" after "number of sushiswap swaps today": a new measure of the same
  // rows, with no window or filter of its own, keeps the conversation's window and filters
  // "how much did they pay in fees": a pronoun for the previous rows, when the question is about the same table
  const namesNothingOwn = !f.time && !f.tokens.length && !f.projects.length && !f.entities.length && !f.categories.length && !f.addresses.length && !f.pair;
  if (prev && (f.refersBack || namesNothingOwn) && sameTable(f, prev)) return true;
  const subject = f.nouns.filter((n) => !f.groupBy.includes(n)).length + f.fields.length + f.conds.length + f.verbs.length + (f.dex ? 1 : 0) + (f.which ? 1 : 0);
  return subject === 0;
}

const CYCLE_BUCKET = { hour_of_day: 'hour', day_of_week: 'day' } as const;

/** The answer ranks something (a limit, a superlative or "which"), so a new length or target applies to it. */
function ranks(f: Frame): boolean {
  return Boolean(f.rank || f.superlative || f.which);
}

function sameTable(f: Frame, prev: Frame): boolean {
  try {
    return chooseTable(f) === chooseTable(prev);
  } catch {
    return false;
  }
}

/** Conditions of one kind exclude each other; of different kinds they combine. */
const COND_KIND: Record<Cond, string> = {
  failed: 'status', success: 'status', type0: 'type', type1: 'type', type2: 'type', type3: 'type',
  created: 'call', plain: 'call', call: 'call', mint: 'event', burn: 'event', priced: 'price',
};

/** Slot-wise refinement: every slot the new question fills replaces the old one. */
export function mergeFrames(prev: Frame, cur: Frame): Frame {
  const m: Frame = { ...prev, unknown: cur.unknown, unsupported: cur.unsupported, followup: false, partOf: false };
  if (cur.time) m.time = cur.time.kind === 'earlier' ? shiftWindow(prev.time, cur.time.days) ?? cur.time : (cur.addsValues && joinWindows(prev.time, cur.time)) || cur.time;
  if (cur.threshold) m.threshold = cur.threshold;
  // "Top 5 tokens by transfers" then "now only for USDC": the ranked noun stays ranked under the new filter.
  // (only what the previous answer ranks: "swap that for the number of trades" after distinct takers per hour ranks nothing)
  m.keepTarget = (ranks(prev) ? rankTarget(prev) : undefined) ?? prev.keepTarget;
  // "add kraken too": named values join the answer's; otherwise they replace them
  const named = <T>(was: T[], now: T[]) => (cur.addsValues ? [...new Set([...was, ...now])] : now);
  if (cur.tokens.length || cur.pair) {
    m.tokens = named(prev.tokens, cur.tokens);
    m.pair = cur.pair;
  }
  if (cur.projects.length) m.projects = named(prev.projects, cur.projects);
  // "forget uniswap, do it for curve" after "v3 only": a version belongs to the project it was asked of
  if (cur.projects.length && !cur.versions.length && !cur.addsValues && cur.projects.some((x) => !prev.projects.includes(x))) m.versions = [];
  if (cur.versions.length) m.versions = named(prev.versions, cur.versions);
  if (cur.categories.length) m.categories = named(prev.categories, cur.categories);
  // "and to all exchanges" after "… to binance": the category takes the named organisation's place
  if (cur.categories.length && !cur.entities.length && !cur.addsValues) m.entities = [];
  if (cur.addresses.length) m.addresses = named(prev.addresses, cur.addresses);
  if (cur.entities.length) m.entities = named(prev.entities, cur.entities);
  mergeExclusions(m, prev, cur);
  // A time grouping replaces the other kind: "by weekday instead" after "daily", "per hour" after "by day of week".
  // "what's the peak hour" after "which hours of the day …": the hour of the day, still
  const sameCycle = prev.cyclic && !cur.cyclic && cur.bucket === CYCLE_BUCKET[prev.cyclic] && !cur.groupBy.length && (cur.which || cur.superlative);
  if ((cur.bucket || cur.cyclic) && !sameCycle) {
    m.bucket = cur.bucket;
    m.cyclic = cur.cyclic;
  }
  if (cur.groupBy.length) {
    m.groupBy = cur.groupBy;
    m.nouns = [...prev.nouns.filter((n) => !prev.groupBy.includes(n)), ...cur.groupBy];
  }
  if (cur.rank) m.rank = { dir: cur.rank.dir, n: cur.rank.n ?? prev.rank?.n };
  // "only the largest", "just the top transfer" after a ranked list: the singular, in the same direction, asks for one row
  const onlySelects = !cur.fields.length && !cur.aggs.length && !cur.units.length && !cur.groupBy.length && !cur.tokens.length && !cur.dirs.length && !cur.verbs.length
    && cur.nouns.every((n) => ROW_NOUNS.has(n) || n === m.keepTarget);
  const prevDir = prev.rank?.dir ?? prev.superlative;
  const curDir = cur.superlative ?? cur.rank?.dir;
  if (curDir && curDir === prevDir && !cur.rank?.n && !cur.plural && onlySelects) m.rank = { dir: curDir, n: 1 };
  // "and the smallest?" after "5 largest transfers": the same list, the other end
  else if (cur.superlative && !cur.rank && m.rank) m.rank = { ...m.rank, dir: cur.superlative };
  // "give me 2 more", "show 20": a new length only for an answer that ranks something
  const rankedDir = prev.rank?.dir ?? prev.superlative ?? 'desc';
  if (cur.limitDelta && ranks(prev)) m.rank = { dir: rankedDir, n: Math.max(1, (prev.rank?.n ?? (prev.plural ? 10 : 1)) + cur.limitDelta) };
  if (cur.limit !== undefined) {
    if (ranks(prev)) m.rank = { dir: rankedDir, n: cur.limit };
    else m.unknown = [...m.unknown, String(cur.limit)];
  }
  // "by USD volume instead", "the fees instead": a new measure replaces a count, not just adds to it
  if (!cur.aggs.length && (cur.fields.length || cur.units.includes('usd'))) m.aggs = prev.aggs.filter((a) => a !== 'count' && a !== 'distinct');
  // "as percentages" after "average fee per day": the form is added to the measure, which a share must know
  const formOnly = cur.aggs.length > 0 && cur.aggs.every((a) => a === 'share' || a === 'percent');
  if (cur.additive && cur.aggs.length) m.aggs = [...new Set([...m.aggs.filter((a) => a !== 'latest'), ...cur.aggs])];
  else if (formOnly) m.aggs = [...m.aggs.filter((a) => a !== 'share' && a !== 'percent'), ...cur.aggs];
  else if (cur.aggs.length) m.aggs = cur.aggs;
  // "rank by ETH sent" after a ranking by number of transactions: an amount replaces the count
  else if (cur.rank && (cur.tokens.length || cur.units.length) && (cur.verbs.includes('transfer') || cur.dirs.length)) m.aggs = m.aggs.filter((a) => a !== 'count');
  // "the peak instead", "and the lowest?" after an average with nothing ranked: the max (min) of the same measure
  else if (cur.superlative && !cur.rank && !cur.nouns.length && !prev.rank && !prev.superlative && !prev.which && prev.aggs.some((a) => a === 'avg' || a === 'median' || a === 'sum')) {
    m.aggs = [cur.superlative === 'desc' ? 'max' : 'min'];
  }
  m.additive = cur.aggs.length ? cur.additive : prev.additive;
  // "how about the number of transfers" after "daily USDC volume": a count replaces the measured field
  if (cur.aggs.includes('count') && !cur.fields.length && !m.threshold) m.fields = [];
  // "what about the count?" after "how much USDT moved": a count of the transfers, not "how many USDT"
  if (cur.aggs.includes('count') && !cur.nouns.length && !cur.tokens.length && prev.tokens.length && !prev.nouns.length && !m.fields.length) m.nouns = ['transfer'];
  if (cur.fields.length) m.fields = cur.fields;
  // "only type 2 ones" after "failed transactions": a condition replaces one of its own kind and keeps the others
  if (cur.conds.length) m.conds = [...prev.conds.filter((c) => !cur.conds.some((x) => COND_KIND[x] === COND_KIND[c])), ...cur.conds];
  if (cur.units.length) m.units = cur.units;
  if (cur.dirs.length && !cur.partOf) m.dirs = cur.dirs;
  if (cur.sides.length) m.sides = cur.sides;
  if (cur.verbs.length) m.verbs = [...new Set([...prev.verbs, ...cur.verbs])];
  // "all tokens" drops the token filter; it names no tokens to rank
  const newNouns = cur.nouns.filter((n) => !cur.groupBy.includes(n) && !(n === 'token' && cur.clear.includes('tokens')));
  if (newNouns.length) m.nouns = [...new Set([...m.nouns.filter((n) => m.groupBy.includes(n)), ...newNouns])];
  // "by number of transactions instead" after "top ETH senders": rows named anew, the ranked senders stay
  // ("by number of distinct senders" after "top 5 tokens": the senders are counted, the tokens stay ranked)
  const newDimension = newNouns.some((n) => DIMENSIONS.has(n)) && !cur.aggs.includes('distinct');
  if (m.keepTarget && newNouns.length && !newDimension && !m.nouns.includes(m.keepTarget)) m.nouns.push(m.keepTarget);
  // "as a % of all DEX volume": the words name the total, not a new ranking of DEXes
  m.dex = prev.dex || (cur.dex && !cur.partOf);
  // "all tokens", "every project": the filter of that kind goes (not in "a share of all token transfers")
  const sharing = cur.partOf || cur.aggs.some((a) => a === 'share' || a === 'percent');
  if (cur.clear.includes('tokens') && !cur.tokens.length && !sharing) { m.tokens = []; m.pair = undefined; }
  if (cur.clear.includes('projects') && !cur.projects.length && !sharing) { m.projects = []; m.versions = []; }
  if (cur.clear.includes('versions') && !cur.versions.length) m.versions = [];
  // "for every tx type", "by project" after one of them: a grouping of one value says nothing, so its filter goes
  if (cur.groupBy.includes('txtype')) m.conds = m.conds.filter((c) => COND_KIND[c] !== 'type');
  if (cur.groupBy.includes('project') && m.projects.length === 1 && !cur.projects.length) m.projects = [];
  if (cur.groupBy.includes('token') && m.tokens.length === 1 && !cur.tokens.length) m.tokens = [];
  m.superlative = cur.superlative ?? prev.superlative;
  m.sort = cur.sort ?? prev.sort;
  if (cur.flip) {
    // "flip it": the same ranking (or sort) from the other end
    const other = (d: 'asc' | 'desc' | undefined) => (d === 'asc' ? 'desc' : 'asc');
    if (m.rank) m.rank = { ...m.rank, dir: other(m.rank.dir) };
    else if (m.sort) m.sort = other(m.sort);
    else if (m.superlative) m.superlative = other(m.superlative);
    else if (m.bucket || m.groupBy.length) m.sort = 'asc';
  }
  m.rowShare = cur.rowShare || (prev.rowShare && !cur.aggs.length);
  m.splitWhich = cur.splitWhich || prev.splitWhich;
  m.withinAnswer = cur.withinAnswer;
  m.which = prev.which || cur.which;
  m.when = prev.when || cur.when;
  m.versus = prev.versus || cur.versus;
  m.perRow = prev.perRow || cur.perRow;
  m.plural = prev.plural || cur.plural;
  m.pluralNouns = [...new Set([...prev.pluralNouns, ...cur.pluralNouns])];
  m.superRow = cur.superRow || prev.superRow;
  // "how many different addresses deployed them" after "who deployed the most": a count of unique ones, not a ranking
  // (while "by number of distinct senders" after "top 5 tokens" re-ranks the tokens)
  if (cur.aggs.includes('distinct') && !cur.rank && !cur.superlative && !cur.which && m.keepTarget && cur.nouns.includes(m.keepTarget)) {
    m.rank = undefined;
    m.superlative = undefined;
    m.which = false;
  }
  return m;
}
