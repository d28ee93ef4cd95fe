import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { instance } from '../test/instances';
import { TerminateConfirm, isTerminateConfirmed } from './TerminateConfirm';

describe('isTerminateConfirmed', () => {
  it('accepts the count or the word', () => {
    expect(isTerminateConfirmed('3', 3)).toBe(true);
    expect(isTerminateConfirmed(' 3 ', 3)).toBe(true);
    expect(isTerminateConfirmed('terminate', 3)).toBe(true);
    expect(isTerminateConfirmed('Terminate', 1)).toBe(true);
  });

  it('refuses anything else', () => {
    expect(isTerminateConfirmed('', 3)).toBe(false);
    expect(isTerminateConfirmed('2', 3)).toBe(false);
    expect(isTerminateConfirmed('03', 3)).toBe(false);
    expect(isTerminateConfirmed('yes', 3)).toBe(false);
    expect(isTerminateConfirmed('0', 0)).toBe(false);
    expect(isTerminateConfirmed('terminat', 3)).toBe(false);
  });
});

describe('TerminateConfirm', () => {
  const rows = [instance('i-1'), instance('i-2', { termination_protection: true }), instance('i-3', { env: 'prod' })];

  it('keeps the button disabled until the count is typed', async () => {
    const onConfirm = vi.fn();
    render(<TerminateConfirm rows={rows} busy={false} onConfirm={onConfirm} onCancel={() => {}} />);
    expect(screen.getByRole('alertdialog', { name: 'Terminate 3 instances?' })).toBeTruthy();
    expect(screen.getByText(/termination protection is on/)).toBeTruthy();
    const input = screen.getByLabelText('Type 3 or “terminate” to confirm');
    expect(document.activeElement).toBe(input);
    const button = screen.getByRole('button', { name: 'Terminate 3 instances' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    await userEvent.type(input, '2{Enter}');
    expect(onConfirm).not.toHaveBeenCalled();
    await userEvent.clear(input);
    await userEvent.type(input, '3');
    expect(button.disabled).toBe(false);
    await userEvent.click(button);
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });

  it('confirms with the word and Enter', async () => {
    const onConfirm = vi.fn();
    render(<TerminateConfirm rows={[rows[0]!]} busy={false} onConfirm={onConfirm} onCancel={() => {}} />);
    await userEvent.type(screen.getByLabelText('Type 1 or “terminate” to confirm'), 'terminate{Enter}');
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });

  it('does nothing while busy, and cancels with Escape', async () => {
    const onConfirm = vi.fn();
    const onCancel = vi.fn();
    render(<TerminateConfirm rows={rows} busy={true} onConfirm={onConfirm} onCancel={onCancel} />);
    await userEvent.type(screen.getByRole('textbox'), '3{Enter}');
    expect(onConfirm).not.toHaveBeenCalled();
    await userEvent.keyboard('{Escape}');
    expect(onCancel).toHaveBeenCalled();
  });
});
