/** GET /api/health: liveness plus what an operator (and the page) needs to know about this server. */
import type { Route } from './router.ts';
import { sendJson } from './router.ts';
import type { Config } from '../config.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import type { ShellLauncher } from '../terminal/shell-launcher.ts';
import type { TerminalManager } from '../terminal/terminal-manager.ts';
import type { Provisioner } from '../provisioners/provisioner.ts';
import type { Health } from '../../protocol/session-api.ts';

export function healthRoutes(deps: {
  config: Config;
  sessions: SessionManager;
  launcher: ShellLauncher;
  terminals: TerminalManager;
  provisioner: Provisioner;
  version: string;
}): Route[] {
  const started = Date.now();
  return [
    {
      method: 'GET',
      pattern: '/api/health',
      handler: ({ res }) => {
        const body: Health & { openTerminals: number; sandboxReason: string; shellNetwork: 'isolated' | 'shared' } = {
          status: deps.launcher.terminals === 'enabled' ? 'ok' : 'degraded',
          version: deps.version,
          sandbox: deps.launcher.mode,
          sandboxReason: deps.launcher.reason,
          // Learner shells reach nothing but their cluster ('isolated'), or share the host network.
          shellNetwork: deps.launcher.networkIsolated ? 'isolated' : 'shared',
          terminals: deps.launcher.terminals,
          provisioner: deps.provisioner.kind,
          sessions: deps.sessions.count(),
          maxSessions: deps.config.MAX_SESSIONS,
          openTerminals: deps.terminals.count(),
          uptimeSeconds: Math.round((Date.now() - started) / 1000),
        };
        sendJson(res, 200, body);
      },
    },
  ];
}
