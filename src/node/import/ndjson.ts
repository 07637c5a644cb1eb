// NDJSON sniffing for FHIR files, apart from the FHIR reader so that format detection does not load it.

/** NDJSON when the first line is a complete resource that is not a Bundle (a one-line Bundle is JSON). */
export function isNdjson(head: string): boolean {
  const first = head.trimStart().split('\n', 1)[0].trim()
  try {
    const v = JSON.parse(first) as { resourceType?: string }
    return typeof v === 'object' && v !== null && v.resourceType !== 'Bundle'
  } catch {
    return false
  }
}
