import type { DuckDBConnection } from '@duckdb/node-api';
import * as path from 'node:path';
import { OnchainSqlError } from '../errors.js';
import { catalog, qualifiedName } from '../schema/catalog.js';
import { callWithText } from './duckdb-ast.js';
import { isAllowedFunction } from './function-policy.js';
import planPolicy from './allowed-plan.json';

/**
 * The final word on what a statement reads, from DuckDB itself: the logical
 * plan it binds the statement to (`json_serialize_plan`, not optimised, so no
 * constant is folded). Views and CTEs are already resolved there exactly as
 * they will run, so a name that is a CTE in one place and a file, a catalog
 * view or a replacement scan in another cannot hide: every scan must be one of
 * the contract views as the engine defined them, or an allowed generator.
 * The statement text travels as a bound parameter of a fixed query; user SQL
 * never calls the serializer itself (the function allow-list refuses it).
 */

const SERIALIZE_PLAN = 'SELECT json_serialize_plan($1::VARCHAR, optimize := false)';
const OPERATORS = new Set(planPolicy.operators);
const NAMESPACE_LIST = [...new Set(catalog.tables.map((t) => `${t.namespace}.*`))].join(', ');

/** One scan (LOGICAL_GET) of a plan: the table function and what it reads. */
export interface PlanScan {
  function: string;
  files: string[];
  columns: string[];
}

export type SerializedPlan =
  | { kind: 'plan'; operators: string[]; scans: PlanScan[] }
  | { kind: 'error'; errorType: string; message: string };

type JsonObject = { [key: string]: unknown };
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export async function serializePlan(conn: DuckDBConnection, sql: string): Promise<SerializedPlan> {
  const parsed = JSON.parse(String(await callWithText(conn, SERIALIZE_PLAN, sql))) as JsonObject;
  if (parsed.error) return { kind: 'error', errorType: typeof parsed.error_type === 'string' ? parsed.error_type : '', message: typeof parsed.error_message === 'string' ? parsed.error_message : 'unknown error' };
  const operators: string[] = [];
  const scans: PlanScan[] = [];
  // Iterative: a plan can be as deep as the statement's expressions.
  const stack: unknown[] = [parsed.plans];
  while (stack.length) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (const n of node) stack.push(n);
      continue;
    }
    if (!isObject(node)) continue;
    const type = typeof node.type === 'string' ? node.type : '';
    if (type.startsWith('LOGICAL_')) operators.push(type);
    if (type === 'LOGICAL_GET') {
      const data = isObject(node.function_data) ? node.function_data : {};
      scans.push({ function: typeof node.name === 'string' ? node.name : '', files: strings(data.files), columns: strings(node.names) });
    }
    // A subquery still inside an expression would hide its own plan: refused below as an unknown operator.
    if (node.expression_class === 'BOUND_SUBQUERY') operators.push('BOUND_SUBQUERY');
    for (const v of Object.values(node)) if (typeof v === 'object' && v !== null) stack.push(v);
  }
  return { kind: 'plan', operators, scans };
}

function signature(scan: PlanScan): string {
  return JSON.stringify([scan.function, scan.files, scan.columns]);
}

/**
 * The scans of the contract views as the engine defined them, from DuckDB's
 * plans of trusted statements (names from the catalog, not from user SQL);
 * once per connection.
 */
const contractScans = new WeakMap<DuckDBConnection, Promise<Map<string, string>>>();

function contractScansOf(conn: DuckDBConnection): Promise<Map<string, string>> {
  let scans = contractScans.get(conn);
  if (!scans) {
    scans = (async () => {
      const bySignature = new Map<string, string>();
      for (const t of catalog.tables) {
        const plan = await serializePlan(conn, `SELECT * FROM ${qualifiedName(t)}`);
        if (plan.kind !== 'plan' || plan.scans.length !== 1) {
          throw new OnchainSqlError('snapshot_corrupt', `The engine's view ${qualifiedName(t)} does not plan as one scan of its file${plan.kind === 'error' ? `: ${plan.message}` : ''}.`);
        }
        bySignature.set(signature(plan.scans[0]), qualifiedName(t));
      }
      return bySignature;
    })();
    contractScans.set(conn, scans);
    scans.catch(() => contractScans.delete(conn));
  }
  return scans;
}

/**
 * Refuses a plan that reads anything but the contract views and the allowed
 * generators, or holds an operator the policy does not list.
 */
export async function checkPlanScans(conn: DuckDBConnection, plan: Extract<SerializedPlan, { kind: 'plan' }>): Promise<void> {
  const unknownOperator = plan.operators.find((o) => !OPERATORS.has(o));
  if (unknownOperator) {
    throw new OnchainSqlError('forbidden_statement', `The statement's plan holds ${unknownOperator}, which a read-only query over the snapshot's tables does not need.`);
  }
  const contract = await contractScansOf(conn);
  for (const scan of plan.scans) {
    if (contract.has(signature(scan))) continue;
    if (!scan.files.length && isAllowedFunction(scan.function, 'table')) continue;
    throw scanError(scan);
  }
}

function scanError(scan: PlanScan): OnchainSqlError {
  if (scan.files.length) {
    const names = [...new Set(scan.files.map((f) => path.basename(f)))];
    const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '');
    return new OnchainSqlError('forbidden_function', `The statement reads the file${names.length > 1 ? 's' : ''} ${shown} directly (${scan.function}), not through a contract table: only the snapshot's tables (${NAMESPACE_LIST}) can be queried.`);
  }
  return new OnchainSqlError('unknown_table', `The statement reads ${scan.function}, part of the engine's catalog, not the chain data (a name DuckDB resolved outside the contract, e.g. a CTE name used out of its scope): only the snapshot's tables (${NAMESPACE_LIST}) can be queried.`, catalog.tables.map(qualifiedName));
}
