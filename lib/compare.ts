/**
 * Orders strings by UTF-16 code units, as Kafka's own tools (Java's String.compareTo) list topics
 * and groups. Unlike localeCompare it allocates nothing and costs no ICU call: sorting 40,000
 * names stays a few milliseconds.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether two lists hold the same numbers in the same order (replica lists: the first is the preferred leader). */
export function sameOrder(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
