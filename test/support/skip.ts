/**
 * The reason to skip a check on this machine, or false to run it. Under CI
 * (CI=true) nothing may be skipped: the missing prerequisite fails the run
 * instead. Elsewhere the skip is printed loudly, not just counted.
 */
export function skipReason(reason: string | false): string | false {
  if (!reason) return false;
  if (process.env.CI) throw new Error(`CI must not skip this check: ${reason}`);
  console.warn(`\n!!! SKIPPED on this machine: ${reason}\n`);
  return reason;
}
