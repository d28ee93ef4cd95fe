// Notification channels in the console: the fields each type takes (docs/api.md,
// "Notifications"), the body a filled-in form sends (only the type's fields, optional ones left
// out when empty: the server refuses "" for them), and how a channel reads in the list.

import type { Channel, ChannelFilter, ChannelType, NotificationSeverity } from '../api/types';

export type FieldKey =
  'url' | 'secret' | 'smtp_url' | 'from' | 'to' | 'user' | 'password' | 'repo' | 'token' | 'api_url';

export interface FieldSpec {
  key: FieldKey;
  label: string;
  required: boolean;
  input: 'url' | 'text' | 'password' | 'email';
  placeholder?: string;
}

const URL_FIELD = (label: string, placeholder: string): FieldSpec => ({
  key: 'url',
  label,
  required: true,
  input: 'url',
  placeholder,
});

export const FIELDS: Record<ChannelType, FieldSpec[]> = {
  slack: [URL_FIELD('Webhook URL', 'https://hooks.slack.com/services/...')],
  teams: [URL_FIELD('Webhook URL', 'https://example.webhook.office.com/...')],
  webhook: [
    URL_FIELD('URL', 'https://example.com/ec2m-hook'),
    { key: 'secret', label: 'Secret (16 or more characters, signs each delivery)', required: true, input: 'password' },
  ],
  email: [
    {
      key: 'smtp_url',
      label: 'SMTP server',
      required: true,
      input: 'text',
      placeholder: 'smtps://smtp.example.com:465',
    },
    { key: 'from', label: 'From', required: true, input: 'email', placeholder: 'ec2m@example.com' },
    {
      key: 'to',
      label: 'To (addresses, comma-separated)',
      required: true,
      input: 'text',
      placeholder: 'ops@example.com',
    },
    { key: 'user', label: 'SMTP user (optional)', required: false, input: 'text' },
    { key: 'password', label: 'SMTP password (optional)', required: false, input: 'password' },
  ],
  github: [
    { key: 'repo', label: 'Repository (owner/name)', required: true, input: 'text', placeholder: 'acme/deployments' },
    { key: 'token', label: 'Token', required: true, input: 'password' },
    {
      key: 'api_url',
      label: 'API URL (optional)',
      required: false,
      input: 'url',
      placeholder: 'https://api.github.com',
    },
  ],
};

export interface ChannelDraft {
  name: string;
  type: ChannelType;
  fields: Partial<Record<FieldKey, string>>;
  environments: string[];
  kinds: string[];
  minSeverity: NotificationSeverity | '';
}

export function emptyDraft(type: ChannelType = 'slack'): ChannelDraft {
  return { name: '', type, fields: {}, environments: [], kinds: [], minSeverity: '' };
}

/** "a@x, b@y; c@z" → three addresses. */
export function splitAddresses(text: string): string[] {
  return text.split(/[\s,;]+/).filter(Boolean);
}

/** The POST /api/v1/channels body of a draft. */
export function channelFromDraft(d: ChannelDraft): Channel {
  const c: Channel = { name: d.name.trim(), type: d.type, filter: {} };
  for (const spec of FIELDS[d.type]) {
    const value = (d.fields[spec.key] ?? '').trim();
    if (!value && !spec.required) {
      continue;
    }
    if (spec.key === 'to') {
      c.to = splitAddresses(value);
    } else {
      c[spec.key] =
        spec.key === 'secret' || spec.key === 'password' || spec.key === 'token' ? (d.fields[spec.key] ?? '') : value;
    }
  }
  const filter: ChannelFilter = {};
  if (d.environments.length) {
    filter.environments = d.environments;
  }
  if (d.kinds.length) {
    filter.kinds = d.kinds;
  }
  if (d.minSeverity) {
    filter.min_severity = d.minSeverity;
  }
  c.filter = filter;
  return c;
}

/** Where a channel sends (as the server shows it: secrets and webhook paths masked). */
export function destinationText(c: Channel): string {
  switch (c.type) {
    case 'email':
      return `${(c.to ?? []).join(', ')} via ${c.smtp_url ?? '?'}`;
    case 'github':
      return `${c.repo ?? '?'}${c.api_url && c.api_url !== 'https://api.github.com' ? ` at ${c.api_url}` : ''}`;
    default:
      return c.url ?? '';
  }
}

/** "everything", or "alarm, incident; in dev, prod; warning and above". */
export function filterText(f: ChannelFilter | undefined): string {
  const parts: string[] = [];
  if (f?.kinds?.length) {
    parts.push(f.kinds.join(', '));
  }
  if (f?.environments?.length) {
    parts.push(`in ${f.environments.join(', ')}`);
  }
  if (f?.min_severity) {
    parts.push(`${f.min_severity} and above`);
  }
  return parts.length ? parts.join('; ') : 'everything';
}
