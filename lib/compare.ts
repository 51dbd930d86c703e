/**
 * Orders strings by UTF-16 code units, as Kafka's own tools (Java's String.compareTo) list topics
 * and groups. Unlike localeCompare it allocates nothing and costs no ICU call: sorting 40,000
 * names stays a few milliseconds.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
