/**
 * The instructor-mode wire contract: the JSON that the instructor API (/api/instructor/session,
 * /api/workshops/...), the attendee API (/api/join/...) and their SSE streams send. The server builds these
 * shapes (server/instructor/) and the browser renders them (components/client/instructor-*, join-*), both
 * from this one module. Plain types, not schemas: only our own server produces them. The request bodies are
 * validated with zod where they come in (server/instructor/schemas.ts). Times are epoch milliseconds.
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

/**
 * A workshop as the instructor sees it. This is the server's stored record too, sent as it is: the answer of
 * PATCH /api/workshops/:id and of the class-control POSTs.
 */
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

/** A workshop with its live counts: GET/POST /api/workshops, the dashboard snapshot and `workshop` events. */
export interface WorkshopSummary extends Workshop {
  /** Attendees who have not left. */
  attendees: number;
  /** Everyone who joined, left or not (what an ended class reports). */
  joined: number;
  /** Pre-created sandboxes waiting for an attendee. */
  warm: number;
}

/** One chapter of a lab, in lab order (1-based where numbered). */
export interface ChapterInfo {
  id: string;
  title: string;
  /** Site path of the chapter page, e.g. '/tutorial/install/'. */
  url: string;
  steps: { id: string; title: string; checked: boolean }[];
}

/** 'forwarded': done by the instructor's fast-forward ("everyone to chapter N"), not by the attendee. */
export type StepStatus = 'passed' | 'solved' | 'skipped' | 'forwarded' | 'failing' | 'pending';

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

/**
 * How far an attendee has got, as one dashboard line. Every count is over the lab's checked steps (those
 * `totalSteps` counts), so "7/33 done (2 solved)" adds up: stepsDone = stepsOwn + stepsSolved + stepsSkipped
 * + stepsForwarded.
 */
export interface ProgressSummary {
  /**
   * Their next step to do — the first unfinished one from the chapter they last finished something in —
   * with its chapter's 1-based index and title. Where they are now is AttendeeRow.where.
   */
  chapter: string | null;
  chapterIndex: number | null;
  chapterTitle: string | null;
  step: string | null;
  /** Steps finished, by whatever means. */
  stepsDone: number;
  /** Steps whose checks passed on the attendee's own work. */
  stepsOwn: number;
  /** Steps passed by pressing Solve (the server applied the solution). */
  stepsSolved: number;
  /** stepsOwn + stepsSolved: the steps whose checks passed. */
  checksPassed: number;
  /** Steps the attendee skipped: done, but not by their own checks. */
  stepsSkipped: number;
  /** Steps the instructor's fast-forward ran for the attendee. */
  stepsForwarded: number;
  totalSteps: number;
  /** The step whose check ran and failed most recently, if it has not passed since. */
  failingCheck: string | null;
  /** The same step as the attendee's page names it: "Ch. 2 · Create the namespaces". */
  failingTitle?: string | null;
  /** That step's failed attempts and what its checks reported, for the instructor helping. */
  failingAttempts: number | null;
  failingDetail: string | null;
}

/** The Travels namespaces: what the mesh badges count and the helper's resources and graph cover. */
export const TRAVELS_NAMESPACES: readonly string[] = ['travel-agency', 'travel-portal', 'travel-control'];

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

/** One attendee card on the dashboard. */
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
  progress: ProgressSummary;
  mesh: MeshBadges | null;
  /** The attendee asked for help (Ask for help in the class bar) and nobody has answered yet. */
  hand: Hand | null;
  /** Lab resets so far (the attendee's own Reset lab and the instructor's); progress restarts at each. */
  resets: number;
  /** A fast-forward of the attendee's cluster on its way, or just finished (null: none lately). */
  fastForward: FastForwardView | null;
  /** The page the attendee is on now (null: none open since the server started, or they left). */
  where: AttendeeWhere | null;
}

/**
 * Where an attendee is working now, which may be behind or ahead of how far they have got (their
 * ProgressSummary): the page their class bar last opened on, and on a chapter page the step they work on.
 */
