import { OnchainSqlError } from '../../errors.js';
import { catalog, qualifiedName } from '../../schema/catalog.js';
import { quoteIdentifier } from './connection.js';
import dialect from './dialect.json';

/**
 * DuckDB SQL → ClickHouse SQL, for statements the DuckDB validator has
 * already accepted (one SELECT over the contract's tables). Token by token:
 * most of the contract's SQL is valid ClickHouse as written (INTERVAL n HOUR,
 * count(*) FILTER (WHERE …), ILIKE, ||, ::casts, GROUP BY ALL); what differs
 * is rewritten here, and a function without a known translation is refused by
 * name rather than passed through (see dialect.json).
 */

export interface TranslateContext {
  /** The server's newest block time, 'YYYY-MM-DD HH:MM:SS[.ffffff]' (what snapshot_time() stands for). */
  snapshotTime: string;
  /** The ClickHouse table holding a contract table, e.g. `onchain`.`ethereum_blocks`. */
  tableName(namespace: string, name: string): string;
}

type Kind = 'ws' | 'comment' | 'string' | 'qident' | 'number' | 'ident' | 'op' | 'lparen' | 'rparen' | 'comma' | 'dot';

interface Token {
  kind: Kind;
  text: string;
}

const SAME = new Set(dialect.same);
const RENAMED: Record<string, string> = dialect.renamed;
const TYPES: Record<string, string> = dialect.types;
const INTERVAL_UNITS: Record<string, string> = dialect.intervalUnits;
const CONTRACT = new Map(catalog.tables.map((t) => [qualifiedName(t), t]));
/** Words followed by '(' that are not function calls. */
const NOT_CALLS = new Set(['in', 'exists', 'as', 'over', 'filter', 'values', 'using', 'on', 'and', 'or', 'not', 'where', 'from',
  'join', 'select', 'with', 'any', 'all', 'some', 'interval', 'partition', 'exclude', 'except', 'rows', 'range', 'between', 'is', 'then',
  'else', 'when', 'case', 'lateral', 'by', 'having', 'qualify', 'union', 'intersect', 'limit', 'offset', 'window', 'recursive', 'materialized']);
const TOKEN = /(\s+)|(--[^\n]*|\/\*[\s\S]*?\*\/)|('(?:[^']|'')*')|("(?:[^"]|"")*")|(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*)|(::|\/\/|\|\||<=|>=|<>|!=|->>|->|=>|\*\*|[-+*/%<>=!~^&|?:;[\]{}@#$])|(\()|(\))|(,)|(\.)/y;
const KINDS: Kind[] = ['ws', 'comment', 'string', 'qident', 'number', 'ident', 'op', 'lparen', 'rparen', 'comma', 'dot'];

export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < sql.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(sql);
    if (!m) throw new OnchainSqlError('parse_error', `Cannot translate the SQL to ClickHouse: unexpected character ${JSON.stringify(sql[at])} at offset ${at}.`);
    const group = m.findIndex((g, i) => i > 0 && g !== undefined);
    out.push({ kind: KINDS[group - 1], text: m[0] });
  }
  return out;
}

/**
 * A DuckDB string literal ('' is a quote, a backslash is itself) re-encoded
 * for ClickHouse, where a backslash escapes: passed through as written,
 * '\'' … would end a string where DuckDB's validator saw none end.
 */
