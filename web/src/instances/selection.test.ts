import { describe, expect, it } from 'vitest';
import { instance } from '../test/instances';
import { pruneSelection, selectedRows, toggleKey } from './selection';

describe('selection', () => {
  const rows = [instance('i-1'), instance('i-2', { env: 'prod' })];

  it('toggles keys', () => {
    const s = toggleKey(new Set(), 'dev/i-1');
    expect([...s]).toEqual(['dev/i-1']);
    expect([...toggleKey(s, 'dev/i-1')]).toEqual([]);
  });

  it('survives a refresh that lists the same instances', () => {
    const sel = new Set(['dev/i-1', 'prod/i-2']);
    expect(pruneSelection(sel, [instance('i-2', { env: 'prod', state: 'stopping' }), instance('i-1')])).toBe(sel);
  });

  it('drops instances no longer listed', () => {
    expect([...pruneSelection(new Set(['dev/i-1', 'dev/gone']), rows)]).toEqual(['dev/i-1']);
  });

  it('keeps the same id in two environments apart', () => {
    expect(selectedRows(new Set(['prod/i-2']), [...rows, instance('i-2')])).toEqual([rows[1]]);
  });
});
