/**
 * Where the server runs lab commands for a learner (Solve, Start here, Apply, Diff). They carry data the
 * learner controls (YAML they wrote, values they put in their cluster that a solution reads back), so
 * they run in the learner's own sandbox, with the learner's rights, limits and network. Without a
 * sandbox they run as the server only where the learner's terminal is an unsandboxed local shell anyway
 * (loopback); on an exposed server without a sandbox they do not run at all.
 */
import type { Session } from '../sessions/session-manager.ts';
import type { Provisioner } from '../provisioners/provisioner.ts';
import { shellAccessOf } from '../provisioners/registry.ts';
import type { ShellLauncher } from '../terminal/shell-launcher.ts';
import { sandboxedShellEnv, shellEnvFor, type ShellEnv } from './shell-runner.ts';

/** For a session: how to open a shell for its lab commands, or undefined when none may run. */
export function labShellFor(launcher: ShellLauncher, provisioner: Provisioner): (s: Session) => (() => ShellEnv) | undefined {
  return (s) => {
    const target = { sessionId: s.id, homeDir: s.homeDir };
    if (launcher.mode === 'bwrap') {
      return () =>
        sandboxedShellEnv((argv) => {
          const launch = launcher.sandboxedCommand(target, argv);
          if (!launch) throw new Error('the sandbox went away');
          return launch;
        });
    }
    if (launcher.terminals === 'loopback-only') return () => shellEnvFor(shellAccessOf(provisioner, s.cluster));
    return undefined;
  };
}
