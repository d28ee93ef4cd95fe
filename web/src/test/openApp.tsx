// The whole console, signed in against a fresh fake backend and opened at `hash`: what the page
// tests render. `setup` prepares the backend first; `env` is the environment chosen before.

import { render } from '@testing-library/react';
import { App } from '../App';
import { memoryTokenStore } from '../api/session';
import { Backend } from './backend';
import { fakeFetch } from './fakeFetch';

export function openApp(hash: string, options: { setup?: (b: Backend) => void; env?: string } = {}) {
  const backend = new Backend();
  backend.token = 'tok-1';
  options.setup?.(backend);
  if (options.env) {
    window.sessionStorage.setItem('ec2m.env', options.env);
  }
  window.location.hash = hash;
  const f = fakeFetch(backend.handle);
  render(<App tokens={memoryTokenStore('tok-1')} fetchFn={f.fetch} />);
  return { backend, calls: f.calls };
}
