import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { qrPath } from '../components/QrCode';
import { openApp } from '../test/openApp';

const openAt = (hash: string) => openApp(hash).backend;

describe('MFA enrolment', () => {
  it('is reached from the user menu', async () => {
    openAt('#/instances');
    await userEvent.click(await screen.findByText('admin@example.com'));
    await userEvent.click(screen.getByRole('link', { name: 'Multi-factor authentication' }));
    expect(await screen.findByRole('heading', { name: 'Multi-factor authentication' })).toBeTruthy();
  });

  it('shows the QR code and secret, verifies a code and shows the recovery codes once', async () => {
    openAt('#/mfa');
    await userEvent.click(await screen.findByRole('button', { name: 'Set up MFA' }));
    const qr = await screen.findByRole('img', { name: /QR code/ });
    expect(qr.querySelector('path')?.getAttribute('d')).toMatch(/^M\d+ \d+h1v1h-1z/);
    expect(screen.getByText('JBSWY3DPEHPK3PXP')).toBeTruthy();

    const code = screen.getByLabelText('Code from the app');
    await userEvent.type(code, '000000{Enter}');
    expect((await screen.findByRole('alert')).textContent).toMatch(/code does not match/);

    await userEvent.clear(code);
    await userEvent.type(code, '123456{Enter}');
    const list = await screen.findByRole('list', { name: 'Recovery codes' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(10);
    expect(screen.queryByRole('img', { name: /QR code/ })).toBeNull();
    expect(screen.getByText(/for admin@example.com/).textContent).toBe('MFA is on for admin@example.com.');
  });
});

describe('qrPath', () => {
  it('draws a version-fitting square with the quiet zone', () => {
    const { d, size } = qrPath('otpauth://totp/ec2m:a?secret=JBSWY3DPEHPK3PXP&issuer=ec2m');
    expect((size - 8 - 17) % 4).toBe(0); // 17 + 4 × version modules, plus 4 on each side
    expect(d.startsWith('M4 4h1v1h-1z')).toBe(true); // the finder pattern's top-left corner
  });
});
