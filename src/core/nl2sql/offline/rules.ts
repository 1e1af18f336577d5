/**
 * Ordered rules as data: a rule's `when` is a condition on the named slots of a question (its frame plus a few
 * derived facts), and a list of rules is read top to bottom, the first that holds deciding (rules.json, tables.json).
 */

/** Every key present must hold; a rule without `when` always holds (a list's last, default rule). */
export interface When {
  /** Each named slot holds one of the values: a list slot contains one, a single value equals one. */
  has?: Record<string, readonly string[]>;
  /** Each named slot holds none of the values. */
  lacks?: Record<string, readonly string[]>;
  /** Each named slot is set: a non-empty list, a true flag, a value. */
  set?: readonly string[];
  /** Each named slot is unset: an empty list, false, no value. */
  unset?: readonly string[];
  /** Each named slot holds nothing but these values (an empty list passes). */
  only?: Record<string, readonly string[]>;
  /** At least one of these holds. */
  any?: readonly When[];
  not?: When;
}

/** The slots a rule may name. A slot must be present (perhaps undefined): a misspelt name in the data is an error, not "unset". */
export type Facts = Readonly<Record<string, unknown>>;

function slot(facts: Facts, name: string): unknown {
  if (!(name in facts)) throw new Error(`offline rules name an unknown slot "${name}"`);
  return facts[name];
}

function isSet(v: unknown): boolean {
  return Array.isArray(v) ? v.length > 0 : Boolean(v);
}

function holdsOneOf(v: unknown, values: readonly string[]): boolean {
  return Array.isArray(v) ? v.some((x) => values.includes(x as string)) : values.includes(v as string);
}

function holdsOnly(v: unknown, values: readonly string[]): boolean {
  if (Array.isArray(v)) return v.every((x) => values.includes(x as string));
  return v === undefined || values.includes(v as string);
}

export function holds(when: When | undefined, facts: Facts): boolean {
  if (!when) return true;
  const every = (o: Record<string, readonly string[]> | undefined, test: (v: unknown, values: readonly string[]) => boolean) =>
    Object.entries(o ?? {}).every(([name, values]) => test(slot(facts, name), values));
  return every(when.has, holdsOneOf)
    && every(when.lacks, (v, values) => !holdsOneOf(v, values))
    && every(when.only, holdsOnly)
    && (when.set ?? []).every((name) => isSet(slot(facts, name)))
    && (when.unset ?? []).every((name) => !isSet(slot(facts, name)))
    && (!when.any || when.any.some((w) => holds(w, facts)))
    && (!when.not || !holds(when.not, facts));
}

/** The first rule that holds, in the order written. */
export function firstRule<R extends { when?: When }>(rules: readonly R[] | undefined, facts: Facts): R | undefined {
  return rules?.find((r) => holds(r.when, facts));
}

/** Fills `{slot}` and `{slot.N}` (the Nth value of a list slot) in a message or unit from the data. */
export function fill(template: string, facts: Facts): string {
  return template.replace(/\{(\w+)(?:\.(\d+))?\}/g, (_, name: string, index?: string) => {
    const v = slot(facts, name);
    return String(index === undefined ? v : (v as unknown[])[Number(index)]);
  });
}

/** Every slot a condition names, nested ones included (to check the data against the slots the translator provides). */
export function slotNames(when: When): string[] {
  return [
    ...Object.keys(when.has ?? {}), ...Object.keys(when.lacks ?? {}), ...Object.keys(when.only ?? {}), ...(when.set ?? []), ...(when.unset ?? []),
    ...(when.any ?? []).flatMap(slotNames), ...(when.not ? slotNames(when.not) : []),
  ];
}
