/**
 * The server's whole configuration, from environment variables, validated once at start-up with zod.
 * A bad value stops the server with one friendly line per problem instead of a stack trace later.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { PROVISIONER_KINDS, RealClusterFields, realClusterProblems } from './provisioners/real-clusters-config.ts';

const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);

export const ConfigSchema = z.object({
  PORT: int(4321, 0, 65535).describe('HTTP + WebSocket port (0 = any free port)'),
  HOST: z.string().min(1).default('127.0.0.1').describe('bind address; terminals need the sandbox beyond loopback'),
  ALLOWED_HOSTS: z.string().optional()
    .describe('comma-separated host names browsers may use for this server (e.g. behind a proxy); on loopback, only loopback names are answered otherwise'),
  TRUST_PROXY: z.enum(['true', 'false']).default('false').transform((v) => v === 'true')
    .describe('behind a reverse proxy: count per-address limits by the X-Forwarded-For address the proxy adds'),
  DATA_DIR: z.string().min(1).default('.data').describe('SQLite db, cluster snapshots, learner homes'),
  DIST_DIR: z.string().min(1).default('dist').describe('the built site served as static files'),
  SESSION_IDLE_MINUTES: z.coerce.number().positive().max(7 * 24 * 60).default(30),
  SESSION_MAX_MINUTES: z.coerce.number().positive().max(30 * 24 * 60).default(8 * 60),
  MAX_SESSIONS: int(50, 1, 10_000),
  MAX_TERMINALS_PER_SESSION: int(4, 1, 256),
  SESSION_CREATES_PER_MINUTE: int(30, 1, 100_000).describe('new sessions per client address per minute'),
  SESSIONS_PER_ADDRESS: int(10, 1, 100_000).describe('self-paced sessions one client address may hold at once (workshop seats are not counted)'),
  PROVISIONER: z.enum(PROVISIONER_KINDS).default('embedded').describe('embedded (built-in emulator) | pool (pre-made clusters) | script (create/destroy commands)'),
  ...RealClusterFields,
  WARM_CLUSTERS: int(1, 0, 20).describe('embedded clusters created ahead of demand (faster Start)'),
  CLUSTER_PORT: int(0, 0, 65535).describe('port of the embedded emulator host (0 = any)'),
  TIME_SCALE: z.coerce.number().positive().max(10_000).default(1),
  SANDBOX: z.enum(['auto', 'bwrap', 'none']).default('auto'),
  LEARNER_UID: int(2001, 1, 2 ** 31),
  LEARNER_GID: int(2001, 1, 2 ** 31),
  SANDBOX_PIDS: int(256, 16, 100_000).describe('max processes per session (cgroup pids.max)'),
  SANDBOX_MEMORY_MB: int(768, 64, 1_000_000).describe('memory per session (cgroup memory limit)'),
  SANDBOX_TMP_MB: int(64, 1, 100_000).describe('size of the private /tmp'),
  SANDBOX_HOME_MB: int(256, 16, 100_000).describe('disk quota of a learner home (loop-mounted ext4 image)'),
  SANDBOX_FILE_MB: int(64, 1, 100_000).describe('largest file a learner can write (RLIMIT_FSIZE)'),
  // At least 256: the flow-control window is half of it, and below two ack intervals (2 × 64 KB) a flood would crawl.
  REPLAY_KB: int(512, 256, 65_536).describe('scrollback kept per terminal for reload/reconnect'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
}).superRefine((c, ctx) => {
  // Settings that only make sense together (e.g. PROVISIONER=pool needs POOL_KUBECONFIGS).
  for (const [field, message] of realClusterProblems(c)) ctx.addIssue({ code: 'custom', path: [field], message });
});

export type Config = z.infer<typeof ConfigSchema> & {
  /** Absolute paths derived from the env. */
  dataDir: string;
  distDir: string;
  /** Project root (server/..). */
  rootDir: string;
};

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

export function loadConfig(env: Record<string, string | undefined> = process.env): ConfigResult {
  // Empty strings mean "unset", as in most shells' `FOO= cmd`.
  const clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ConfigSchema.safeParse(clean);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => `${i.path.join('.')}=${JSON.stringify(clean[String(i.path[0])] ?? '')}: ${i.message}`),
    };
  }
  const rootDir = resolve(import.meta.dirname, '..');
  return {
    ok: true,
    config: {
      ...parsed.data,
      rootDir,
      dataDir: resolve(rootDir, parsed.data.DATA_DIR),
      distDir: resolve(rootDir, parsed.data.DIST_DIR),
    },
  };
}

/** True when HOST only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost' || host.startsWith('127.');
}
