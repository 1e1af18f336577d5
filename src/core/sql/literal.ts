/** A SQL string literal. Text from questions, models and chain data is attacker-controlled: never splice it unquoted. */
export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
