/** The value at a dot path already split into `parts`, or undefined where the path is absent. */
export function valueAt(data: unknown, parts: readonly string[]): unknown {
  let node = data;
  for (const part of parts) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/**
 * The object that holds the last of `parts` in `data` (itself already a copy), copying each nested
 * object along the way unless it is one of `copies` (made for an earlier path of the same event), so
 * the caller can write there without touching the input.
 */
export function parentCopy(
  data: Record<string, unknown>,
  parts: readonly string[],
  copies: Set<object>,
): Record<string, unknown> {
  let node = data;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i] as string;
    let child = node[part] as Record<string, unknown>;
    if (!copies.has(child)) {
      child = { ...child };
      copies.add(child);
      node[part] = child;
    }
    node = child;
  }
  return node;
}