export interface AttendeeWhere {
  /** Site path of the page, e.g. '/tutorial/install/'. */
  page: string;
  /** The lab chapter that page is, its 1-based index and title; null on other pages (the join page, the sandbox). */
  chapter: string | null;
  chapterIndex: number | null;
  chapterTitle: string | null;
  /**
   * The step they work on there: the one they last pressed Check, Solve or Skip on, or once that is finished
   * the next unfinished one; null when the page is not a chapter or every step of it is finished.
   */
  step: string | null;
  /** 1-based position of `step` in its chapter, of `stepCount`. */
  stepIndex: number | null;
  stepTitle: string | null;
  stepCount: number;
}

/** Where a fast-forward of one attendee's cluster stands (theirs, Start here, or the instructor's). */
export interface FastForwardView {
  by: 'learner' | 'instructor';
  /** Chapter id it brings the cluster to. */
  chapter: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  /** Steps applied so far, of `total`. */
  done: number;
  total: number;
  /** Where it stopped and why, when failed. */
  error?: string;
}

/** A raised hand: when, and what the attendee wrote about it (optional). */
export interface Hand {
  raisedAt: number;
  note: string | null;
}

/** GET /api/workshops/:id, and the dashboard stream's first event. */
export interface DashboardSnapshot {
  workshop: WorkshopSummary;
  rows: AttendeeRow[];
  chapters: ChapterInfo[];
}

/**
 * The `ping` event every stream sends each HEARTBEAT_MS: a stream silent for much longer is dead even when
 * the browser has not noticed (a sleeping laptop, a Wi-Fi switch), so pages can say their live view is stale.
 */
export type Heartbeat = Record<string, never>;
export const HEARTBEAT_MS = 15_000;

/** Events of the dashboard stream (GET /api/workshops/:id/events), by SSE event name. */
export interface DashboardEvents {
  ping: Heartbeat;
  snapshot: DashboardSnapshot;
  /** A row that changed. */
  attendee: AttendeeRow;
  /**
   * The workshop changed. Normally a WorkshopSummary; when the class ends, first the bare Workshop (no
   * counts), then the summary right after.
   */
  workshop: WorkshopSummary | Workshop;
}

/** GET /api/workshops/:id/attendees/:aid */
export interface AttendeeDetail {
  row: AttendeeRow;
  steps: StepRecord[];
  /** Names of the attendee's open terminals. */
  terminals: string[];
}

/** One object in GET .../attendees/:aid/resources: readiness for deployments, phase and sidecar for pods. */
export interface ResourceItem {
  name?: string;
  ready?: string;
  phase?: string;
  sidecar?: boolean;
}

/** GET .../attendees/:aid/resources: namespace → kind (plural, lower case) → objects. */
export type AttendeeResources = Record<string, Record<string, ResourceItem[]>>;

/** Events of the read-only terminal peek (GET .../attendees/:aid/terminal?name=), by SSE event name. */
export interface PeekEvents {
  ping: Heartbeat;
  /** The scrollback, first, in parts, each at the size it was written at; then the learner's size now. */
  replay: { parts: { data: string; cols: number; rows: number }[]; cols: number; rows: number };
  /** Live output after it. */
  data: { data: string };
  /** The learner resized their terminal. */
  size: { cols: number; rows: number };
}

/** GET/POST /api/instructor/session */
export interface InstructorSessionState {
  instructor: boolean;
}

/** POST .../warm: sandboxes already waiting, and the count asked for. */
export interface WarmAnswer {
  warm: number;
  target: number;
}

/** POST .../goto */
export interface GotoAnswer {
  /** Attendees behind the chapter whose clusters are being brought to it (in the background). */
  fastForwarded: number;
  /** Attendees who had done every earlier step already: left as they are. */
  alreadyThere: number;
}

/** POST .../end: attendee and warm sandboxes disposed. */
export interface EndAnswer {
  disposed: number;
}

/** POST .../attendees/:aid/extend */
export interface ExtendAnswer {
  maxExpiresAt: number;
}

// --- the attendee side (/api/join/...) ---

/** What attendees may know about their workshop (never the code, capacity or other attendees). */
export interface ClassView {
  id: string;
  title: string;
  lab: string;
  pacing: PacingMode;
  /** Only under instructor pacing; null when free. */
  unlockedThrough: number | null;
  broadcast: Broadcast | null;
  timer: ClassTimer | null;
  targetChapter: number | null;
  endsAt: number | null;
  endedAt: number | null;
}

export interface AttendeeRef {
  id: string;
  displayName: string;
}

