/**
 * REST bodies of the session API (/api/sessions…, /api/health). The browser validates what it gets
 * with these schemas, the server builds its answers from the same types.
 */
import { z } from 'zod';

export const SessionInfoSchema = z.object({
  id: z.string().describe('Public session id (not a secret).'),
  token: z.string().describe('Bearer secret; the browser keeps it in localStorage.'),
  createdAt: z.number().describe('ms since epoch'),
  expiresAt: z.number().describe('ms since epoch when the session ends unless extended or used'),
  maxExpiresAt: z.number().describe('hard end of the session (SESSION_MAX_MINUTES after creation)'),
  idleMinutes: z.number().describe('how much one extend/activity buys'),
  now: z.number().describe('server time of this answer, to correct client clock skew'),
});
export type SessionInfo = z.infer<typeof SessionInfoSchema>;

export const HealthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  sandbox: z.enum(['bwrap', 'none']),
  terminals: z.enum(['enabled', 'loopback-only', 'disabled']),
  provisioner: z.string(),
  sessions: z.number(),
  maxSessions: z.number(),
  uptimeSeconds: z.number(),
});
export type Health = z.infer<typeof HealthSchema>;
