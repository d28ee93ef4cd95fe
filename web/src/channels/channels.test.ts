import { describe, expect, it } from 'vitest';
import { channelFromDraft, destinationText, emptyDraft, filterText, splitAddresses } from './channels';

describe('channels', () => {
  it('sends only the fields of the type, and leaves empty optional ones out', () => {
    const d = {
      ...emptyDraft('github'),
      name: ' deploys ',
      fields: { repo: 'acme/deploys', token: 'ghp_secret', api_url: '', url: 'https://left.over' },
    };
    expect(channelFromDraft(d)).toEqual({
      name: 'deploys',
      type: 'github',
      repo: 'acme/deploys',
      token: 'ghp_secret',
      filter: {},
    });
  });

  it('splits the addresses of an email channel and carries the filter', () => {
    const d = {
      ...emptyDraft('email'),
      name: 'mail',
      fields: { smtp_url: 'smtps://smtp.example.com:465', from: 'ec2m@example.com', to: 'a@x.io, b@x.io;c@x.io' },
      environments: ['prod'],
      kinds: ['alarm', 'incident'],
      minSeverity: 'warning' as const,
    };
    expect(channelFromDraft(d)).toEqual({
      name: 'mail',
      type: 'email',
      smtp_url: 'smtps://smtp.example.com:465',
      from: 'ec2m@example.com',
      to: ['a@x.io', 'b@x.io', 'c@x.io'],
      filter: { environments: ['prod'], kinds: ['alarm', 'incident'], min_severity: 'warning' },
    });
    expect(splitAddresses('  ')).toEqual([]);
  });

  it('keeps a secret exactly as typed', () => {
    const d = {
      ...emptyDraft('webhook'),
      name: 'hook',
      fields: { url: 'https://h.example/x', secret: ' 0123456789abcdef ' },
    };
    expect(channelFromDraft(d).secret).toBe(' 0123456789abcdef ');
  });

  it('says where a channel sends and what it takes', () => {
    expect(destinationText({ name: 'm', type: 'email', to: ['a@x.io'], smtp_url: 'smtp://h:25', filter: {} })).toBe(
      'a@x.io via smtp://h:25',
    );
    expect(
      destinationText({ name: 'g', type: 'github', repo: 'a/b', api_url: 'https://api.github.com', filter: {} }),
    ).toBe('a/b');
    expect(destinationText({ name: 's', type: 'slack', url: 'https://hooks.slack.com/****', filter: {} })).toBe(
      'https://hooks.slack.com/****',
    );
    expect(filterText({})).toBe('everything');
    expect(filterText({ kinds: ['alarm'], environments: ['dev', 'prod'], min_severity: 'critical' })).toBe(
      'alarm; in dev, prod; critical and above',
    );
  });
});
