/**
 * The data instructor mode works with: workshops, attendees, progress summaries, mesh badges, and the
 * dashboard row built from them. JSON-shaped on purpose: rows go over SSE to the dashboard as they are.
 */
export type PacingMode = 'free' | 'instructor';

export interface Broadcast {
  id: string;
  message: string;
  at: number;
}

export interface ClassTimer {
  label: string;
  startedAt: number;
  endsAt: number;
}

export interface Workshop {
  id: string;
  title: string;
  lab: string;
  capacity: number;
  accessCode: string;
  startsAt: number | null;
  endsAt: number | null;
  sessionMinutes: number;
  /** 'free': every chapter open; 'instructor': chapters up to unlockedThrough (1-based) only. */
  pacing: PacingMode;
  unlockedThrough: number | null;
  registrationOpen: boolean;
  broadcast: Broadcast | null;
  timer: ClassTimer | null;
  /** "Everyone to chapter N": attendees' pages follow it when it changes. */
  targetChapter: number | null;
  warmTarget: number;
  createdAt: number;
  updatedAt: number;
  endedAt: number | null;
}

export interface Attendee {
  id: string;
  workshopId: string;
  displayName: string;
  sessionId: string;
  joinedAt: number;
  lastSeenAt: number;
  lastProgressAt: number;
  leftAt: number | null;
  leftReason: string | null;
  extendedMinutes: number;
}

export type StepStatus = 'passed' | 'solved' | 'skipped' | 'failing' | 'pending';

export interface StepRecord {
  chapter: string;
  step: string;
  status: StepStatus;
  /** When the status was reached; for 'failing', the last failed Check attempt. */
  at: number | null;
  /** 'failing' only: failed Check attempts on the step, and what the checks reported the last time. */
  attempts?: number;
  detail?: string;
}

export interface ProgressSummary {
  /** Chapter the attendee is on (the first with an unfinished step), its 1-based index and title. */
  chapter: string | null;
  chapterIndex: number | null;
  chapterTitle: string | null;
  step: string | null;
  checksPassed: number;
  totalSteps: number;
  /** The step whose check ran and failed most recently, if it has not passed since. */
  failingCheck: string | null;
  /** That step's failed attempts and what its checks reported, for the instructor helping. */
  failingAttempts: number | null;
  failingDetail: string | null;
  steps: StepRecord[];
}

export interface MeshBadges {
  /** Pods in the Travels namespaces with an istio-proxy container / all pods there. */
  sidecars: { injected: number; total: number };
  /** VirtualServices + DestinationRules + Gateways in the cluster. */
  routingRules: number;
  authorizationPolicies: number;
  /** Sum of HTTP request rates on the Kiali graph (req/s); null when Kiali gave nothing. */
  trafficRps: number | null;
  /** Share of requests answered 4xx / 5xx / 403 (0..100), from the graph's response codes. */
  errors: { http4xx: number; http5xx: number; http403: number } | null;
  checkedAt: number;
  error?: string;
}

export type ConnectionState = 'online' | 'offline' | 'left';

export interface AttendeeRow {
  id: string;
  displayName: string;
  joinedAt: number;
  lastSeenAt: number;
  lastProgressAt: number;
  leftAt: number | null;
  leftReason: string | null;
  connection: ConnectionState;
  sessionExpiresAt: number | null;
  progress: Omit<ProgressSummary, 'steps'>;
  mesh: MeshBadges | null;
}

export type Result<T = undefined> = { ok: true; value: T } | { ok: false; error: { code: string; message: string; hint?: string } };
