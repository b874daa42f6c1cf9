/**
 * Evaluates a step's declarative checks (labs/schema.ts) against the learner's cluster through the
 * Kubernetes API. Each check yields pass/fail plus a detail saying what was found, so the page can tell
 * the learner precisely what is still missing.
 */
import type { Check, Step } from '../../labs/schema.ts';
import type { ClusterAccess } from '../provisioners/provisioner.ts';
import { getObject, listObjects, readAll, readPath, KindNotServed, type KubeObject } from './kube-objects.ts';
import { formatProblems, hostMeans, hostProblems, routeProblems, subsetlessHosts } from './vs-routes.ts';
import { checkMesh } from './mesh-check.ts';

export interface CheckResult {
  title: string;
  ok: boolean;
  /** What was found (shown under a failing check, and as a tooltip when passing). */
  detail: string;
  hint?: string;
}

/** `hint` replaces the check's own when the failure calls for another fix than the usual one. */
type Verdict = { ok: boolean; detail: string; hint?: string };
const pass = (detail = ''): Verdict => ({ ok: true, detail });
const fail = (detail: string, hint?: string): Verdict => ({ ok: false, detail, ...(hint ? { hint } : {}) });

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

function deploymentState(d: KubeObject | undefined, name: string): string | undefined {
  if (!d) return `${name}: not found`;
  const want = (d.spec?.replicas as number | undefined) ?? 1;
  const s = (d.status ?? {}) as Record<string, number | undefined>;
  const observed = (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
  const ready = s.readyReplicas ?? 0;
  const done = observed && (s.updatedReplicas ?? 0) === want && (s.availableReplicas ?? 0) === want && ready === want && (s.replicas ?? 0) === want;
  return done ? undefined : `${name}: ${ready}/${want} ready${observed && (s.replicas ?? 0) > want ? ', old pods still terminating' : ''}`;
}

function hasSidecar(pod: KubeObject): boolean {
  const spec = (pod.spec ?? {}) as { containers?: { name: string }[]; initContainers?: { name: string; restartPolicy?: string }[] };
  return (spec.containers ?? []).some((c) => c.name === 'istio-proxy')
    || (spec.initContainers ?? []).some((c) => c.name === 'istio-proxy' && c.restartPolicy === 'Always');
}

/** The Service a VirtualService destination host names: FQDN, "name.namespace" or a short name in the VS namespace. */
function serviceOf(host: string, vsNamespace: string): { name: string; namespace: string } {
  const [name, namespace] = host.split('.');
  return { name, namespace: namespace ?? vsNamespace };
}

/**
 * The `version` labels of the running pods behind each host, for routes without a subset (they reach
 * every pod of the service). A host whose Service cannot be read is left out.
 */
async function hostVersions(access: ClusterAccess, hosts: string[], vsNamespace: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  await Promise.all(hosts.map(async (host) => {
    const ref = serviceOf(host, vsNamespace);
    const svc = await getObject(access, 'v1', 'Service', ref.name, ref.namespace);
    const selector = Object.entries((svc?.spec?.selector ?? {}) as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(',');
    if (!svc || !selector) return;
    const pods = (await listObjects(access, 'v1', 'Pod', ref.namespace, selector))
      .filter((p) => !p.metadata.deletionTimestamp && !['Succeeded', 'Failed'].includes(String(p.status?.phase)));
    const versions = [...new Set(pods.map((p) => p.metadata.labels?.version).filter((v): v is string => Boolean(v)))].sort();
    if (versions.length) out.set(host, versions);
  }));
  return out;
}

/**
 * Another namespace's VirtualService for the same service (by its full name), created earlier: where two
 * claim a host, istiod keeps the oldest, so a stray copy applied to the wrong namespace first wins.
 */
async function olderClaim(access: ClusterAccess, vs: KubeObject, name: string, ns: string): Promise<string | undefined> {
  const all = await listObjects(access, 'networking.istio.io/v1', 'VirtualService', '');
  const created = vs.metadata.creationTimestamp ?? '';
  const other = all.find((o) => {
    if (o.metadata.namespace === ns || (o.metadata.creationTimestamp ?? '') >= created) return false;
    const spec = (o.spec ?? {}) as { hosts?: unknown; gateways?: unknown };
    const gateways = Array.isArray(spec.gateways) ? spec.gateways : [];
    if (gateways.length > 0 && !gateways.includes('mesh')) return false;
    // Outside its own namespace a short name means another service: only a qualified host reaches this one.
    return (Array.isArray(spec.hosts) ? spec.hosts : []).some((h) => typeof h === 'string' && h.includes('.') && hostMeans(h, name, ns));
  });
  return other && `${other.metadata.namespace}/${other.metadata.name}`;
}

/**
 * "Not found", and where it is instead: a learner who applied a manifest to the wrong namespace (`-n`
 * left out, or a namespace edited in the YAML) is told where it went and how to put it right, instead
 * of a hint about the step's content.
 */
async function missing(access: ClusterAccess, apiVersion: string, kind: string, name: string, namespace: string | undefined): Promise<Verdict> {
  const here = `${kind} ${name} not found${namespace ? ` in ${namespace}` : ''}`;
  if (!namespace) return fail(here);
  const elsewhere = (await listObjects(access, apiVersion, kind, '').catch(() => []))
    .filter((o) => o.metadata.name === name && o.metadata.namespace && o.metadata.namespace !== namespace)
    .map((o) => o.metadata.namespace!);
  if (elsewhere.length === 0) return fail(here);
  const resource = kind.toLowerCase();
  return fail(
    `${here}: there is one in ${elsewhere.join(', ')}`,
    `It belongs in ${namespace}. Remove the stray one (kubectl delete ${resource} ${name} -n ${elsewhere[0]}), then apply it with -n ${namespace}.`,
  );
}

async function evaluate(access: ClusterAccess, c: Check): Promise<Verdict> {
  switch (c.type) {
    case 'resourceExists': {
      const o = await getObject(access, c.apiVersion, c.kind, c.name, c.namespace);
      const gone = !o;
      if (c.absent) return gone ? pass('not found') : fail(o?.metadata.deletionTimestamp ? 'still being deleted' : `${c.kind} ${c.name} still exists`);
      return gone ? missing(access, c.apiVersion, c.kind, c.name, c.namespace) : pass('found');
    }
    case 'fieldEquals': {
      const o = await getObject(access, c.apiVersion, c.kind, c.name, c.namespace);
      if (!o) return missing(access, c.apiVersion, c.kind, c.name, c.namespace);
      const accepted = [c.value, ...(c.alsoAccept ?? [])];
      const paths = Array.isArray(c.path) ? c.path : [c.path];
      for (const p of paths) {
        const values = readAll(o, p);
        if (values.length > 0 && values.every((v) => accepted.some((a) => same(v, a)))) return pass(`${p} = ${show(values[0])}`);
      }
      return fail(`${paths[0]} is ${show(readPath(o, paths[0]))}, expected ${show(c.value)}`);
    }
    case 'fieldContains': {
      const o = await getObject(access, c.apiVersion, c.kind, c.name, c.namespace);
      if (!o) return missing(access, c.apiVersion, c.kind, c.name, c.namespace);
      const accepted = [c.value, ...(c.alsoAccept ?? [])];
      const paths = Array.isArray(c.path) ? c.path : [c.path];
      for (const p of paths) {
        const items = readAll(o, p).flatMap((v) => (Array.isArray(v) ? v : []));
        if (items.some((x) => accepted.some((a) => same(x, a)))) return pass(`${p} contains ${show(c.value)}`);
      }
      return fail(`${paths[0]} is ${show(readPath(o, paths[0]))}; ${show(c.value)} is missing`);
    }
    case 'namespaceLabel': {
      const ns = await getObject(access, 'v1', 'Namespace', c.namespace);
      if (!ns) return fail(`namespace ${c.namespace} not found`);
      const v = ns.metadata.labels?.[c.label];
      return v === c.value ? pass(`${c.label}=${v}`) : fail(v === undefined ? `no ${c.label} label` : `${c.label}=${v}`);
    }
    case 'deploymentsReady': {
      const states = await Promise.all(c.names.map(async (n) => deploymentState(await getObject(access, 'apps/v1', 'Deployment', n, c.namespace), n)));
      const bad = states.filter((s): s is string => Boolean(s));
      const strays = (await Promise.all((c.strays ?? []).map(async (n) => ((await getObject(access, 'apps/v1', 'Deployment', n, c.namespace)) ? n : undefined))))
        .filter((n): n is string => Boolean(n));
      if (strays.length) {
        return fail(
          `${c.namespace} also has Deployment${strays.length > 1 ? 's' : ''} ${strays.join(', ')} from another namespace's manifest`,
          `A manifest applied with the wrong -n put ${strays.length > 1 ? 'them' : 'it'} here, where ${strays.length > 1 ? 'their pods' : 'its pods'} can answer for this namespace's services. `
            + `Remove ${strays.length > 1 ? 'them' : 'it'}: kubectl delete deployment ${strays.join(' ')} -n ${c.namespace}`,
        );
      }
      if (bad.length === 0) return pass(`${c.names.length} ready`);
      // Missing here but present in another namespace: applied without (or with the wrong) -n.
      const absent = c.names.filter((n, i) => states[i]?.endsWith(': not found'));
      if (absent.length) {
        const elsewhere = await missing(access, 'apps/v1', 'Deployment', absent[0], c.namespace);
        if (elsewhere.hint) return fail(`${bad.join('; ')} (${elsewhere.detail.split(': ').slice(1).join(': ')})`, elsewhere.hint);
      }
      // All there, just not ready yet: the step's hint (how to create them) would blame the learner.
      const starting = bad.every((b) => !b.endsWith(': not found'));
      return fail(bad.join('; '), starting ? `Not ready yet: pods usually start within seconds. If one does not, kubectl get pods -n ${c.namespace} shows why (ImagePullBackOff, CrashLoopBackOff…).` : undefined);
    }
    case 'podsHaveSidecar': {
      const pods = (await listObjects(access, 'v1', 'Pod', c.namespace, c.selector))
        .filter((p) => !p.metadata.deletionTimestamp && !['Succeeded', 'Failed'].includes(String(p.status?.phase)));
      if (pods.length === 0) return fail(`no pods${c.selector ? ` matching ${c.selector}` : ''} in ${c.namespace}`);
      const wrong = pods.filter((p) => hasSidecar(p) !== c.sidecar).map((p) => p.metadata.name);
      if (wrong.length === 0) return pass(`${pods.length} pod(s) checked`);
      return fail(`${wrong.length} of ${pods.length} pod(s) ${c.sidecar ? 'lack' : 'have'} istio-proxy: ${wrong.slice(0, 4).join(', ')}${wrong.length > 4 ? '…' : ''}`);
    }
    case 'virtualServiceRoutes': {
      const vs = await getObject(access, 'networking.istio.io/v1', 'VirtualService', c.name, c.namespace);
      if (!vs) return missing(access, 'networking.istio.io/v1', 'VirtualService', c.name, c.namespace);
      const versions = await hostVersions(access, subsetlessHosts(vs.spec, c.protocol), c.namespace);
      const wrongHosts = hostProblems(vs.spec, c.name, c.namespace, c.protocol);
      if (wrongHosts.length) return fail(wrongHosts.join('; '), `Name the ${c.name} service in spec.hosts and in every destination: ${c.name} (the VirtualService is in ${c.namespace}) or ${c.name}.${c.namespace}.svc.cluster.local.`);
      const shadow = await olderClaim(access, vs, c.name, c.namespace);
      if (shadow) {
        return fail(
          `VirtualService ${shadow} is older and also claims the ${c.name} service, so the mesh follows it instead of this one`,
          `Delete the stray one: kubectl delete virtualservice ${shadow.split('/')[1]} -n ${shadow.split('/')[0]}`,
        );
      }
      const problems = routeProblems(vs.spec, c, (host) => versions.get(host));
      if (problems.length === 0) return pass('routes as expected');
      // Trying the abort the page suggests is not a mistake in the fault block's place.
      const aborted = problems.some((p) => p.why?.includes('is an abort'));
      return fail(formatProblems(problems), aborted ? 'Trying an abort is fine; this step checks the delay. Put fault.delay back (fixedDelay and percentage) when you are done.' : undefined);
    }
    case 'meshTraffic':
      return checkMesh(access, c);
  }
}

/** Runs every check of a step (concurrently); an API error becomes a failing check, never a throw. */
export async function runChecks(access: ClusterAccess, step: Step): Promise<CheckResult[]> {
  return Promise.all(step.checks.map(async (c) => {
    let v: Verdict;
    try {
      v = await evaluate(access, c);
    } catch (err) {
      v = fail(err instanceof KindNotServed ? err.message : `could not check: ${err instanceof Error ? err.message : String(err)}`);
    }
    const hint = v.hint ?? c.hint;
    return { title: c.title, ok: v.ok, detail: v.detail, ...(hint ? { hint } : {}) };
  }));
}

/** Re-runs the checks until all pass or the time is up; returns the last results. */
export async function waitForChecks(access: ClusterAccess, step: Step, timeoutMs: number, everyMs = 1500): Promise<CheckResult[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const results = await runChecks(access, step);
    if (results.every((r) => r.ok) || Date.now() + everyMs > deadline) return results;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** One line naming what failed and what was found ("Namespaces exist: travel-agency not found; …"). */
export function failureSummary(results: CheckResult[]): string {
  return results.filter((r) => !r.ok).map((r) => (r.detail ? `${r.title}: ${r.detail}` : r.title)).join('; ');
}