export function clickhouseString(duckdbLiteral: string, likePattern = false): string {
  const raw = duckdbLiteral.slice(1, -1).replace(/''/g, "'");
  const value = likePattern ? raw.replace(/\\/g, '\\\\') : raw;
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function unsupported(what: string, hint: string): OnchainSqlError {
  return new OnchainSqlError('forbidden_function', `${what} has no ClickHouse translation in Onchain SQL. ${hint}`);
}

/** The statement in ClickHouse SQL; throws `forbidden_function` naming what cannot be translated. */
export function toClickHouseSql(duckdbSql: string, ctx: TranslateContext): string {
  // A comment becomes a space: dropped outright it could join two tokens into one.
  const tokens = tokenize(duckdbSql).map((t): Token => (t.kind === 'comment' ? { kind: 'ws', text: ' ' } : t));
  const odd = tokens.find((t) => t.kind === 'op' && /^[$#?@{}]$/.test(t.text));
  if (odd) {
    // ClickHouse reads these differently ($heredoc$ strings, # comments, {param} substitutions): refused, not guessed.
    throw new OnchainSqlError('parse_error', `The character ${odd.text} outside a string cannot be translated to ClickHouse SQL.`);
  }
  const first = tokens.find((t) => t.kind !== 'ws');
  if (first && first.text.toLowerCase() === 'from') {
    throw new OnchainSqlError('parse_error', 'FROM-first SELECT is DuckDB-only syntax; write SELECT … FROM … for the ClickHouse engine.');
  }
  const translator = new Translator(tokens, ctx);
  const split = translator.unionTail();
  if (!split) return translator.range(0, tokens.length).trim();
  // ClickHouse applies a trailing ORDER BY / LIMIT to the last SELECT of a UNION only; DuckDB to the whole union.
  const [bodyStart, tailStart] = split;
  const head = translator.range(0, bodyStart).trim();
  const body = translator.range(bodyStart, tailStart).trim();
  const tail = translator.range(tailStart, tokens.length).trim();
  return `${head ? `${head} ` : ''}SELECT * FROM (${body}) ${tail}`;
}

class Translator {
  constructor(private readonly t: Token[], private readonly ctx: TranslateContext) {}

  /** Index of the next non-whitespace token at or after i (t.length if none). */
  private sig(i: number): number {
    while (i < this.t.length && this.t[i].kind === 'ws') i++;
    return i;
  }

  /** Index of the previous non-whitespace token before i (-1 if none). */
  private prevSig(i: number): number {
    i--;
    while (i >= 0 && this.t[i].kind === 'ws') i--;
    return i;
  }

  private lower(i: number): string {
    return this.t[i]?.text.toLowerCase() ?? '';
  }

  /** Index of the ')' that closes the '(' at i. */
  private close(open: number): number {
    let depth = 0;
    for (let i = open; i < this.t.length; i++) {
      if (this.t[i].kind === 'lparen') depth++;
      else if (this.t[i].kind === 'rparen' && --depth === 0) return i;
    }
    throw new OnchainSqlError('parse_error', 'Cannot translate the SQL to ClickHouse: unbalanced parentheses.');
  }

  /** The top-level comma-separated ranges between '(' at open and ')' at close. */
  private args(open: number, close: number): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    let depth = 0;
    let start = open + 1;
    for (let i = open + 1; i < close; i++) {
      const k = this.t[i].kind;
      if (k === 'lparen') depth++;
      else if (k === 'rparen') depth--;
      else if (k === 'comma' && depth === 0) {
        out.push([start, i]);
        start = i + 1;
      }
    }
    if (this.sig(start) < close || out.length) out.push([start, close]);
    return out;
  }

  /**
   * For a top-level set operation followed by ORDER BY or LIMIT: where the
   * union begins (after any WITH list) and where its ORDER BY/LIMIT begins.
   */
  unionTail(): [number, number] | undefined {
    let depth = 0;
    let setOp = -1;
    let firstSelect = -1;
    let tail = -1;
    for (let i = 0; i < this.t.length; i++) {
      const k = this.t[i].kind;
      if (k === 'lparen') depth++;
      else if (k === 'rparen') depth--;
      if (depth !== 0 || k !== 'ident') continue;
      const w = this.lower(i);
      if (w === 'select' && firstSelect < 0) firstSelect = i;
      else if ((w === 'union' || w === 'intersect' || w === 'except') && this.t[this.prevSig(i)]?.text !== '*') {
        setOp = i;
        tail = -1;
      } else if (setOp >= 0 && tail < 0 && (w === 'limit' || w === 'offset' || (w === 'order' && this.lower(this.sig(i + 1)) === 'by'))) tail = i;
    }
    return setOp >= 0 && tail >= 0 && firstSelect >= 0 ? [firstSelect, tail] : undefined;
  }

  range(from: number, to: number): string {
    let out = '';
    let i = from;
    while (i < to) {
      const [text, next] = this.one(i, to);
      out += text;
      i = next;
    }
    return out;
  }

  private argText(r: [number, number]): string {
    return this.range(r[0], r[1]).trim();
  }

  /** Translates the construct starting at token i; returns its text and the index after it. */
  private one(i: number, to: number): [string, number] {
    const tok = this.t[i];
    if (tok.kind === 'op' && (tok.text === '//' || tok.text === '%')) {
      // DuckDB gives NULL for x // 0 and x % 0; ClickHouse fails: divide by nullIf(divisor, 0).
      // (x / 0 is left alone: DuckDB gives NULL for integers but inf for DOUBLE, as ClickHouse does; types are not known here.)
      const start = this.sig(i + 1);
      const end = this.operandEnd(start, to);
      const op = tok.text === '//' ? 'DIV' : tok.text;
      if (end <= start) return [` ${op} `, i + 1];
      return [` ${op} nullIf(${this.range(start, end).trim()}, 0)`, end];
    }
    if (tok.kind === 'op' && tok.text === '::') return this.castSuffix(i);
    if (tok.kind === 'string') {
      // DuckDB's LIKE has no escape character unless ESCAPE is given; ClickHouse's escapes with a backslash.
      const pattern = ['like', 'ilike'].includes(this.lower(this.prevSig(i)));
      return [clickhouseString(tok.text, pattern), i + 1];
    }
    if (tok.kind !== 'ident' && tok.kind !== 'qident') return [tok.text, i + 1];

    const name = tok.kind === 'qident' ? tok.text.slice(1, -1).replace(/""/g, '"') : tok.text;
    const lower = name.toLowerCase();
    const n1 = this.sig(i + 1);
    const prev = this.prevSig(i);
    const afterDot = prev >= 0 && this.t[prev].kind === 'dot';

    // namespace.table → the ClickHouse table that holds it.
    if (!afterDot && n1 < to && this.t[n1].kind === 'dot') {
      const n2 = this.sig(n1 + 1);
      const tableTok = this.t[n2];
      if (tableTok && (tableTok.kind === 'ident' || tableTok.kind === 'qident')) {
        const table = tableTok.kind === 'qident' ? tableTok.text.slice(1, -1) : tableTok.text;
        const spec = CONTRACT.get(`${lower}.${table.toLowerCase()}`);
        const n3 = this.sig(n2 + 1);
        if (spec && this.t[n3]?.kind !== 'dot') return [this.ctx.tableName(spec.namespace, spec.name), n2 + 1];
      }
    }
    if (tok.kind === 'ident' && !afterDot) {
      const nextTok = this.t[n1];
      if ((lower === 'timestamp' || lower === 'datetime' || lower === 'date') && nextTok?.kind === 'string' && this.t[prev]?.text !== '::') {
        const literal = clickhouseString(nextTok.text);
        return [lower === 'date' ? `toDate32(${literal})` : `toDateTime64(${literal}, 6, 'UTC')`, n1 + 1];
      }
      if (lower === 'interval') return this.interval(i, n1);
      if (lower === 'exclude' && this.t[prev]?.text === '*') return ['EXCEPT', i + 1];
      if (nextTok?.kind === 'lparen' && !NOT_CALLS.has(lower) && this.lower(prev) !== 'as') return this.call(lower, name, n1);
    }
    // DuckDB matches identifiers case-insensitively, quoted or not (the contract's names are lower case).
    return [tok.kind === 'qident' ? quoteIdentifier(lower) : lower, i + 1];
  }

  /**
   * The end of the operand starting at i, as `*`, `/` and `%` bind it: an
   * optional sign, then a parenthesised group, literal, CASE … END, or a name
   * (dotted, possibly called, with FILTER/OVER), then `::type` and `[…]` suffixes.
   */
  private operandEnd(i: number, to: number): number {
    let at = i;
    if (this.t[at]?.kind === 'op' && (this.t[at].text === '-' || this.t[at].text === '+')) at = this.sig(at + 1);
    const tok = this.t[at];
    if (!tok || at >= to) return i;
    let end: number;
    if (tok.kind === 'lparen') end = this.close(at) + 1;
    else if (tok.kind === 'number' || tok.kind === 'string') end = at + 1;
    else if (tok.kind === 'ident' && this.lower(at) === 'case') end = this.caseEnd(at) + 1;
    else if (tok.kind === 'ident' && ['timestamp', 'date', 'datetime'].includes(this.lower(at)) && this.t[this.sig(at + 1)]?.kind === 'string') end = this.sig(at + 1) + 1;
    else if (tok.kind === 'ident' || tok.kind === 'qident') {
      end = at + 1;
      for (;;) {
        const n = this.sig(end);
        if (this.t[n]?.kind === 'dot') end = this.sig(n + 1) + 1;
        else if (this.t[n]?.kind === 'lparen') end = this.close(n) + 1;
        else if (['filter', 'over'].includes(this.lower(n)) && this.t[this.sig(n + 1)]?.kind === 'lparen') end = this.close(this.sig(n + 1)) + 1;
        else if (this.lower(n) === 'over' && this.t[this.sig(n + 1)]?.kind === 'ident') end = this.sig(n + 1) + 1;
        else break;
      }
    } else return i;
    for (;;) {
      const n = this.sig(end);
      if (this.t[n]?.text === '::') {
        end = this.typeAt(this.sig(n + 1))[1];
      } else if (this.t[n]?.text === '[') {
        let depth = 0;
        let j = n;
        for (; j < this.t.length; j++) {
          if (this.t[j].text === '[') depth++;
          else if (this.t[j].text === ']' && --depth === 0) break;
        }
        end = j + 1;
      } else break;
    }
    return Math.min(end, to);
  }

  /** Index of the END that closes the CASE at i. */
  private caseEnd(i: number): number {
    let depth = 0;
    for (let j = i; j < this.t.length; j++) {
      if (this.t[j].kind !== 'ident') continue;
      const w = this.lower(j);
      if (w === 'case') depth++;
      else if (w === 'end' && --depth === 0) return j;
    }
    throw new OnchainSqlError('parse_error', 'Cannot translate the SQL to ClickHouse: CASE without END.');
  }

  /** INTERVAL n UNIT (DuckDB also takes plural units); INTERVAL 'n units' is native in ClickHouse. */
  private interval(i: number, n1: number): [string, number] {
    const valueTok = this.t[n1];
    if (!valueTok || valueTok.kind !== 'number') return ['INTERVAL', i + 1];
    const u = this.sig(n1 + 1);
    const unit = INTERVAL_UNITS[this.t[u]?.text.toUpperCase() ?? ''];
    if (!unit) return ['INTERVAL', i + 1];
    return [`INTERVAL ${valueTok.text} ${unit}`, u + 1];
  }

  /** `::TYPE` with DuckDB's type names mapped (nullable-keeping casts are set per query). */
  private castSuffix(i: number): [string, number] {
    const [type, next] = this.typeAt(this.sig(i + 1));
    return [`::${type}`, next];
  }

  /** A DuckDB type name at index i (with optional (p, s) and [] suffix) as ClickHouse's. */
  private typeAt(i: number): [string, number] {
    const tok = this.t[i];
    if (!tok || tok.kind !== 'ident') throw new OnchainSqlError('parse_error', 'Cannot translate the SQL to ClickHouse: a cast has no type name.');
    const upper = tok.text.toUpperCase();
    let next = i + 1;
    // DOUBLE PRECISION, TIMESTAMP WITH TIME ZONE are refused rather than guessed.
    const mapped = TYPES[upper];
    if (!mapped) throw unsupported(`The type ${tok.text}`, `Use one of ${Object.keys(TYPES).slice(0, 12).join(', ')}, ….`);
    let text = mapped;
    const p = this.sig(next);
    if (this.t[p]?.kind === 'lparen') {
      const c = this.close(p);
      text += `(${this.args(p, c).map((r) => this.argText(r)).join(', ')})`;
      next = c + 1;
    } else if (upper === 'DECIMAL' || upper === 'NUMERIC') {
      text = 'Decimal(18, 3)'; // DuckDB's default precision and scale
    }
    const b = this.sig(next);
    if (this.t[b]?.text === '[' && this.t[this.sig(b + 1)]?.text === ']') {
      text = `Array(${text})`;
      next = this.sig(b + 1) + 1;
    }
    return [text, next];
  }

  /** A function call `name(` with '(' at open. */
  private call(lower: string, name: string, open: number): [string, number] {
    const close = this.close(open);
    const args = this.args(open, close);
    const a = (k: number) => (args[k] ? this.argText(args[k]) : '');
    const all = () => this.range(open + 1, close).trim();
    const after = close + 1;
    switch (lower) {
      case 'snapshot_time':
        return [`toDateTime64('${this.ctx.snapshotTime.replace(/'/g, '')}', 6, 'UTC')`, after];
      case 'date_trunc':
        // ClickHouse's dateTrunc gives a Date32 for day and coarser; DuckDB keeps a TIMESTAMP.
        return [`toDateTime64(dateTrunc(${a(0)}, ${a(1)}), 6, 'UTC')`, after];
      case 'cast':
      case 'try_cast': {
        const asAt = this.lastTopLevelAs(open, close);
        const [type] = this.typeAt(this.sig(asAt + 1));
        const value = this.range(open + 1, asAt).trim();
        return [lower === 'cast' ? `CAST(${value} AS ${type})` : `accurateCastOrNull(${value}, '${type.replace(/'/g, "\\'")}')`, after];
      }
      case 'median':
        return [`quantileExactInclusive(0.5)(${a(0)})`, after];
      case 'quantile_cont':
        return [`quantileExactInclusive(${a(1)})(${a(0)})`, after];
      case 'quantile_disc':
        return [`quantileExactLow(${a(1)})(${a(0)})`, after];
      case 'string_agg':
        return [`arrayStringConcat(groupArray(${a(0)}), ${args[1] ? a(1) : "','"})`, after];
      case 'contains':
        return [`(position(${a(0)}, ${a(1)}) > 0)`, after];
      case 'dayofweek':
        return [`toDayOfWeek(${a(0)}, 2)`, after]; // Sunday = 0, as DuckDB
      case 'isodow':
        return [`toDayOfWeek(${a(0)}, 0)`, after]; // Monday = 1 … Sunday = 7
      case 'dayname':
        return [`dateName('weekday', ${a(0)})`, after];
      case 'monthname':
        return [`dateName('month', ${a(0)})`, after];
    }
    const target = RENAMED[lower] ?? (SAME.has(lower) ? lower : undefined);
    if (!target) throw unsupported(`The function ${name}()`, 'Rewrite the query with the functions the ClickHouse engine translates (README, "Running against ClickHouse"; src/core/engine/clickhouse/dialect.json).');
    return [`${target}(${all()})`, after];
  }

  private lastTopLevelAs(open: number, close: number): number {
    let depth = 0;
    let at = -1;
    for (let i = open + 1; i < close; i++) {
      const k = this.t[i].kind;
      if (k === 'lparen') depth++;
      else if (k === 'rparen') depth--;
      else if (depth === 0 && k === 'ident' && this.lower(i) === 'as') at = i;
    }
    if (at < 0) throw new OnchainSqlError('parse_error', 'Cannot translate the SQL to ClickHouse: CAST without AS.');
    return at;
  }
}
