/** The worker's log lines: deps.log(msg, fields, level) as pino JSON, filtered by OPENMSK_LOG_LEVEL. */
import type { DestinationStream } from 'pino';
import { workerLog, workerLogger } from '../src/log';

function capture(level: 'info' | 'warn' | 'silent') {
  const lines: Record<string, unknown>[] = [];
  const stream: DestinationStream = { write: (s: string) => void lines.push(JSON.parse(s)) };
  return { lines, log: workerLog(workerLogger({ OPENMSK_LOG_LEVEL: level }, stream)) };
}

test('a message with fields is one JSON line at info: msg, the fields as properties, name worker', () => {
  const { lines, log } = capture('info');
  log('step START_BROKERS done in 12 ms', { operationArn: 'arn:aws:kafka:x', operationType: 'CREATE' });
  log('queue: connection refused');
  expect(lines).toEqual([
    expect.objectContaining({ level: 30, name: 'worker', msg: 'step START_BROKERS done in 12 ms', operationArn: 'arn:aws:kafka:x', operationType: 'CREATE' }),
    expect.objectContaining({ level: 30, name: 'worker', msg: 'queue: connection refused' }),
  ]);
});

test('the level given is used, and OPENMSK_LOG_LEVEL drops what is below it', () => {
  const warn = capture('warn');
  warn.log('complete', { operationArn: 'a' });
  warn.log('failed: BROKERS_NOT_READY', { operationArn: 'a' }, 'warn');
  warn.log('queue: down', undefined, 'error');
  expect(warn.lines.map((l) => [l.level, l.msg])).toEqual([[40, 'failed: BROKERS_NOT_READY'], [50, 'queue: down']]);
  const silent = capture('silent');
  silent.log('queue: down', undefined, 'error');
  expect(silent.lines).toEqual([]);
});
