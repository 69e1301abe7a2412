/**
 * Orders names by their code units, the order the API server lists objects in (its keys are byte strings) and the
 * order kubectl prints them. String#localeCompare would start ICU's collator, which maps ~3 MB of the node binary
 * into every function process that sorts a list; Kubernetes names, reasons and ISO times need no collation.
 */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
