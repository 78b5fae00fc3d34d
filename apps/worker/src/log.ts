import pino, { type DestinationStream, type Logger } from 'pino';
import type { Config } from '@openmsk/config';
import type { LogLevel, WorkerDeps } from './deps';

/** The worker's pino logger at OPENMSK_LOG_LEVEL (JSON lines on stdout, `"name":"worker"`, unless given a stream). */
export function workerLogger(config: Pick<Config, 'OPENMSK_LOG_LEVEL'>, destination?: DestinationStream): Logger {
  const options = { name: 'worker', level: config.OPENMSK_LOG_LEVEL };
  return destination ? pino(options, destination) : pino(options);
}

/** `deps.log(msg, fields, level)` on a pino logger: the fields become properties of the line; info by default. */
export function workerLog(logger: Logger): WorkerDeps['log'] {
  return (msg: string, fields?: Record<string, unknown>, level: LogLevel = 'info') => {
    if (fields) logger[level](fields, msg);
    else logger[level](msg);
  };
}
