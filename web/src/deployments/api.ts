// The REST calls of releases and deployments (docs/api.md "Releases and deployments"), made
// through the console's ApiClient so they share its bearer token, errors and 401 handling.

import type { ApiClient } from '../api/client';
import { ApiError } from '../api/errors';
import type { Deployment, DeploymentKind, NewDeployment, NewRelease, Release } from '../api/types';

const enc = encodeURIComponent;

/** Newest first, as the server keeps them. */
export async function listReleases(api: ApiClient, signal?: AbortSignal): Promise<Release[]> {
  const raw = await api.request<{ items?: unknown } | null>('GET', '/api/v1/releases', signal ? { signal } : {});
  if (!raw || !Array.isArray(raw.items)) {
    throw new ApiError(200, 'internal', 'unexpected answer for releases: no items list');
  }
  return raw.items as Release[];
}

/** Deployments of one kind (the caller's environments only), newest first. */
export async function listDeployments(
  api: ApiClient,
  kind: DeploymentKind,
  signal?: AbortSignal,
): Promise<Deployment[]> {
  const raw = await api.request<{ items?: unknown } | null>(
    'GET',
    `/api/v1/deployments?kind=${enc(kind)}`,
    signal ? { signal } : {},
  );
  if (!raw || !Array.isArray(raw.items)) {
    throw new ApiError(200, 'internal', 'unexpected answer for deployments: no items list');
  }
  return raw.items as Deployment[];
}

export function createRelease(api: ApiClient, release: NewRelease): Promise<Release> {
  return api.request('POST', '/api/v1/releases', { body: release });
}

/** With its approvals, trigger, figures and events. */
export function getDeployment(api: ApiClient, id: string, signal?: AbortSignal): Promise<Deployment> {
  return api.request('GET', `/api/v1/deployments/${enc(id)}`, signal ? { signal } : {});
}

export function createDeployment(api: ApiClient, deployment: NewDeployment): Promise<Deployment> {
  return api.request('POST', '/api/v1/deployments', { body: deployment });
}

/** approve and reject take a comment (reject needs one); abort none. */
export function decideDeployment(
  api: ApiClient,
  id: string,
  verb: 'approve' | 'reject' | 'abort',
  comment?: string,
): Promise<Deployment> {
  const body = verb === 'abort' ? {} : { comment: comment ?? '' };
  return api.request('POST', `/api/v1/deployments/${enc(id)}/${verb}`, { body });
}
