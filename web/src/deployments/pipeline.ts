// The pipeline of releases: the environments a release is promoted through, the deployment shown
// in each cell, and where a release is deployed next by default.

import type { Deployment, DeploymentRef, DeploymentState, Release } from '../api/types';

/** The order releases are promoted in; other environments follow by name. */
export const PIPELINE: readonly string[] = ['dev', 'staging', 'prod'];

/** The number in "d-7" or "r-3"; 0 when there is none. */
export function idNumber(id: string): number {
  const m = /-(\d+)$/.exec(id);
  return m ? Number(m[1]) : 0;
}

export function newestFirst(releases: readonly Release[]): Release[] {
  return [...releases].sort((a, b) => idNumber(b.id) - idNumber(a.id) || b.created_at.localeCompare(a.created_at));
}

/** The pipeline's environments, then every other one that is known or deployed to, by name. */
export function pipelineColumns(known: readonly string[], releases: readonly Release[]): string[] {
  const others = new Set([...known, ...releases.flatMap((r) => r.deployments.map((d) => d.environment))]);
  return [...PIPELINE, ...[...others].filter((e) => !PIPELINE.includes(e)).sort()];
}

/** The release's latest deployment to `env` (a failed one may have been deployed again). */
export function latestIn(release: Release, env: string): DeploymentRef | null {
  let latest: DeploymentRef | null = null;
  for (const d of release.deployments) {
    if (d.environment === env && (!latest || idNumber(d.id) > idNumber(latest.id))) {
      latest = d;
    }
  }
  return latest;
}

/** Every state the page shows: the cells of the pipeline and the deployment opened. */
export function shownStates(releases: readonly Release[], opened: Deployment | null): DeploymentState[] {
  const states = releases.flatMap((r) => r.deployments.map((d) => d.state));
  return opened ? [...states, opened.state] : states;
}

/** Where a deploy of `release` goes by default: the first of `envs` it has not succeeded in. */
export function nextEnvironment(release: Release, envs: readonly string[]): string {
  return envs.find((e) => latestIn(release, e)?.state !== 'succeeded') ?? envs[0] ?? '';
}
