import { z } from 'zod';

/** Every setting openmsk reads, all with the OPENMSK_ prefix (PORT is the one exception). */
const Env = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8090),
  OPENMSK_HOST: z.string().default('127.0.0.1'),
  OPENMSK_DATABASE_URL: z.string().default('postgresql://postgres@127.0.0.1:5432/openmsk'),
  OPENMSK_REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  OPENMSK_REGION: z.string().default('us-east-1'),
  /** Where .openmsk/ (credentials, master key, certificates) lives. */
  OPENMSK_HOME: z.string().default('.openmsk'),
  /** 32-byte master key, base64; default: read or created in OPENMSK_HOME/master.key. */
  OPENMSK_MASTER_KEY: z.string().optional(),
  /** `sigv4` (default) verifies every signature; `none` accepts any request as the default account. */
  OPENMSK_AUTH: z.enum(['sigv4', 'none']).default('sigv4'),
  OPENMSK_SIGV4_MAX_SKEW_SECONDS: z.coerce.number().int().min(1).default(300),
  OPENMSK_QUEUE_PREFIX: z.string().default('openmsk'),
  /** Host ports the control plane hands to brokers, controllers and ZooKeeper nodes. */
  OPENMSK_PORT_RANGE: z.string().regex(/^\d+-\d+$/).default('20000-29999'),
  /** The address brokers bind and advertise (loopback: containers use host networking). */
  OPENMSK_ADVERTISED_HOST: z.string().default('127.0.0.1'),
  /** How long a cluster may take to answer on every listener before it is FAILED. */
  OPENMSK_READY_TIMEOUT_SECONDS: z.coerce.number().int().min(5).default(120),
  /** Broker volumes: `auto` (XFS on a loop device, else a directory), `loop` or `directory`. */
  OPENMSK_STORAGE: z.enum(['auto', 'loop', 'directory']).default('auto'),
  /** A job whose worker stops heart-beating for this long is resumed by another worker. */
  OPENMSK_JOB_LOCK_SECONDS: z.coerce.number().int().min(2).default(15),
  /** How often the worker compares Postgres, Redis and Docker. */
  OPENMSK_RECONCILE_SECONDS: z.coerce.number().int().min(1).default(10),
  /** Validity of brokers' and controllers' leaf certificates, in days (fractions allowed: tests use minutes). */
  OPENMSK_LEAF_CERT_DAYS: z.coerce.number().positive().default(395),
  /** A leaf certificate with less than this many days left is renewed on the next sweep (brokers reload it live). */
  OPENMSK_CERT_RENEW_DAYS: z.coerce.number().positive().default(30),
  /**
   * How often the worker collects every serving cluster's CloudWatch metrics (AWS/Kafka, at its enhancedMonitoring
   * level) from the brokers' exporters and admin listener, in seconds (MSK's: 60); 0 turns collection off.
   */
  OPENMSK_METRICS_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(60),
  /** How long collected datapoints are kept, in days (CloudWatch keeps one-minute datapoints 15 days). */
  OPENMSK_METRICS_RETENTION_DAYS: z.coerce.number().positive().default(15),
  /** The worker's Prometheus `/metrics`, on 127.0.0.1 only; 0 turns it off. */
  OPENMSK_WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(8091),
  /**
   * Where brokers reach the API (IAM token checks); default http://OPENMSK_HOST:PORT, with 127.0.0.1 for a wildcard host.
   * Brokers run on the host network, so this is a host address.
   */
  OPENMSK_API_URL: z.string().url().optional(),
  OPENMSK_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof Env>;

/** `[low, high]` of OPENMSK_PORT_RANGE. */
export function portRange(config: Config): [number, number] {
  const [lo, hi] = config.OPENMSK_PORT_RANGE.split('-').map(Number);
  if (!(lo >= 1024 && hi <= 65535 && lo < hi)) throw new Error(`invalid OPENMSK_PORT_RANGE ${config.OPENMSK_PORT_RANGE}`);
  return [lo, hi];
}

/** The API's base URL as brokers call it (no trailing slash). */
export function apiUrl(config: Config): string {
  if (config.OPENMSK_API_URL) return config.OPENMSK_API_URL.replace(/\/+$/, '');
  const host = config.OPENMSK_HOST === '0.0.0.0' || config.OPENMSK_HOST === '::' ? '127.0.0.1' : config.OPENMSK_HOST;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.PORT}`;
}

/** Parse the environment once, at start-up. */
export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid openmsk configuration: ${issues}`);
  }
  return { ...parsed.data, ...overrides };
}
