import { useEffect, useState } from 'react';
import { ApiError, call } from '../api';
import type { TabProps } from './types';

/** ListClusterOperations' items (wire names). */
interface OperationInfo {
  operationArn: string;
  operationType: string;
  operationState: string;
  creationTime?: string;
  endTime?: string;
  errorInfo?: { errorCode?: string; errorString?: string };
  operationSteps?: { stepName?: string; stepInfo?: { stepStatus?: string } }[];
}

/** `GET /openmsk/v1/operations/{arn}/progress`: each step's times and a roll's progress (not on MSK's wire). */
interface Progress {
  steps: { name: string; status: string; startTime?: string; endTime?: string; progress?: { done: number; total: number } }[];
  waits: { at: string; reason: string }[];
}

/** How often the timeline is re-read while an operation runs, and otherwise. */
export const RUNNING_REFRESH_MS = 1500;
export const IDLE_REFRESH_MS = 5000;

const running = (state: string) => state === 'PENDING' || state.endsWith('_IN_PROGRESS');

export function duration(from?: string, to?: string): string {
  if (!from) return '';
  const ms = Math.max(0, (to ? Date.parse(to) : Date.now()) - Date.parse(from));
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

const when = (iso?: string) => (iso ? new Date(iso).toLocaleTimeString() : '');

/** Every operation of the cluster, newest first; running ones (and the one in the URL) show their steps live. */
export function OperationsTab({ token, cluster, onError, rest, navigate }: TabProps) {
  const arn = encodeURIComponent(cluster.clusterArn);
  const [ops, setOps] = useState<OperationInfo[] | undefined>();
  const [progress, setProgress] = useState<Record<string, Progress>>({});
  const [error, setError] = useState<string | undefined>();
  const selected = rest[0];
  const anyRunning = ops?.some((o) => running(o.operationState)) ?? false;

  useEffect(() => {
    let live = true;
    const load = async () => {
      try {
        const all: OperationInfo[] = [];
        let next: string | undefined;
        do {
          const q = new URLSearchParams({ maxResults: '100', ...(next ? { nextToken: next } : {}) });
          const page = await call<{ clusterOperationInfoList?: OperationInfo[]; nextToken?: string }>(token, 'GET', `/v1/clusters/${arn}/operations?${q}`);
          all.push(...(page.clusterOperationInfoList ?? []));
          next = page.nextToken;
        } while (next);
        all.sort((a, b) => (b.creationTime ?? '').localeCompare(a.creationTime ?? ''));
        const open = all.filter((o) => running(o.operationState) || o.operationArn === selected || o === all[0]);
        // The times and progress are openmsk's extra; without them the steps still show from MSK's own answer.
        const details = (await Promise.all(open.map(async (o) => [o.operationArn,
          await call<Progress>(token, 'GET', `/openmsk/v1/operations/${encodeURIComponent(o.operationArn)}/progress`)
            .catch((e) => { if (e instanceof ApiError && e.isAuth) throw e; return undefined; })] as const)))
          .filter((d): d is readonly [string, Progress] => d[1] !== undefined);
        if (!live) return;
        setOps(all);
        setProgress((p) => ({ ...p, ...Object.fromEntries(details) }));
        setError(undefined);
      } catch (e) {
        if (live && !onError(e)) setError(`ListClusterOperations failed: ${(e as Error).message}`);
      }
    };
    void load();
    const timer = setInterval(load, anyRunning ? RUNNING_REFRESH_MS : IDLE_REFRESH_MS);
    return () => { live = false; clearInterval(timer); };
  }, [token, arn, selected, anyRunning, onError]);

  return (
    <div>
      <h2>Operations</h2>
      {error && <p className="error" role="alert">{error}</p>}
      {!ops && !error && <p className="help">Loading…</p>}
      {ops?.length === 0 && <p>No operations.</p>}
      <ol className="timeline">
        {ops?.map((o) => {
          const p: Progress = progress[o.operationArn] ?? {
            steps: (o.operationSteps ?? []).map((x) => ({ name: x.stepName ?? '', status: x.stepInfo?.stepStatus ?? 'PENDING' })),
            waits: [],
          };
          const expanded = running(o.operationState) || o.operationArn === selected || o === ops[0];
          return (
            <li key={o.operationArn} data-operation={o.operationArn} data-type={o.operationType} data-state={o.operationState}
              className={o.operationArn === selected ? 'selected' : undefined}>
              <div className="op-head">
                <a href={`/console/clusters/${arn}/operations/${encodeURIComponent(o.operationArn)}`}
                  onClick={(e) => { e.preventDefault(); navigate([o.operationArn]); }}>{o.operationType}</a>
                <span className={`state state-${o.operationState.toLowerCase()}`}>{o.operationState}</span>
                <span className="help">started {when(o.creationTime)}; {running(o.operationState) ? 'running for' : 'took'} {duration(o.creationTime, o.endTime)}</span>
              </div>
              {o.errorInfo && <p className="error">{o.errorInfo.errorCode}: {o.errorInfo.errorString}</p>}
              {expanded && (
                <table className="steps">
                  <caption className="sr-only">Steps of {o.operationType}</caption>
                  <thead><tr><th scope="col">Step</th><th scope="col">Status</th><th scope="col">Duration</th><th scope="col">Progress</th></tr></thead>
                  <tbody>
                    {p.steps.map((s) => (
                      <tr key={s.name} data-step={s.name} data-status={s.status}>
                        <th scope="row">{s.name}</th>
                        <td><span className={`state state-${s.status.toLowerCase()}`}>{s.status}</span></td>
                        <td>{s.status === 'PENDING' ? '' : duration(s.startTime, s.endTime)}</td>
                        <td>
                          {s.progress && (
                            <>
                              <progress max={s.progress.total} value={s.progress.done} aria-label={`${s.name}: ${s.progress.done} of ${s.progress.total} brokers`} />{' '}
                              <span data-testid="step-progress">{s.progress.done} of {s.progress.total} brokers</span>
                            </>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              {expanded && p.waits.length > 0 && (
                <details>
                  <summary>Waited {p.waits.length} time{p.waits.length === 1 ? '' : 's'}</summary>
                  <ul>{p.waits.map((w) => <li key={w.at + w.reason}>{when(w.at)}: {w.reason}</li>)}</ul>
                </details>
              )}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
