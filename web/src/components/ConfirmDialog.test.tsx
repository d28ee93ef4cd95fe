import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ConfirmDialog } from './ConfirmDialog';

describe('ConfirmDialog', () => {
  it('asks a plain question whose default answer is no', async () => {
    const onConfirm = vi.fn();
    const onCancel = vi.fn();
    render(
      <ConfirmDialog
        title="Provision prod?"
        confirmLabel="Yes"
        cancelLabel="No"
        onConfirm={onConfirm}
        onCancel={onCancel}
      >
        Are you sure?
      </ConfirmDialog>,
    );
    expect(screen.getByRole('alertdialog', { name: 'Provision prod?' })).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'No' }));
    await userEvent.keyboard('{Enter}'); // Enter on the focused No
    expect(onConfirm).not.toHaveBeenCalled();
    expect(onCancel).toHaveBeenCalledTimes(1);
    await userEvent.click(screen.getByRole('button', { name: 'Yes' }));
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });

  it('waits for the exact word, and Escape cancels', async () => {
    const onConfirm = vi.fn();
    const onCancel = vi.fn();
    render(
      <ConfirmDialog
        title="Roll back prod?"
        word="ROLLBACK"
        confirmLabel="Roll back prod"
        onConfirm={onConfirm}
        onCancel={onCancel}
      >
        This is production.
      </ConfirmDialog>,
    );
    const input = screen.getByLabelText('Type ROLLBACK to confirm');
    expect(document.activeElement).toBe(input);
    const button = screen.getByRole('button', { name: 'Roll back prod' }) as HTMLButtonElement;
    await userEvent.type(input, 'Rollback{Enter}');
    expect(button.disabled).toBe(true);
    expect(onConfirm).not.toHaveBeenCalled();
    await userEvent.clear(input);
    await userEvent.type(input, ' ROLLBACK');
    expect(button.disabled).toBe(true);
    await userEvent.clear(input);
    await userEvent.type(input, 'ROLLBACK{Enter}');
    expect(onConfirm).toHaveBeenCalledTimes(1);
    await userEvent.keyboard('{Escape}');
    expect(onCancel).toHaveBeenCalledTimes(1);
  });

  it('does nothing while busy', async () => {
    const onConfirm = vi.fn();
    render(
      <ConfirmDialog
        title="Unlock dev?"
        word="dev"
        confirmLabel="Unlock dev"
        busy
        onConfirm={onConfirm}
        onCancel={() => {}}
      >
        Held by bob.
      </ConfirmDialog>,
    );
    await userEvent.type(screen.getByRole('textbox'), 'dev{Enter}');
    expect(onConfirm).not.toHaveBeenCalled();
  });
});
