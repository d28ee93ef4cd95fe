// Rollback targets and the confirmation production asks for.

/** The word to type, exactly, before a prod rollback; also sent as `confirm`. */
export const ROLLBACK_WORD = 'ROLLBACK';

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** An RFC 3339 time with its zone ("2025-09-14T10:00:00Z", "...+02:00") that is a real date. */
export function isRfc3339(text: string): boolean {
  return RFC3339.test(text) && !Number.isNaN(new Date(text.replace(' ', 'T')).getTime());
}

/** How a target reads in a sentence: "the previous change set", "cs-dev-2", "the config live at …". */
export function targetText(target: string): string {
  if (target === 'previous') {
    return 'the previous change set';
  }
  return isRfc3339(target) ? `the config live at ${target}` : target;
}
