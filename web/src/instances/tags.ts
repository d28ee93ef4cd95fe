// The tag editor works on a list of rows; saving sends only what changed as
// PUT .../tags {"set": {...}, "remove": [...]}.

export interface TagRow {
  key: string;
  value: string;
}

export interface TagChange {
  set: Record<string, string>;
  remove: string[];
}

/**
 * Tags ec2m manages instances by (the server's IsProtectedTag): Environment, ManagedBy and every
 * ec2m: key. Changing or removing one needs the deployer (or admin) role in the instance's
 * environment; the server refuses anyone else the whole change.
 */
export function isProtectedTag(key: string): boolean {
  return key === 'Environment' || key === 'ManagedBy' || key.startsWith('ec2m:');
}

export const PROTECTED_TAGS_HINT =
  'Environment, ManagedBy and ec2m:… tags are how ec2m manages this instance: changing or removing them needs the deployer role.';

export function rowsFromTags(tags: Record<string, string>): TagRow[] {
  return Object.entries(tags)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => ({ key, value }));
}

/** A problem that blocks saving, or null. EC2 limits: 50 tags, keys ≤ 128, values ≤ 256. */
export function tagRowsProblem(rows: readonly TagRow[]): string | null {
  const seen = new Set<string>();
  const used = rows.filter((r) => r.key.trim() || r.value.trim());
  if (used.length > 50) {
    return 'At most 50 tags';
  }
  for (const r of used) {
    const key = r.key.trim();
    if (!key) {
      return `A tag with value "${r.value}" has no key`;
    }
    if (key.toLowerCase().startsWith('aws:')) {
      return `Tag keys starting with aws: are reserved (${key})`;
    }
    if (key.length > 128 || r.value.length > 256) {
      return `Tag ${key} is too long (key ≤ 128, value ≤ 256 characters)`;
    }
    if (seen.has(key)) {
      return `Tag ${key} appears twice`;
    }
    seen.add(key);
  }
  return null;
}

export function diffTags(original: Record<string, string>, rows: readonly TagRow[]): TagChange {
  const edited = new Map<string, string>();
  for (const r of rows) {
    if (r.key.trim()) {
      edited.set(r.key.trim(), r.value);
    }
  }
  const set: Record<string, string> = {};
  for (const [k, v] of edited) {
    if (original[k] !== v) {
      set[k] = v;
    }
  }
  const remove = Object.keys(original).filter((k) => !edited.has(k));
  return { set, remove };
}

export function isNoChange(c: TagChange): boolean {
  return Object.keys(c.set).length === 0 && c.remove.length === 0;
}
