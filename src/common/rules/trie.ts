// A token trie: phrases (token arrays) -> payload indices. Matching walks from a start token and
// reports every phrase ending on the way, so one pass per position finds all candidates; cost is
// bounded by the longest phrase, not the number of phrases.

export interface TrieNode {
  next: Map<string, TrieNode> | null
  /** Payload indices of phrases ending here. */
  out: number[] | null
}

export function newTrieNode(): TrieNode {
  return { next: null, out: null }
}

export function trieInsert(root: TrieNode, tokens: readonly string[], payload: number): void {
  let node = root
  for (const tok of tokens) {
    if (!node.next) node.next = new Map()
    let child = node.next.get(tok)
    if (!child) {
      child = newTrieNode()
      node.next.set(tok, child)
    }
    node = child
  }
  if (!node.out) node.out = []
  if (!node.out.includes(payload)) node.out.push(payload)
}

/**
 * Longest phrase starting at token `i`: returns its end (exclusive) and payloads, or -1.
 * `skip` tokens (e.g. none) are not skipped: phrases are contiguous.
 */
export function trieLongest(
  root: TrieNode,
  norm: readonly string[],
  i: number,
  n: number
): { end: number; out: number[] } | null {
  let node: TrieNode | undefined = root
  let best: { end: number; out: number[] } | null = null
  for (let j = i; j < n && node && node.next; j++) {
    node = node.next.get(norm[j])
    if (!node) break
    if (node.out) best = { end: j + 1, out: node.out }
  }
  return best
}
