// Instances for unit tests.

import type { Instance } from '../api/types';

export function instance(id: string, over: Partial<Instance> = {}): Instance {
  return {
    id,
    env: 'dev',
    name: `name-${id}`,
    state: 'running',
    type: 't3.micro',
    zone: 'us-west-2a',
    private_ip: '172.31.0.10',
    public_ip: null,
    image_id: 'ami-0abcdef1234567890',
    launch_time: '2025-09-14T10:00:00Z',
    tags: { Name: `name-${id}` },
    termination_protection: false,
    ...over,
  };
}
