// The crew document as text (YAML or JSON) and structured edits that keep YAML comments.
import YAML from 'yaml';
import type { CrewDoc } from '../../lib/types';

export type Format = 'yaml' | 'json';

export function parseDoc(text: string, format: Format): { doc: CrewDoc | null; error: string | null } {
  try {
    const doc = format === 'json' ? JSON.parse(text) : YAML.parse(text);
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return { doc: null, error: 'the document must be a mapping' };
    return { doc, error: null };
  } catch (e) {
    return { doc: null, error: e instanceof Error ? e.message.split('\n')[0] : String(e) };
  }
}

export function serialize(doc: CrewDoc, format: Format): string {
  return format === 'json' ? JSON.stringify(doc, null, 2) + '\n' : YAML.stringify(doc, { lineWidth: 0 });
}

function isEmpty(v: unknown) {
  return v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}

/** Sets (or, for empty values, removes) the value at path; YAML keeps its comments and layout. */
export function setPath(text: string, format: Format, path: string[], value: unknown): string {
  if (format === 'yaml') {
    const d = YAML.parseDocument(text);
    if (d.errors.length === 0) {
      if (isEmpty(value)) d.deleteIn(path);
      else d.setIn(path, d.createNode(value, { flow: Array.isArray(value) }));
      return d.toString({ lineWidth: 0 });
    }
  }
  const { doc } = parseDoc(text, format);
  if (!doc) return text;
  let node: any = doc;
  for (const key of path.slice(0, -1)) node = node[key] ??= {};
  const last = path[path.length - 1];
  if (isEmpty(value)) delete node[last];
  else node[last] = value;
  return serialize(doc, format);
}
