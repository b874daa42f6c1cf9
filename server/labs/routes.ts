/**
 * Lab REST routes under /api/labs (mounted by server/main.ts): the lab outline, checks, Apply/Diff with
 * kubectl's exact output, Solve/Skip, Start here (a background job), Reset lab, progress, and the editor
 * schemas. Everything cluster-facing uses the session's ClusterAccess, never the emulator directly.
 * Chapter actions honour a workshop's pacing (pacing.ts); failed Check attempts are recorded for the
 * instructor's "stuck" view.
 */
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { parseAllDocuments } from 'yaml';
import type { ServerDeps } from '../deps.ts';
import { readJson, sendError, sendJson, type RequestContext, type Route } from '../http/router.ts';
import type { Session } from '../sessions/session-manager.ts';
import { loadLab, findStep, type Lab } from '../../labs/load.ts';
import type { Step } from '../../labs/schema.ts';
import { failureSummary, runChecks } from './checks.ts';
import { getObject } from './kube-objects.ts';
import type { ClusterAccess } from '../provisioners/provisioner.ts';
import { chapterLocked, noChapterLimit, type ChapterLimit } from './pacing.ts';
import { solveStep } from './solver.ts';
import { ProgressStore } from './progress-store.ts';
import { kubectl, type ShellEnv } from './shell-runner.ts';
import { kindSchema } from './openapi-schema.ts';

const SolveBody = z.object({ andEarlier: z.boolean().optional() });
const YamlBody = z.object({
  yaml: z.string().max(512 * 1024, 'the YAML is over 512 KB').refine((s) => s.trim() !== '', 'the editor is empty: write or paste YAML first'),
  namespace: z.string().max(63).optional(),
});
const CheckBody = z.object({
  attempt: z.boolean().optional()
    .describe('true when the learner pressed Check: a failure is then recorded as a failed attempt. The page\'s background re-checks leave it out.'),
});

/** A chapter page's request on a step: `acted` when the learner pressed Check, Solve or Skip, not for the page's background re-checks. */
export interface LabActivity {
  chapter: string;
  step?: string;
  acted: boolean;
}

export interface LabRoutesOptions {
  /** Workshop pacing per session (instructor mode's); without it no chapter is ever locked. */
  chapterLimit?: ChapterLimit;
  /** Called before a learner's Reset lab clears the session's progress (instructor mode keeps a record). */
  beforeReset?: (sessionId: string, lab: string) => void;
  /** Called after each step request: where the learner works (instructor mode shows it on their card). */
  onActivity?: (sessionId: string, lab: string, at: LabActivity) => void;
}

export function outline(lab: Lab) {
  return {
    id: lab.id,
    chapters: lab.chapters.map((c) => ({
      id: c.id,
      title: c.title,
      page: c.page,
      summary: c.summary,
      steps: c.steps.map((s) => ({ id: s.id, title: s.title, checks: s.checks.map((k) => k.title) })),
    })),
  };
}

