/**
 * CloudWatch's rules and errors for the metric reads (ListMetrics, GetMetricStatistics, GetMetricData): error codes,
 * the messages (AWS's where known, see docs/cloudwatch.md for which are guessed), periods, start-time rounding and
 * the input coercions shared by the three wire protocols (protocol.ts), which hand over strings (awsQuery), numbers
 * (AWS JSON 1.0) or CBOR values.
 */

/**
 * A CloudWatch error: its awsQuery code (`InvalidParameterValue`, what the CLI prints), the SDK's shape name
 * (`InvalidParameterValueException`, the class the JS SDK raises) and the HTTP status.
 */
export class CwError extends Error {
  constructor(readonly code: string, readonly shape: string, message: string, readonly status = 400, readonly fault: 'Sender' | 'Receiver' = 'Sender') {
    super(message);
    this.name = shape;
  }
}

export const invalidParameterValue = (message: string) => new CwError('InvalidParameterValue', 'InvalidParameterValueException', message);
export const missingParameter = (message: string) => new CwError('MissingParameter', 'MissingRequiredParameterException', message);
export const invalidParameterCombination = (message: string) => new CwError('InvalidParameterCombination', 'InvalidParameterCombinationException', message);
/** GetMetricData's validation failures: code ValidationError, the SDK's ValidationException. */
export const validationError = (message: string) => new CwError('ValidationError', 'ValidationException', message);
export const invalidNextToken = (message: string) => new CwError('InvalidNextToken', 'InvalidNextToken', message);
export const invalidAction = (action: string) => new CwError('InvalidAction', 'InvalidAction', `The action ${action} is not valid for this web service.`);

/** The statistics CloudWatch names in Statistics and MetricStat.Stat. */
export const STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;
export type Statistic = (typeof STATISTICS)[number];
export const isStatistic = (s: unknown): s is Statistic => typeof s === 'string' && (STATISTICS as readonly string[]).includes(s);

/** A percentile statistic (`p0` to `p100`, decimals allowed: `p99.9`) as a fraction (0.999), else undefined. */
export function percentileOf(s: unknown): number | undefined {
  const m = typeof s === 'string' ? /^p(\d{1,3}(\.\d{1,10})?)$/.exec(s) : null;
  const v = m ? Number(m[1]) : NaN;
  return v >= 0 && v <= 100 ? v / 100 : undefined;
}

/** GetMetricStatistics answers at most this many periods. */
export const MAX_STATISTICS_DATAPOINTS = 1440;
/** GetMetricData's default (and largest) MaxDatapoints. */
export const MAX_METRIC_DATA_DATAPOINTS = 100_800;
export const MAX_METRIC_DATA_QUERIES = 500;
/** ListMetrics' page size. */
export const LIST_METRICS_PAGE = 500;
/** ListMetrics lists metrics with a datapoint in the last two weeks (RecentlyActive PT3H: three hours). */
export const LIST_METRICS_WINDOW_MS = 14 * 24 * 3600_000;
export const RECENTLY_ACTIVE_MS = 3 * 3600_000;

/** Periods of high-resolution metrics; every other period must be a multiple of 60. */
const HIGH_RESOLUTION_PERIODS = new Set([1, 5, 10, 30]);

/** Whether CloudWatch accepts this period (seconds): 1, 5, 10, 30 or a positive multiple of 60. */
export const isValidPeriod = (p: number) => Number.isInteger(p) && p >= 1 && (HIGH_RESOLUTION_PERIODS.has(p) || p % 60 === 0);

const MINUTE = 60_000;
const DAY = 24 * 3600_000;

/**
 * The start time CloudWatch really uses, as its API reference says: a sub-minute period rounds down to a multiple
 * of itself; otherwise by age, to the minute (under 15 days), to 5 minutes (15 to 63 days), to the hour (older).
 * Periods are counted from this time.
 */
export function roundStartTime(start: Date, periodSeconds: number, now: Date): Date {
  const t = start.getTime();
  const age = now.getTime() - t;
  const step = periodSeconds < 60 ? periodSeconds * 1000 : age < 15 * DAY ? MINUTE : age < 63 * DAY ? 5 * MINUTE : 60 * MINUTE;
  return new Date(Math.floor(t / step) * step);
}

/**
 * Whether CloudWatch still has datapoints of this period from that long ago: periods under 60 s for 3 hours, then
 * multiples of 60 s up to 15 days, of 300 s up to 63 days, of 3600 s beyond (the API reference: otherwise "no data
 * points in that time range is returned").
 */
export function periodServesAge(start: Date, periodSeconds: number, now: Date): boolean {
  const age = now.getTime() - start.getTime();
  if (age <= 3 * 3600_000) return true;
  if (age <= 15 * DAY) return periodSeconds % 60 === 0;
  if (age <= 63 * DAY) return periodSeconds % 300 === 0;
  return periodSeconds % 3600 === 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Coercions. `path` is the parameter's awsQuery name (Dimensions.member.1.Name), which the messages quote.

/** A string parameter, or undefined when absent. */
export function str(v: unknown, path: string, err = invalidParameterValue): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw err(`The parameter ${path} must be a string.`);
  return v;
}

/** An integer parameter ("60" in awsQuery, 60 in JSON and CBOR), or undefined. */
export function int(v: unknown, path: string, err = invalidParameterValue): number | undefined {
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : typeof v === 'bigint' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw err(`The parameter ${path} must be an integer.`);
  return n;
}

/** A boolean parameter ("true" in awsQuery). */
export function bool(v: unknown, path: string, err = invalidParameterValue): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw err(`The parameter ${path} must be a boolean.`);
}

/**
 * A timestamp: ISO 8601 text (awsQuery), epoch seconds (AWS JSON 1.0, fractions allowed), a Date or a CBOR tag 1
 * (protocol.ts turns tags into Dates).
 */
export function time(v: unknown, path: string, err = invalidParameterValue): Date | undefined {
  if (v === undefined || v === null) return undefined;
  let d: Date | undefined;
  if (v instanceof Date) d = v;
  else if (typeof v === 'number') d = new Date(v * 1000);
  else if (typeof v === 'string') {
    const s = v.trim();
    if (/^-?\d+(\.\d+)?$/.test(s)) d = new Date(Number(s) * 1000);
    else if (/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.test(s)) d = new Date(/T.*(Z|[+-]\d{2}:?\d{2})$/i.test(s) || !s.includes('T') ? s : `${s}Z`);
  }
  if (!d || Number.isNaN(d.getTime())) throw err(`The parameter ${path} must be a timestamp (ISO 8601 or seconds since the epoch).`);
  return d;
}

/** A list parameter: an array, or the empty awsQuery value (`Dimensions=`) for an empty list. */
export function list(v: unknown, path: string, err = invalidParameterValue): unknown[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (v === '') return [];
  if (!Array.isArray(v)) throw err(`The parameter ${path} must be a list.`);
  return v;
}

/** A structure parameter. */
export function struct(v: unknown, path: string, err = invalidParameterValue): Record<string, unknown> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v) || v instanceof Date) throw err(`The parameter ${path} must be a structure.`);
  return v as Record<string, unknown>;
}

export function required<T>(v: T | undefined, path: string): T {
  // AWS-PARITY: CloudWatch's wording for a missing parameter is not documented; this message is openmsk's own.
  if (v === undefined) throw missingParameter(`The parameter ${path} is required.`);
  return v;
}
