import { describe, expect, it } from 'vitest';
import { isRfc3339, targetText } from './rollback';

describe('rollback', () => {
  it('takes RFC 3339 times with a zone only', () => {
    expect(isRfc3339('2025-09-14T10:00:00Z')).toBe(true);
    expect(isRfc3339('2025-09-14T10:00:00.250+02:00')).toBe(true);
    expect(isRfc3339('2025-09-14T10:00:00')).toBe(false);
    expect(isRfc3339('2025-09-14')).toBe(false);
    expect(isRfc3339('2025-13-14T10:00:00Z')).toBe(false);
    expect(isRfc3339('yesterday')).toBe(false);
  });

  it('words the target', () => {
    expect(targetText('previous')).toBe('the previous change set');
    expect(targetText('cs-prod-4')).toBe('cs-prod-4');
    expect(targetText('2025-09-14T10:00:00Z')).toBe('the config live at 2025-09-14T10:00:00Z');
  });
});