/** POST /api/join */
export interface JoinResult {
  attendee: AttendeeRef;
  /** Keep it: joining again with it resumes the same attendee (and sandbox while it lives). */
  resumeKey: string;
  session: { id: string; token: string; expiresAt: number; maxExpiresAt: number };
  workshop: ClassView;
  /** Where the attendee's browser goes next: the target chapter, else the first one. */
  labUrl: string;
  resumed: boolean;
}

export interface ClassChapter {
  /** 1-based, as pacing counts chapters. */
  index: number;
  id: string;
  title: string;
  url: string;
}

/** GET /api/join/state, and the class stream's first event. */
export interface JoinState {
  attendee: AttendeeRef;
  workshop: ClassView;
  session: { expiresAt: number; maxExpiresAt: number } | null;
  chapters: ClassChapter[];
  hand: Hand | null;
}

/** "Go to chapter N" (the whole class, or one attendee after a fast-forward). */
export interface GotoEvent {
  chapter: number;
  /** Absent when the lab has no such chapter page. */
  url?: string;
  title?: string;
}

/**
 * Events of an attendee's class stream (GET /api/join/events?token=&page=), by SSE event name. `page`, the
 * path of the page opening it, is what the instructor's card shows as where the attendee is.
 */
export interface ClassEvents {
  ping: Heartbeat;
  state: JoinState;
  class: ClassView;
  broadcast: Broadcast;
  /** The instructor took the message back: pages showing it hide it. */
  unbroadcast: { id: string };
  goto: GotoEvent;
  /** This attendee was removed; the stream ends. */
  removed: { message: string };
  /** The class ended; the stream ends. */
  ended: { at: number };
  /** The instructor reset this attendee's lab. */
  reset: Record<string, never>;
  /** This attendee's session deadlines moved (extend). */
  session: { expiresAt: number; maxExpiresAt: number };
  /** The instructor started or stopped watching this attendee's terminal (read-only): the page says so. */
  peek: { watching: boolean };
  /** This attendee's hand went up or down (by them in another tab, or by the instructor answering). */
  /** `reply`: what the instructor wrote back when answering, if anything. */
  hand: { hand: Hand | null; by: 'attendee' | 'instructor'; reply?: string };
}

// --- reports (GET /api/workshops/:id/report.json; report.csv has the same attendee rows, report-help.csv the help requests) ---

/** One attendee: the step counts mean what they mean in ProgressSummary, over the whole class (lab resets included). */
export interface ReportAttendee extends Pick<ProgressSummary, 'stepsDone' | 'stepsOwn' | 'stepsSolved' | 'checksPassed' | 'stepsSkipped' | 'stepsForwarded' | 'totalSteps'> {
  id: string;
  displayName: string;
  /** ISO 8601 */
  joinedAt: string;
  leftAt: string | null;
  leftReason: string | null;
  minutesInClass: number;
  lastChapter: string | null;
  /** Lab resets during the class; the steps below keep what was done before them. */
  resets: number;
  /** Times they asked for help (the list is Report.helpRequests). */
  helpRequests: number;
  /** 'chapter/step' → status, for the steps with a record. */
  steps: Record<string, StepStatus>;
}

/** One raised hand (Ask for help), from going up to coming down. */
export interface ReportHelpRequest {
  attendeeId: string;
  displayName: string;
  /** ISO 8601 */
  raisedAt: string;
  /** What the attendee wrote when asking, if anything. */
  note: string | null;
  /** Where they were when asking: the step they worked on (else their next step to do). */
  chapter: string | null;
  step: string | null;
  stepTitle: string | null;
  /**
   * How it came down: answered by the instructor (Answered, or Reply), taken back by the attendee, closed
   * because they left (or were removed), still up when the class ended; 'open' while the class runs.
   */
  outcome: 'answered' | 'withdrawn' | 'left' | 'unanswered' | 'open';
  /** ISO 8601; null while open. */
  closedAt: string | null;
  /** Seconds the hand was up: until it came down, or (open) until the class ended or the report was made. */
  waitSeconds: number;
  /** The instructor's written reply, if they answered with one. */
  reply: string | null;
}

export interface Report {
  workshop: { id: string; title: string; lab: string; createdAt: string; endedAt: string | null; capacity: number };
  generatedAt: string;
  steps: { key: string; chapter: string; step: string; title: string }[];
  attendees: ReportAttendee[];
  /** Every help request of the class, oldest first. */
  helpRequests: ReportHelpRequest[];
}