export function labRoutes(deps: ServerDeps, opts: LabRoutesOptions = {}): Route[] {
  const chapterLimit = opts.chapterLimit ?? noChapterLimit;
  const labs = new Map<string, Lab>();
  const progress = new ProgressStore(deps.db);
  const jobs = deps.labJobs;
  const log = deps.log.child({ component: 'labs' });
  /** How to open a shell for this session's lab commands; undefined after answering 503 (see ServerDeps.labShell). */
  const labShellOrRefuse = (ctx: RequestContext, s: Session): (() => ShellEnv) | undefined => {
    const open = deps.labShell(s);
    if (!open) {
      sendError(ctx.res, 503, 'LAB_COMMANDS_DISABLED', 'This server runs no commands for learners: it has no sandbox and is not on loopback only.', 'Run it as root with bubblewrap (scripts/setup-system.sh), or on loopback.');
    }
    return open;
  };

  const labOf = (ctx: RequestContext): Lab | undefined => {
    const id = ctx.params.lab ?? 'travels';
    if (!/^[a-z0-9_-]+$/.test(id)) return undefined;
    if (!labs.has(id)) {
      try {
        labs.set(id, loadLab(id));
      } catch (err) {
        log.warn('lab not loaded', { lab: id, err: err instanceof Error ? err.message : String(err) });
        return undefined;
      }
    }
    return labs.get(id);
  };

  const sessionOf = async (req: IncomingMessage): Promise<Session | undefined> => deps.sessions.resolve(req);

  /**
   * Wraps a handler needing a lab and a session; answers 404/401 itself. `touch` marks learner activity:
   * not for check polls, or an open tab alone would keep an idle cluster alive.
   */
  const withSession = (fn: (ctx: RequestContext, lab: Lab, s: Session) => Promise<void>, touch = true) => async (ctx: RequestContext) => {
    const lab = labOf(ctx);
    if (!lab) return sendError(ctx.res, 404, 'LAB_NOT_FOUND', `No lab "${ctx.params.lab}".`);
    const s = await sessionOf(ctx.req);
    if (!s) return sendError(ctx.res, 401, 'UNAUTHORIZED', 'No session.', 'Press Start in a terminal to begin a session.');
    if (touch) deps.sessions.touch(s);
    try {
      await fn(ctx, lab, s);
    } catch (err) {
      log.error('lab request failed', { path: ctx.url.pathname, err: err instanceof Error ? err.message : String(err) });
      sendError(ctx.res, 500, 'LAB_ERROR', err instanceof Error ? err.message : String(err));
    }
  };

  const stepOf = (ctx: RequestContext, lab: Lab) => findStep(lab, ctx.params.chapter, ctx.params.step);

  /**
   * The earlier steps of the chapter the learner has not finished (no progress) and whose checks fail on the
   * cluster now, in order. Finished ones are not second-guessed: a later step may change what they checked.
   */
  const pendingEarlierSteps = async (lab: Lab, chapter: Lab['chapters'][number], step: Step, s: Session): Promise<Step[]> => {
    const finished = new Set(progress.list(s.id, lab.id).filter((r) => r.chapter === chapter.id).map((r) => r.step));
    const earlier = chapter.steps.slice(0, chapter.steps.indexOf(step)).filter((x) => x.checks.length > 0 && !finished.has(x.id));
    const failing = await Promise.all(earlier.map(async (x) => (await runChecks(s.cluster, x)).some((r) => !r.ok)));
    return earlier.filter((_, i) => failing[i]);
  };

  /**
   * A clean-up step (its checks all want something gone) passes before there is anything to clean up:
   * it counts only once the steps before it in its chapter are finished. Returns the first unfinished one.
   */
  const cleanUpTooEarly = (lab: Lab, chapter: Lab['chapters'][number], step: Step, s: Session): Step | undefined => {
    if (!step.checks.length || !step.checks.every((c) => c.type === 'resourceExists' && c.absent)) return undefined;
    const finished = new Set(progress.list(s.id, lab.id).filter((r) => r.chapter === chapter.id).map((r) => r.step));
    return chapter.steps.slice(0, chapter.steps.indexOf(step)).find((x) => x.checks.length > 0 && !finished.has(x.id));
  };

  /** Answers 403 when the session's workshop has not opened this chapter yet (and then nothing may change). */
  const refusedByPacing = (ctx: RequestContext, lab: Lab, s: Session, chapterId: string): boolean => {
    const locked = chapterLocked(lab, chapterId, chapterLimit(s.id, lab.id));
    if (locked) sendError(ctx.res, locked.status, locked.code, locked.message, locked.hint);
    return locked !== undefined;
  };

  const progressBody = (s: Session, lab: Lab) => ({ steps: progress.list(s.id, lab.id) });

  return [
    {
      method: 'GET',
      pattern: '/api/labs/schema',
      handler: withSchemaSession(deps, async (ctx, s) => {
        const apiVersion = ctx.url.searchParams.get('apiVersion') ?? '';
        const kind = ctx.url.searchParams.get('kind') ?? '';
        if (!/^[a-z0-9.-]*\/?v[0-9a-z]+$/.test(apiVersion) || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) {
          return sendError(ctx.res, 400, 'BAD_REQUEST', 'apiVersion and kind are required, e.g. ?apiVersion=apps/v1&kind=Deployment');
        }
        const schema = await kindSchema(s.cluster, apiVersion, kind);
        if (!schema) return sendError(ctx.res, 404, 'SCHEMA_NOT_FOUND', `The cluster publishes no schema for ${kind} in ${apiVersion}.`);
        sendJson(ctx.res, 200, schema);
      }),
    },
    {
      // The session's fast-forward on its way (or just ended), if any: a page opened or reloaded while Start
      // here or the instructor's fast-forward runs shows its progress and outcome, instead of a cluster that
      // seems to lack things.
      method: 'GET',
      pattern: '/api/labs/jobs/current',
      handler: withSchemaSession(deps, async (ctx, s) => sendJson(ctx.res, 200, { job: jobs.latest(s.id, 60_000) ?? null })),
    },
    {
      method: 'GET',
      pattern: '/api/labs/jobs/:job',
      handler: withSchemaSession(deps, async (ctx, s) => {
        const job = jobs.get(ctx.params.job, s.id);
        if (!job) return sendError(ctx.res, 404, 'JOB_NOT_FOUND', 'No such job for this session.');
        sendJson(ctx.res, 200, job);
      }),
    },
    {
      method: 'GET',
      pattern: '/api/labs/:lab',
      handler: (ctx) => {
        const lab = labOf(ctx);
        if (!lab) return sendError(ctx.res, 404, 'LAB_NOT_FOUND', `No lab "${ctx.params.lab}".`);
        sendJson(ctx.res, 200, outline(lab));
      },
    },
    {
      method: 'GET',
      pattern: '/api/labs/:lab/progress',
      handler: withSession(async (ctx, lab, s) => sendJson(ctx.res, 200, progressBody(s, lab)), false),
    },
    {
      method: 'POST',
      pattern: '/api/labs/:lab/steps/:chapter/:step/check',
      handler: withSession(async (ctx, lab, s) => {
        const found = stepOf(ctx, lab);
        if (!found) return sendError(ctx.res, 404, 'STEP_NOT_FOUND', `No step ${ctx.params.chapter}/${ctx.params.step}.`);
        const body = await readJson(ctx.req, CheckBody);
        if (!body.ok) return sendError(ctx.res, body.status, body.code, body.message);
        if (refusedByPacing(ctx, lab, s, found.chapter.id)) return;
        const attempt = body.value.attempt === true;
        if (attempt) deps.sessions.touch(s); // pressing Check is activity; a background re-check is not
        const results = await runChecks(s.cluster, found.step);
        const first = cleanUpTooEarly(lab, found.chapter, found.step, s);
        if (first) results.push({ title: `"${first.title}" is done first`, ok: false, detail: 'Nothing to clean up yet: this step removes what the steps before it create.' });
        const ok = results.length > 0 && results.every((r) => r.ok);
        if (ok) {
          // A step already solved stays "solved" (the instructor's report tells solved from done). One skipped
          // or fast-forwarded (Skip, Start here, the instructor's) passes on that work: it becomes the
          // learner's own only when they press Check, not through the page's background re-check.
          const before = progress.list(s.id, lab.id).find((r) => r.chapter === found.chapter.id && r.step === found.step.id)?.status;
          const passedOver = before === 'forwarded' || before === 'skipped';
          // A step whose checks pass on a fresh cluster proves nothing by passing: only a pressed Check credits it.
          const needsPress = passedOver || found.step.creditOnCheck;
          if (before !== 'solved' && (!needsPress || attempt)) progress.mark(s.id, lab.id, found.chapter.id, found.step.id, 'done');
        } else if (attempt && results.length > 0) {
          progress.recordFailedCheck(s.id, lab.id, found.chapter.id, found.step.id, failureSummary(results));
        }
        // Past Install, a failing step on a cluster without the Travels namespaces is not at this chapter's
        // starting point (Reset lab, a skipped chapter): the page points to Start here, not to the step's hints.
        // A step that removes the namespaces (Uninstall) is not off its starting point when some are gone.
        const removesNamespaces = found.step.checks.some((c) => c.type === 'resourceExists' && c.absent && c.kind === 'Namespace');
        const labMissing = !ok && !removesNamespaces && lab.chapters.findIndex((c) => c.id === found.chapter.id) > lab.chapters.findIndex((c) => c.id === INSTALL_CHAPTER)
          ? await missingNamespaces(s.cluster, TRAVELS_NAMESPACES)
          : [];
        opts.onActivity?.(s.id, lab.id, { chapter: found.chapter.id, step: found.step.id, acted: attempt });
        sendJson(ctx.res, 200, { ok, results, labMissing, ...progressBody(s, lab) });
      }, false),
    },
    {
      method: 'POST',
      pattern: '/api/labs/:lab/steps/:chapter/:step/solve',
      handler: withSession(async (ctx, lab, s) => {
        const found = stepOf(ctx, lab);
        if (!found) return sendError(ctx.res, 404, 'STEP_NOT_FOUND', `No step ${ctx.params.chapter}/${ctx.params.step}.`);
        if (refusedByPacing(ctx, lab, s, found.chapter.id)) return;
        const body = await readJson(ctx.req, SolveBody);
        if (!body.ok) return sendError(ctx.res, body.status, body.code, body.message);
        const openShell = labShellOrRefuse(ctx, s);
        if (!openShell) return;
        // A step builds on the earlier ones of its chapter: solving it on top of an unfinished one only waits
        // for checks that cannot pass. Say which are missing, or solve them first when asked to.
        const pending = await pendingEarlierSteps(lab, found.chapter, found.step, s);
        if (pending.length && !body.value.andEarlier) {
          return sendError(ctx.res, 409, 'EARLIER_STEPS_PENDING', `This step builds on earlier ones that are not done: ${pending.map((p) => `"${p.title}"`).join(', ')}.`, 'Solve them first (Solve offers to), or do them yourself.');
        }
        for (const earlier of pending) {
          const e = await solveStep(lab, found.chapter.id, earlier, s.cluster, openShell);
          if (!e.ok) return sendJson(ctx.res, 200, { ...e, ...progressBody(s, lab) });
          progress.mark(s.id, lab.id, found.chapter.id, earlier.id, 'solved');
        }
        const r = await solveStep(lab, found.chapter.id, found.step, s.cluster, openShell);
        if (r.ok) progress.mark(s.id, lab.id, found.chapter.id, found.step.id, 'solved');
        opts.onActivity?.(s.id, lab.id, { chapter: found.chapter.id, step: found.step.id, acted: true });
        sendJson(ctx.res, 200, { ...r, ...progressBody(s, lab) });
      }),
    },
    {
      method: 'POST',
      pattern: '/api/labs/:lab/steps/:chapter/:step/skip',
      handler: withSession(async (ctx, lab, s) => {
        const found = stepOf(ctx, lab);
        if (!found) return sendError(ctx.res, 404, 'STEP_NOT_FOUND', `No step ${ctx.params.chapter}/${ctx.params.step}.`);
        if (refusedByPacing(ctx, lab, s, found.chapter.id)) return;
        // A reading step has nothing to verify: "Mark as done" is its way of being done.
        progress.mark(s.id, lab.id, found.chapter.id, found.step.id, found.step.checks.length ? 'skipped' : 'done');
        opts.onActivity?.(s.id, lab.id, { chapter: found.chapter.id, step: found.step.id, acted: true });
        sendJson(ctx.res, 200, { ok: true, ...progressBody(s, lab) });
      }),
    },
    {
      method: 'POST',
      pattern: '/api/labs/:lab/apply',
      handler: withSession(async (ctx, _lab, s) => runKubectlWithYaml(ctx, labShellOrRefuse(ctx, s), ['apply', '-f', '-'])),
    },
    {
      method: 'POST',
      pattern: '/api/labs/:lab/diff',
      handler: withSession(async (ctx, _lab, s) => runKubectlWithYaml(ctx, labShellOrRefuse(ctx, s), ['diff', '-f', '-'])),
    },
    {
      method: 'POST',
      pattern: '/api/labs/:lab/chapters/:chapter/start-here',
      handler: withSession(async (ctx, lab, s) => {
        if (!lab.chapters.some((c) => c.id === ctx.params.chapter)) {
          return sendError(ctx.res, 404, 'CHAPTER_NOT_FOUND', `No chapter ${ctx.params.chapter}.`);
        }
        if (refusedByPacing(ctx, lab, s, ctx.params.chapter)) return;
        const openShell = labShellOrRefuse(ctx, s);
        if (!openShell) return;
        // An instructor's fast-forward already on its way is answered with that job, which the page follows.
        // The steps Start here runs are the learner's skips (their own records stay): the instructor's
        // dashboard then places them on this chapter, and a class move knows they are not behind.
        const { job } = jobs.startFastForward(lab, ctx.params.chapter, s, openShell, {
          onStep: (p) => {
            if (!p.ok || !deps.db.isOpen) return;
            if (!progress.list(s.id, lab.id).some((r) => r.chapter === p.chapter && r.step === p.step)) progress.mark(s.id, lab.id, p.chapter, p.step, 'skipped');
          },
        });
        sendJson(ctx.res, 202, job);
      }),
    },
    {
      method: 'POST',
      pattern: '/api/labs/:lab/reset',
      handler: withSession(async (ctx, lab, s) => {
        // In place: the session (and with it a workshop attendee's seat) and its shells stay.
        const homeError = await deps.sessions.resetCluster(s);
        // The cluster is new even when the home could not take its kubeconfig: progress starts over with it.
        opts.beforeReset?.(s.id, lab.id);
        progress.clear(s.id, lab.id);
        if (homeError) {
          return sendError(ctx.res, homeError.code === 'HOME_FULL' ? 507 : 409, homeError.code, `Your fresh cluster is ready, but kubectl cannot be pointed at it: ${homeError.message}`,
            homeError.code === 'HOME_FULL'
              ? 'Free some space in your home (du -sh ~/* ~/.[!.]* shows what takes it; rm what you do not need), then press Reset lab again.'
              : 'Something in your home is in the way of ~/.kube/config: move it aside (mv ~/.kube ~/.kube.old), then press Reset lab again.');
        }
        sendJson(ctx.res, 200, { ok: true });
      }),
    },
  ];
}

