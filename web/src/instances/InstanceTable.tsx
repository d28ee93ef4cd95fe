// The instances table: selection checkboxes, sortable headers, state, tags and per-row actions.

import { useEffect, useRef } from 'react';
import type { Instance, InstanceAction } from '../api/types';
import { formatShortTime, formatTime } from '../format';
import { ACTIONS, actionAllowed, actionLabel } from './actions';
import { sortDirection, type SortField } from './filters';
import { isTransitional } from './polling';
import { instanceKey } from './selection';

interface Props {
  rows: readonly Instance[];
  selected: ReadonlySet<string>;
  busy: ReadonlySet<string>;
  sort: string;
  onSort: (field: SortField) => void;
  onToggle: (key: string) => void;
  onToggleAll: (select: boolean) => void;
  onAction: (row: Instance, action: InstanceAction) => void;
  onEditTags: (row: Instance) => void;
}

const COLUMNS: { field: SortField; label: string }[] = [
  { field: 'id', label: 'ID' },
  { field: 'name', label: 'Name' },
  { field: 'env', label: 'Environment' },
  { field: 'state', label: 'State' },
  { field: 'type', label: 'Type' },
  { field: 'zone', label: 'Zone' },
];

function SelectAll({ rows, selected, onToggleAll }: Pick<Props, 'rows' | 'selected' | 'onToggleAll'>) {
  const box = useRef<HTMLInputElement>(null);
  const count = rows.filter((r) => selected.has(instanceKey(r))).length;
  const all = rows.length > 0 && count === rows.length;
  useEffect(() => {
    if (box.current) {
      box.current.indeterminate = count > 0 && !all;
    }
  }, [count, all]);
  return (
    <input
      ref={box}
      type="checkbox"
      aria-label="Select all listed instances"
      checked={all}
      disabled={rows.length === 0}
      onChange={() => onToggleAll(!all)}
    />
  );
}

function SortHeader({
  field,
  label,
  sort,
  onSort,
}: {
  field: SortField;
  label: string;
  sort: string;
  onSort: Props['onSort'];
}) {
  const dir = sortDirection(sort, field);
  return (
    <th scope="col" aria-sort={dir}>
      <button type="button" className="sort" onClick={() => onSort(field)}>
        {label}
        <span aria-hidden="true">{dir === 'ascending' ? ' ▲' : dir === 'descending' ? ' ▼' : ''}</span>
      </button>
    </th>
  );
}

function Tags({ tags }: { tags: Record<string, string> }) {
  const entries = Object.entries(tags)
    .filter(([k]) => k !== 'Name')
    .sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) {
    return <span className="muted">none</span>;
  }
  return (
    <ul className="tags">
      {entries.map(([k, v]) => (
        <li key={k}>
          {k}={v}
        </li>
      ))}
    </ul>
  );
}

function Row({ row, props }: { row: Instance; props: Props }) {
  const key = instanceKey(row);
  const busy = props.busy.has(key);
  return (
    <tr aria-busy={busy || undefined} className={props.selected.has(key) ? 'selected' : undefined}>
      <td>
        <input
          type="checkbox"
          aria-label={`Select ${row.id}`}
          checked={props.selected.has(key)}
          onChange={() => props.onToggle(key)}
        />
      </td>
      <th scope="row">
        <code>{row.id}</code>
      </th>
      <td>{row.name}</td>
      <td>{row.env}</td>
      <td>
        <span className={`state state-${row.state}`} data-testid="instance-state">
          {row.state}
          {isTransitional(row.state) && <span aria-hidden="true"> …</span>}
        </span>
      </td>
      <td>{row.type}</td>
      <td>{row.zone}</td>
      <td>
        {row.private_ip ?? ''}
        {row.public_ip && (
          <>
            <br />
            {row.public_ip}
          </>
        )}
      </td>
      <td title={formatTime(row.launch_time)}>{formatShortTime(row.launch_time)}</td>
      <td>
        <Tags tags={row.tags} />
      </td>
      <td className="row-actions">
        {ACTIONS.map((a) => (
          <button
            key={a}
            type="button"
            className={a === 'terminate' ? 'danger' : undefined}
            aria-label={`${actionLabel(a)} ${row.id}`}
            disabled={busy || !actionAllowed(a, row.state)}
            onClick={() => props.onAction(row, a)}
          >
            {actionLabel(a)}
          </button>
        ))}
        <button type="button" aria-label={`Edit tags of ${row.id}`} onClick={() => props.onEditTags(row)}>
          Tags
        </button>
      </td>
    </tr>
  );
}

export function InstanceTable(props: Props) {
  const { rows, sort, onSort } = props;
  return (
    <div className="table-wrap">
      <table className="instances">
        <caption className="visually-hidden">Instances</caption>
        <thead>
          <tr>
            <th scope="col">
              <SelectAll rows={rows} selected={props.selected} onToggleAll={props.onToggleAll} />
            </th>
            {COLUMNS.map((c) => (
              <SortHeader key={c.field} field={c.field} label={c.label} sort={sort} onSort={onSort} />
            ))}
            <th scope="col">IP (private, public)</th>
            <SortHeader field="launch_time" label="Launched" sort={sort} onSort={onSort} />
            <th scope="col">Tags</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <Row key={instanceKey(r)} row={r} props={props} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
