/**
 * Checks a tool call's arguments against the tool's input schema (tools.json),
 * before anything runs. Only the JSON-Schema keywords the definitions use are
 * understood; a unit test keeps the definitions inside that subset, so a new
 * keyword cannot be silently ignored here.
 */

export interface PropertySchema {
  type: 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  default?: string | number | boolean;
}

export interface InputSchema {
  type: 'object';
  properties: Record<string, PropertySchema>;
  required?: string[];
  additionalProperties: false;
}

/** Keywords `checkInput` enforces (the rest of a definition is documentation). */
export const UNDERSTOOD_KEYWORDS = ['type', 'description', 'minLength', 'maxLength', 'minimum', 'maximum', 'default'] as const;

/** A call the schema refuses: the caller's mistake, reported as invalid parameters (not a tool failure). */
export class ToolInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolInputError';
  }
}

export type ToolArgs = Record<string, string | number | boolean>;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v).slice(0, 40)}`;
}

function checkProperty(name: string, p: PropertySchema, v: unknown): string | number | boolean {
  const kind = p.type === 'integer' ? 'an integer' : `a ${p.type}`;
  const ok = p.type === 'integer' ? Number.isInteger(v) : p.type === 'number' ? typeof v === 'number' && Number.isFinite(v) : typeof v === p.type;
  if (!ok) throw new ToolInputError(`"${name}" must be ${kind}, got ${describe(v)}.`);
  if (typeof v === 'string') {
    if (p.minLength !== undefined && v.length < p.minLength) throw new ToolInputError(`"${name}" must not be empty.`);
    if (p.maxLength !== undefined && v.length > p.maxLength) throw new ToolInputError(`"${name}" is ${v.length} characters long; at most ${p.maxLength}.`);
  }
  if (typeof v === 'number') {
    if ((p.minimum !== undefined && v < p.minimum) || (p.maximum !== undefined && v > p.maximum)) {
      throw new ToolInputError(`"${name}" must be between ${p.minimum ?? '-∞'} and ${p.maximum ?? '∞'}, got ${v}.`);
    }
  }
  return v as string | number | boolean;
}

/** The arguments with defaults filled in, or a ToolInputError saying exactly what is wrong. */
export function checkInput(toolName: string, schema: InputSchema, args: unknown): ToolArgs {
  const given = args ?? {};
  if (typeof given !== 'object' || Array.isArray(given)) throw new ToolInputError(`${toolName}: the arguments must be an object, got ${describe(given)}.`);
  const out: ToolArgs = {};
  const known = Object.keys(schema.properties);
  for (const key of Object.keys(given)) {
    if (!known.includes(key)) {
      throw new ToolInputError(`${toolName}: unknown argument "${key}"; ${known.length ? `it takes ${known.map((k) => `"${k}"`).join(', ')}` : 'it takes no arguments'}.`);
    }
  }
  for (const [key, p] of Object.entries(schema.properties)) {
    const v = (given as Record<string, unknown>)[key];
    if (v === undefined) {
      if (schema.required?.includes(key)) throw new ToolInputError(`${toolName}: missing required argument "${key}".`);
      if (p.default !== undefined) out[key] = p.default;
      continue;
    }
    try {
      out[key] = checkProperty(key, p, v);
    } catch (e) {
      throw new ToolInputError(`${toolName}: ${(e as Error).message}`);
    }
  }
  return out;
}