/** For routes that need a session but no lab (schema, jobs). */
function withSchemaSession(deps: ServerDeps, fn: (ctx: RequestContext, s: Session) => Promise<void>) {
  return async (ctx: RequestContext) => {
    const s = await deps.sessions.resolve(ctx.req);
    if (!s) return sendError(ctx.res, 401, 'UNAUTHORIZED', 'No session.', 'Press Start in a terminal to begin a session.');
    try {
      await fn(ctx, s);
    } catch (err) {
      sendError(ctx.res, 502, 'CLUSTER_ERROR', err instanceof Error ? err.message : String(err));
    }
  };
}

/** kubectl apply/diff -f - as the learner: stdout, stderr and exit code exactly as kubectl returns them. */
async function runKubectlWithYaml(ctx: RequestContext, openShell: (() => ShellEnv) | undefined, args: string[]): Promise<void> {
  if (!openShell) return; // refused already
  const body = await readJson(ctx.req, YamlBody);
  if (!body.ok) return sendError(ctx.res, body.status, body.code, body.message);
  // kubectl applies a file document by document and stops at the first that does not parse, leaving the
  // ones before it applied: a broken editor would half-change the cluster. Nothing runs unless all parse.
  const broken = yamlSyntaxError(body.value.yaml);
  if (broken) {
    // Said in our words, not kubectl's: kubectl did not run.
    const command = `kubectl ${args.join(' ')}  (not run)`;
    return sendJson(ctx.res, 200, { ok: false, command, stdout: '', stderr: `The editor's YAML ${broken}. kubectl was not run, so nothing was applied: fix that line (the editor marks it) and apply again.\n`, exitCode: 1 });
  }
  const shell = openShell();
  try {
    const full = [...args, ...(body.value.namespace ? ['-n', body.value.namespace] : [])];
    const r = await kubectl(full, shell, body.value.yaml);
    // kubectl diff exits 1 when there are differences: that is a successful diff, not an error.
    const ok = r.exitCode === 0 || (args[0] === 'diff' && r.exitCode === 1);
    sendJson(ctx.res, 200, { ok, command: `kubectl ${full.join(' ')}`, stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode });
  } finally {
    shell.dispose();
  }
}

/** The first YAML syntax error in a (multi-document) text, with its line, or undefined when it all parses. */
function yamlSyntaxError(text: string): string | undefined {
  for (const doc of parseAllDocuments(text)) {
    const e = doc.errors[0];
    if (e) return `does not parse at line ${e.linePos?.[0].line ?? '?'}: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`;
  }
  return undefined;
}

/** The chapter that creates the Travels namespaces; after it, their absence means "not at the starting point". */
const INSTALL_CHAPTER = '02-install';
const TRAVELS_NAMESPACES = ['travel-agency', 'travel-portal', 'travel-control'];

async function missingNamespaces(access: ClusterAccess, names: string[]): Promise<string[]> {
  // An API error is not an absence: only a clear 404 counts.
  const present = await Promise.all(names.map((n) => getObject(access, 'v1', 'Namespace', n).then((o) => o !== undefined, () => true)));
  return names.filter((_, i) => !present[i]);
}
