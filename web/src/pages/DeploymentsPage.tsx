// Releases and their blue-green deployments through the pipeline dev → staging → prod, and the
// infrastructure changes held for approval (provision and rollback where a config requires a
// second person): the deployment opened is in the URL (?deployment=d-7) and shows its details,
// approvals and actions; deployers make a release and deploy it. The page reads again every 2 s
// while a deployment moves.

import { useMemo, useState } from 'react';
import type { Deployment, Release } from '../api/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { useSession } from '../context';
import { DeployForm } from '../deployments/DeployForm';
import { DeploymentDetails } from '../deployments/DeploymentDetails';
import { InfrastructureTable } from '../deployments/InfrastructureTable';
import { PIPELINE, pipelineColumns } from '../deployments/pipeline';
import { PipelineTable } from '../deployments/PipelineTable';
import { ReleaseForm } from '../deployments/ReleaseForm';
import { useDeployments } from '../deployments/useDeployments';
import { may } from '../environments/roles';
import { navigate } from '../router';

export function DeploymentsPage({ params }: { params: URLSearchParams }) {
  const { api, user, environments } = useSession();
  const openedId = params.get('deployment') ?? '';
  const data = useDeployments(api, openedId);
  const opened = data.opened?.id === openedId ? data.opened : null;
  const [deploying, setDeploying] = useState<Release | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const known = useMemo(() => environments.map((e) => e.name), [environments]);
  const columns = useMemo(() => pipelineColumns(known, data.releases ?? []), [known, data.releases]);
  // Where the user may deploy: known environments, in the pipeline's order.
  const deployable = useMemo(
    () => columns.filter((e) => known.includes(e) && may(user, e, 'deployer')),
    [columns, known, user],
  );

  const open = (id: string) => navigate('/deployments', id ? new URLSearchParams({ deployment: id }) : undefined, true);
  const created = (r: Release) => {
    setNote(`Release ${r.id} created for ${r.group} in ${r.environment}.`);
    data.reload();
  };
  const deployed = (d: Deployment) => {
    setDeploying(null);
    setNote(null);
    open(d.id);
  };

  return (
    <main aria-labelledby="deployments-title">
      <div className="page-head">
        <h1 id="deployments-title">Deployments</h1>
        <p className="muted">Releases through {PIPELINE.join(' → ')}</p>
        <button type="button" onClick={data.reload}>
          Refresh
        </button>
      </div>
      <ErrorAlert error={data.listError} />
      {data.releases === null && !data.listError && <p role="status">Loading releases…</p>}
      {data.releases?.length === 0 && <p className="muted">No releases yet.</p>}
      {data.releases && data.releases.length > 0 && (
        <PipelineTable
          releases={data.releases}
          columns={columns}
          opened={openedId}
          onOpen={open}
          {...(deployable.length ? { onDeploy: setDeploying } : {})}
        />
      )}
      <h2>Infrastructure changes</h2>
      {data.changes?.length === 0 && (
        <p className="muted">
          No infrastructure change has waited for approval (provision and rollback of an environment whose config
          requires it do).
        </p>
      )}
      {data.changes && data.changes.length > 0 && (
        <InfrastructureTable changes={data.changes} opened={openedId} onOpen={open} />
      )}
      {note && (
        <p role="status" className="notice">
          {note}
        </p>
      )}
      {deploying && (
        <DeployForm
          key={deploying.id}
          release={deploying}
          envs={deployable}
          onDeployed={deployed}
          onCancel={() => setDeploying(null)}
        />
      )}
      {openedId && <ErrorAlert error={data.openError} />}
      {openedId && !opened && !data.openError && <p role="status">Loading {openedId}…</p>}
      {opened && <DeploymentDetails deployment={opened} onChanged={data.replace} onClose={() => open('')} />}
      {deployable.length > 0 && <ReleaseForm envs={deployable} onCreated={created} />}
    </main>
  );
}
