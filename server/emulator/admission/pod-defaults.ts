/**
 * SetDefaults_PodSpec / SetDefaults_Container (and the pod-only admission plugins: ServiceAccount,
 * Priority, DefaultTolerationSeconds), so pods and pod templates read back like a real cluster's.
 */
type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

function setIfMissing(o: Obj, k: string, v: unknown): void {
  if (o[k] === undefined || o[k] === null) o[k] = v;
}

/** imagePullPolicy: Always for `:latest` or an untagged image, IfNotPresent otherwise. */
export function pullPolicyFor(image: string): string {
  if (image.includes('@')) return 'IfNotPresent';
  const last = image.slice(image.lastIndexOf('/') + 1);
  const tag = last.includes(':') ? last.slice(last.indexOf(':') + 1) : '';
  return !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(p: unknown): void {
  if (!p || typeof p !== 'object') return;
  const probe = p as Obj;
  setIfMissing(probe, 'timeoutSeconds', 1);
  setIfMissing(probe, 'periodSeconds', 10);
  setIfMissing(probe, 'successThreshold', 1);
  setIfMissing(probe, 'failureThreshold', 3);
  if (probe.httpGet) setIfMissing(probe.httpGet as Obj, 'scheme', 'HTTP');
}

export function defaultContainer(c: Obj): void {
  setIfMissing(c, 'imagePullPolicy', pullPolicyFor(String(c.image ?? '')));
  setIfMissing(c, 'terminationMessagePath', '/dev/termination-log');
  setIfMissing(c, 'terminationMessagePolicy', 'File');
  setIfMissing(c, 'resources', {});
  for (const port of arr(c.ports)) setIfMissing(port, 'protocol', 'TCP');
  for (const e of arr(c.env)) {
    const fieldRef = asObj(asObj(e.valueFrom).fieldRef);
    if (asObj(e.valueFrom).fieldRef) setIfMissing(fieldRef, 'apiVersion', 'v1');
  }
  defaultProbe(c.readinessProbe);
  defaultProbe(c.livenessProbe);
  defaultProbe(c.startupProbe);
}

/** Defaults shared by pods and pod templates. */
export function defaultPodSpec(spec: Obj): void {
  setIfMissing(spec, 'restartPolicy', 'Always');
  setIfMissing(spec, 'dnsPolicy', 'ClusterFirst');
  setIfMissing(spec, 'schedulerName', 'default-scheduler');
  setIfMissing(spec, 'terminationGracePeriodSeconds', 30);
  setIfMissing(spec, 'securityContext', {});
  if (spec.serviceAccountName && !spec.serviceAccount) spec.serviceAccount = spec.serviceAccountName;
  if (spec.serviceAccount && !spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount;
  for (const c of [...arr(spec.containers), ...arr(spec.initContainers)]) defaultContainer(c);
  for (const v of arr(spec.volumes)) {
    if (v.secret) setIfMissing(v.secret as Obj, 'defaultMode', 420);
    if (v.configMap) setIfMissing(v.configMap as Obj, 'defaultMode', 420);
    if (v.projected) setIfMissing(v.projected as Obj, 'defaultMode', 420);
    if (v.downwardAPI) setIfMissing(v.downwardAPI as Obj, 'defaultMode', 420);
  }
}

/** Defaults that only real pods get (admission plugins run at pod creation, not on templates). */
export function defaultPodOnly(spec: Obj, rng: () => number): void {
  setIfMissing(spec, 'enableServiceLinks', true);
  setIfMissing(spec, 'preemptionPolicy', 'PreemptLowerPriority');
  setIfMissing(spec, 'priority', 0);
  setIfMissing(spec, 'serviceAccountName', 'default');
  setIfMissing(spec, 'serviceAccount', spec.serviceAccountName);
  const tolerations = arr(spec.tolerations);
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    if (!tolerations.some((t) => t.key === key)) tolerations.push({ effect: 'NoExecute', key, operator: 'Exists', tolerationSeconds: 300 });
  }
  spec.tolerations = tolerations;
  if (spec.automountServiceAccountToken !== false) mountServiceAccountToken(spec, rng);
}

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** The ServiceAccount admission plugin: a projected kube-api-access-xxxxx volume in every container. */
function mountServiceAccountToken(spec: Obj, rng: () => number): void {
  const volumes = arr(spec.volumes);
  if (volumes.some((v) => String(v.name).startsWith('kube-api-access-'))) return;
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += ALPHANUMS[Math.floor(rng() * ALPHANUMS.length)];
  const name = `kube-api-access-${suffix}`;
  volumes.push({
    name,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { items: [{ key: 'ca.crt', path: 'ca.crt' }], name: 'kube-root-ca.crt' } },
        { downwardAPI: { items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }] } },
      ],
    },
  });
  spec.volumes = volumes;
  for (const c of [...arr(spec.containers), ...arr(spec.initContainers)]) {
    const mounts = arr(c.volumeMounts);
    if (!mounts.some((m) => m.mountPath === '/var/run/secrets/kubernetes.io/serviceaccount')) {
      mounts.push({ mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name, readOnly: true });
    }
    c.volumeMounts = mounts;
  }
}

/** status.qosClass from the containers' requests and limits. */
export function qosClass(spec: Obj): string {
  const containers = [...arr(spec.containers), ...arr(spec.initContainers)];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const res = asObj(c.resources);
    const req = asObj(res.requests);
    const lim = asObj(res.limits);
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      if (lim[r] === undefined || (req[r] !== undefined && String(req[r]) !== String(lim[r]))) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

export function defaultTemplate(template: unknown): void {
  if (!template || typeof template !== 'object') return;
  const t = template as Obj;
  if (t.spec && typeof t.spec === 'object') defaultPodSpec(t.spec as Obj);
}
