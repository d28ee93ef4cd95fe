import { describe, expect, it } from 'vitest';
import type { User } from '../api/types';
import { isProd, may, roleAllows, roleIn } from './roles';

function user(roles: User['roles']): User {
  return {
    email: 'u@example.com',
    roles,
    admin: roles['*'] === 'admin',
    mfa_enabled: false,
    disabled: false,
    created_at: '',
  };
}

describe('roles in an environment', () => {
  it('orders viewer < operator < deployer < admin, approver apart', () => {
    expect(roleAllows('deployer', 'operator')).toBe(true);
    expect(roleAllows('operator', 'deployer')).toBe(false);
    expect(roleAllows('admin', 'deployer')).toBe(true);
    expect(roleAllows('deployer', 'admin')).toBe(false);
    expect(roleAllows('approver', 'viewer')).toBe(true);
    expect(roleAllows('approver', 'operator')).toBe(false);
    expect(roleAllows('deployer', 'approver')).toBe(false);
  });

  it('takes the environment role or the "*" one, whichever allows more', () => {
    expect(roleIn(user({ dev: 'deployer', '*': 'viewer' }), 'dev')).toBe('deployer');
    expect(roleIn(user({ dev: 'viewer', '*': 'admin' }), 'dev')).toBe('admin');
    expect(roleIn(user({ dev: 'operator' }), 'prod')).toBeNull();
    expect(may(user({ '*': 'deployer' }), 'prod', 'deployer')).toBe(true);
    expect(may(user({ '*': 'deployer' }), 'prod', 'admin')).toBe(false);
    expect(may(user({ prod: 'admin' }), 'prod', 'admin')).toBe(true);
    expect(may(user({}), 'prod', 'viewer')).toBe(false);
  });

  it('knows prod by its name', () => {
    expect(isProd('prod')).toBe(true);
    expect(isProd('production')).toBe(false);
    expect(isProd('dev')).toBe(false);
  });
});
