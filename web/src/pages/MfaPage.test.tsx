import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { qrPath } from '../components/QrCode';
import type { Backend } from '../test/backend';
import { openApp } from '../test/openApp';

const openAt = (hash: string, setup?: (b: Backend) => void) => openApp(hash, setup ? { setup } : {}).backend;

/** A backend whose user has MFA on, with two recovery codes left. */
function withMfa(b: Backend) {
  b.user = { ...b.user, mfa_enabled: true };
  b.recoveryCodes = ['rc-1', 'rc-2'];
  b.mfaVerified = true;
}

async function prove(password: string, code?: string) {
  const form = screen.getByRole('region', { name: /Confirm it is you|New recovery codes|Turn MFA off/ });
  if (password) {
    await userEvent.type(within(form).getByLabelText('Current password'), password);
  }
  if (code !== undefined) {
    await userEvent.type(within(form).getByLabelText('Current MFA code'), code);
  }
  await userEvent.click(within(form).getByRole('button', { name: /Continue|Make new recovery codes|Turn MFA off/ }));
}

describe('MFA enrolment', () => {
  it('is reached from the user menu', async () => {
    openAt('#/instances');
    await userEvent.click(await screen.findByText('admin@example.com'));
    await userEvent.click(screen.getByRole('link', { name: 'Multi-factor authentication' }));
    expect(await screen.findByRole('heading', { name: 'Multi-factor authentication' })).toBeTruthy();
  });

  it('asks for the password, shows the QR code and secret, verifies a code and shows the recovery codes once', async () => {
    const backend = openAt('#/mfa');
    await userEvent.click(await screen.findByRole('button', { name: 'Set up MFA' }));
    expect(screen.queryByLabelText('Current MFA code')).toBeNull(); // MFA is off: the password alone
    await prove('wrong-password');
    expect((await screen.findByRole('alert')).textContent).toBe('password: the password is not right (request req-1)');
    expect(screen.queryByRole('img', { name: /QR code/ })).toBeNull();

    await userEvent.clear(screen.getByLabelText('Current password'));
    await prove('Old-Password-42');
    const qr = await screen.findByRole('img', { name: /QR code/ });
    expect(qr.querySelector('path')?.getAttribute('d')).toMatch(/^M\d+ \d+h1v1h-1z/);
    expect(screen.getByText('JBSWY3DPEHPK3PXP')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();

    const code = screen.getByLabelText('Code from the app');
    await userEvent.type(code, '000000{Enter}');
    expect((await screen.findByRole('alert')).textContent).toMatch(/code does not match/);

    await userEvent.clear(code);
    await userEvent.type(code, '123456{Enter}');
    const list = await screen.findByRole('list', { name: 'Recovery codes' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(10);
    expect(screen.queryByRole('img', { name: /QR code/ })).toBeNull();
    expect(screen.getByText(/for admin@example.com/).textContent).toBe('MFA is on for admin@example.com.');
    expect(backend.mfaVerified).toBe(true);
  });

  it('a new authenticator needs the password and the current code', async () => {
    const backend = openAt('#/mfa', withMfa);
    await userEvent.click(await screen.findByRole('button', { name: 'Enrol a new authenticator' }));
    await prove('Old-Password-42', '111111');
    expect((await screen.findByRole('alert')).textContent).toBe('otp: the code is not valid (request req-1)');
    await userEvent.clear(screen.getByLabelText('Current MFA code'));
    await prove('', '123 456');
    await screen.findByRole('img', { name: /QR code/ });
    await userEvent.type(screen.getByLabelText('Code from the app'), '123456');
    await userEvent.click(screen.getByRole('button', { name: 'Verify and switch to this authenticator' }));
    await screen.findByRole('list', { name: 'Recovery codes' });
    expect(backend.recoveryCodes[0]).toBe('code-0');
  });

  it('makes new recovery codes with the password and a recovery code, and says the old ones are void', async () => {
    const backend = openAt('#/mfa', withMfa);
    await userEvent.click(await screen.findByRole('button', { name: 'New recovery codes' }));
    await prove('Old-Password-42', 'rc-1');
    const list = await screen.findByRole('list', { name: 'Recovery codes' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(backend.recoveryCodes);
    expect(screen.getByRole('heading', { name: 'New recovery codes' })).toBeTruthy();
    expect(screen.getByText(/old recovery codes no longer work/)).toBeTruthy();
  });

  it('turns MFA off, warning about the environments that require it', async () => {
    const backend = openAt('#/mfa', withMfa);
    await userEvent.click(await screen.findByRole('button', { name: 'Turn MFA off' }));
    const form = screen.getByRole('region', { name: 'Turn MFA off' });
    await waitFor(() => expect(form.textContent).toMatch(/prod requires MFA/));
    await prove('Old-Password-4', '123456');
    expect((await screen.findByRole('alert')).textContent).toBe('password: the password is not right (request req-1)');
    expect(backend.user.mfa_enabled).toBe(true);
    await userEvent.clear(screen.getByLabelText('Current MFA code'));
    await prove('2', '123456');
    expect((await screen.findByRole('status')).textContent).toMatch(/MFA is off/);
    await waitFor(() =>
      expect(screen.getByText(/for admin@example.com/).textContent).toBe('MFA is off for admin@example.com.'),
    );
    expect(backend.user.mfa_enabled).toBe(false);
    expect(screen.getByRole('button', { name: 'Set up MFA' })).toBeTruthy();
  });

  it('cancel leaves MFA as it was', async () => {
    const { calls } = openApp('#/mfa', { setup: withMfa });
    await userEvent.click(await screen.findByRole('button', { name: 'Turn MFA off' }));
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getByRole('button', { name: 'Turn MFA off' })).toBeTruthy();
    expect(calls.some((c) => c.url.pathname.startsWith('/api/v1/me/mfa'))).toBe(false);
  });
});

describe('qrPath', () => {
  it('draws a version-fitting square with the quiet zone', () => {
    const { d, size } = qrPath('otpauth://totp/ec2m:a?secret=JBSWY3DPEHPK3PXP&issuer=ec2m');
    expect((size - 8 - 17) % 4).toBe(0); // 17 + 4 × version modules, plus 4 on each side
    expect(d.startsWith('M4 4h1v1h-1z')).toBe(true); // the finder pattern's top-left corner
  });
});
