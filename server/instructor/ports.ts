/**
 * The seams between instructor mode and the modules it drives but does not own: learner sessions (SP),
 * terminals (SP), lab progress / reset / fast-forward (CL). Each port is a small interface; the default
 * adapters bind them to the real modules, tests may pass their own. Keeping these here means an API change
 * elsewhere touches one adapter, not the workshop logic.
 */
import type { Session, SessionManager } from '../sessions/session-manager.ts';
import type { ChapterInfo, FastForwardView, StepRecord } from '../../protocol/instructor.ts';
import type { Result } from './types.ts';

export interface LearnerSession {
  id: string;
  token: string;
  expiresAt: number;
  maxExpiresAt: number;
  /** Last keystroke or lab action (0/undefined: none since the server started). */
  lastActiveAt?: number;
  cluster: Session['cluster'];
}

export interface SessionPort {
  create(): Promise<Result<LearnerSession>>;
  /** The live session with this id (attached in memory), if any. */
  get(id: string): LearnerSession | undefined;
  /** Resolves a learner's bearer token (header or ?token=) to their session. */
  fromToken(token: string): Promise<LearnerSession | undefined>;
  /** Moves the hard deadline of a session (workshop session length, extend) and refreshes the idle one. */
  setDeadline(id: string, maxExpiresAt: number): void;
  /** Keeps a session from idling out (a warm one, or an attendee's while the class runs), attached or not. */
  keepAlive(id: string): void;
  end(id: string, reason: string): Promise<void>;
  onEnd(cb: (sessionId: string) => void | Promise<void>): () => void;
  /** Idle timeout. */
  readonly idleMs: number;
}

export interface LabPort {
  /** Chapters of a lab in order; undefined when the lab does not exist. */
  chapters(lab: string): ChapterInfo[] | undefined;
  /** Per-step state of a learner session (only steps with a record). */
  progress(sessionId: string, lab: string): StepRecord[];
  reset(session: LearnerSession, lab: string): Promise<Result>;
  /** Brings the session's cluster to the starting state of chapter `chapter` (1-based). */
  fastForward(session: LearnerSession, lab: string, chapter: number): Promise<Result>;
  /** The session's fast-forward on its way or just ended, if any. */
  fastForwardState(sessionId: string): FastForwardView | null;
}

export interface TerminalWatch {
  /**
   * Scrollback at the moment of subscribing, in parts with the size each was written at: the shell's
   * line editing only replays right at the same width.
   */
  replay: { data: string; cols: number; rows: number }[];
  /** The learner's terminal size now. */
  cols: number;
  rows: number;
  close(): void;
}

export interface TerminalPort {
  /** Read-only tap on a session's terminal output; undefined when no terminal is open. */
  watch(
    sessionId: string,
    name: string | undefined,
    onData: (data: string) => void,
    onEnd: () => void,
    onResize?: (cols: number, rows: number) => void,
  ): TerminalWatch | undefined;
  /** Names of the session's open terminals. */
  list(sessionId: string): string[];
  /** Whether a browser is attached to any of the session's terminals (undefined: unknown). */
  connected(sessionId: string): boolean | undefined;
}

export interface InstructorPorts {
  sessions: SessionPort;
  labs: LabPort;
  terminals: TerminalPort;
}

const view = (s: Session): LearnerSession => s;

/** SessionPort over SP's SessionManager. */
export function sessionPortFor(manager: SessionManager): SessionPort {
  return {
    idleMs: manager.idleMs,
    async create() {
      const r = await manager.create();
      return r.ok ? { ok: true, value: view(r.session) } : { ok: false, error: { code: r.code, message: r.message, hint: r.hint } };
    },
    get: (id) => {
      const s = manager.get(id);
      return s && view(s);
    },
    async fromToken(token) {
      const r = await manager.byTokenAsync(token);
      return r.ok ? view(r.session) : undefined;
    },
    setDeadline: (id, maxExpiresAt) => manager.setDeadlineById(id, maxExpiresAt),
    keepAlive: (id) => manager.keepAliveById(id),
    async end(id, reason) {
      await manager.endById(id, reason);
    },
    onEnd: (cb) => manager.onDispose((s) => cb(s.id)),
  };
}
