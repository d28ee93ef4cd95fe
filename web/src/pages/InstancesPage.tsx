// Instances across environments: filter, sort, page, select, act (one row or the selection),
// edit tags. Filters live in the URL; the environment comes from the header's selector.

import { useMemo, useState } from 'react';
import { ApiError } from '../api/errors';
import type { Instance, InstanceAction, InstanceState } from '../api/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { useSession } from '../context';
import { actionLabel } from '../instances/actions';
import { BulkResults } from '../instances/BulkResults';
import { runBulk, type BulkOutcome } from '../instances/bulk';
import { FilterForm } from '../instances/FilterForm';
import {
  filtersFromParams,
  filtersToParams,
  instanceQuery,
  isUnfiltered,
  toggleSort,
  type InstanceFilters,
} from '../instances/filters';
import { InstanceTable } from '../instances/InstanceTable';
import { instanceKey, pruneSelection, selectedRows, toggleKey } from '../instances/selection';
import { TagEditor } from '../instances/TagEditor';
import type { TagChange } from '../instances/tags';
import { TerminateConfirm } from '../instances/TerminateConfirm';
import { useInstanceList } from '../instances/useInstanceList';
import { may } from '../environments/roles';
import { navigate } from '../router';

const BULK: InstanceAction[] = ['start', 'stop', 'reboot'];

function statesOf(outcome: BulkOutcome): Map<string, InstanceState> {
  const m = new Map<string, InstanceState>();
  for (const r of outcome.results) {
    if (r.ok && r.state) {
      m.set(instanceKey(r), r.state);
    }
  }
  return m;
}

export function InstancesPage({ params }: { params: URLSearchParams }) {
  const { api, env, user } = useSession();
  const paramString = params.toString();
  const filters = useMemo(() => filtersFromParams(new URLSearchParams(paramString)), [paramString]);
  const query = useMemo(() => instanceQuery(env, filters), [env, filters]);
  const list = useInstanceList(api, query);

  const [selectedRaw, setSelected] = useState<ReadonlySet<string>>(new Set());
  const selected = useMemo(() => pruneSelection(selectedRaw, list.rows), [selectedRaw, list.rows]);
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const [outcome, setOutcome] = useState<BulkOutcome | null>(null);
  const [confirming, setConfirming] = useState<Instance[] | null>(null);
  const [editing, setEditing] = useState<Instance | null>(null);

  const apply = (f: InstanceFilters) => navigate('/instances', filtersToParams(f), true);

  const act = async (action: InstanceAction, rows: Instance[]) => {
    const keys = new Set(rows.map(instanceKey));
    setBusy((b) => new Set([...b, ...keys]));
    try {
      let result: BulkOutcome;
      if (rows.length === 1 && rows[0]) {
        const row = rows[0];
        try {
          const r = await api.instanceAction(row.env, row.id, action);
          result = { action, results: [{ env: row.env, id: row.id, ok: true, state: r.state }] };
        } catch (e) {
          if (e instanceof ApiError && e.status === 401) {
            throw e;
          }
          const error =
            e instanceof ApiError ? { code: e.code, message: e.message } : { code: 'internal', message: String(e) };
          result = { action, results: [{ env: row.env, id: row.id, ok: false, error }] };
        }
      } else {
        result = await runBulk(api, action, rows);
      }
      setOutcome(result);
      list.patchStates(statesOf(result));
      list.refresh();
    } catch {
      // A 401 sends the app to the sign-in page; nothing to show here.
    } finally {
      setBusy((b) => new Set([...b].filter((k) => !keys.has(k))));
    }
  };

  const request = (action: InstanceAction, rows: Instance[]) => {
    if (rows.length === 0) {
      return;
    }
    if (action === 'terminate') {
      setConfirming(rows);
    } else {
      void act(action, rows);
    }
  };

  const saveTags = async (row: Instance, change: TagChange) => {
    const updated = await api.setTags(row.env, row.id, change.set, change.remove);
    list.replaceRow(updated);
  };

  const chosen = selectedRows(selected, list.rows);
  const anyBusy = chosen.some((r) => busy.has(instanceKey(r)));

  return (
    <main aria-labelledby="instances-title">
      <div className="page-head">
        <h1 id="instances-title">Instances</h1>
        <p className="muted" aria-live="off">
          {env ? `Environment ${env}` : 'All environments'}
          {list.updatedAt && ` · updated ${list.updatedAt.toLocaleTimeString()}`}
        </p>
        <button type="button" onClick={list.refresh}>
          Refresh
        </button>
      </div>

      <FilterForm filters={filters} onApply={apply} />

      <div className="bulk-bar" role="toolbar" aria-label="Selected instances">
        <span>{chosen.length} selected</span>
        {BULK.map((a) => (
          <button key={a} type="button" disabled={chosen.length === 0 || anyBusy} onClick={() => request(a, chosen)}>
            {actionLabel(a)} selected
          </button>
        ))}
        <button
          type="button"
          className="danger"
          disabled={chosen.length === 0 || anyBusy}
          onClick={() => request('terminate', chosen)}
        >
          Terminate selected
        </button>
        <button type="button" disabled={chosen.length === 0} onClick={() => setSelected(new Set())}>
          Clear selection
        </button>
      </div>

      {confirming && (
        <TerminateConfirm
          rows={confirming}
          busy={confirming.some((r) => busy.has(instanceKey(r)))}
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            const rows = confirming;
            setConfirming(null);
            void act('terminate', rows);
          }}
        />
      )}
      {outcome && <BulkResults outcome={outcome} onDismiss={() => setOutcome(null)} />}
      {editing && (
        <TagEditor
          instance={editing}
          onSave={(c) => saveTags(editing, c)}
          onClose={() => setEditing(null)}
          mayChangeProtected={may(user, editing.env, 'deployer')}
        />
      )}

      <ErrorAlert error={list.error} />
      {list.loading ? (
        <p role="status">Loading instances…</p>
      ) : (
        <>
          <InstanceTable
            rows={list.rows}
            selected={selected}
            busy={busy}
            sort={filters.sort}
            onSort={(field) => apply({ ...filters, sort: toggleSort(filters.sort, field) })}
            onToggle={(key) => setSelected(toggleKey(selected, key))}
            onToggleAll={(all) => setSelected(all ? new Set(list.rows.map(instanceKey)) : new Set())}
            onAction={(row, action) => request(action, [row])}
            onEditTags={setEditing}
          />
          <p role="status" className="muted">
            {list.rows.length === 0
              ? isUnfiltered(filters)
                ? 'No instances.'
                : 'No instances match these filters.'
              : `${list.rows.length} instance${list.rows.length === 1 ? '' : 's'} shown${list.nextCursor ? ', more available' : ''}`}
          </p>
          {list.nextCursor && (
            <button type="button" onClick={list.loadMore} disabled={list.loadingMore}>
              {list.loadingMore ? 'Loading…' : 'Load more'}
            </button>
          )}
        </>
      )}
    </main>
  );
}
