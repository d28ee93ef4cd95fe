// A new release for deployers: the instance group, the environment it starts in, and a new image,
// new user data or both; the commit and branch it was built from (optional).

import { useState, type FormEvent } from 'react';
import type { NewRelease, Release } from '../api/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { SelectField } from '../components/SelectField';
import { useSession } from '../context';
import { useAction } from '../useAction';
import { createRelease } from './api';

/** `envs`: where the user may deploy, in pipeline order. */
export function ReleaseForm({ envs, onCreated }: { envs: readonly string[]; onCreated: (r: Release) => void }) {
  const { api } = useSession();
  const [group, setGroup] = useState('');
  const [env, setEnv] = useState('');
  const [image, setImage] = useState('');
  const [userData, setUserData] = useState('');
  const [commit, setCommit] = useState('');
  const [branch, setBranch] = useState('');
  const { busy, error, setError, run } = useAction();
  const chosen = envs.includes(env) ? env : (envs[0] ?? '');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!image.trim() && !userData.trim()) {
      setError('A release needs a new image, new user data or both.');
      return;
    }
    const body: NewRelease = { group: group.trim(), env: chosen };
    const optional = { image: image.trim(), user_data: userData, commit: commit.trim(), branch: branch.trim() };
    for (const [k, v] of Object.entries(optional) as [keyof typeof optional, string][]) {
      if (v.trim()) {
        body[k] = v;
      }
    }
    const created = await run(() => createRelease(api, body));
    if (created) {
      setImage('');
      setUserData('');
      setCommit('');
      setBranch('');
      onCreated(created);
    }
  };

  return (
    <section aria-labelledby="new-release-title" className="panel">
      <h2 id="new-release-title">New release</h2>
      <form onSubmit={submit}>
        <label>
          Group
          <input required placeholder="web" value={group} onChange={(e) => setGroup(e.target.value)} />
        </label>
        <SelectField label="Starts in" value={chosen} onChange={setEnv}>
          {envs.map((e) => (
            <option key={e} value={e}>
              {e}
            </option>
          ))}
        </SelectField>
        <label>
          Image
          <input placeholder="ami-0abc…" value={image} onChange={(e) => setImage(e.target.value)} />
        </label>
        <label>
          User data
          <textarea rows={3} value={userData} onChange={(e) => setUserData(e.target.value)} />
        </label>
        <label>
          Commit (optional)
          <input value={commit} onChange={(e) => setCommit(e.target.value)} />
        </label>
        <label>
          Branch (optional)
          <input placeholder="main" value={branch} onChange={(e) => setBranch(e.target.value)} />
        </label>
        <ErrorAlert error={error} />
        <button type="submit" className="primary" disabled={busy || !chosen}>
          Create release
        </button>
      </form>
    </section>
  );
}
