/**
 * The one schema for lab definitions (labs/<lab>/<NN-chapter>/chapter.yaml). Chapters, steps, checks and
 * solutions are data; server/labs interprets them and the site renders them. Every field is documented with
 * `.describe()` so the JSON Schema generated from it (scripts/schemas/lab.schema.json) gives editors hovers.
 * Imported by both the server and the site: no Node-only imports here.
 */
import { z } from 'zod';

const name = z.string().min(1).max(253);

/** Which object a check looks at. `namespace` is omitted for cluster-scoped kinds (Namespace). */
const target = {
  apiVersion: z.string().describe('API version of the object, e.g. "apps/v1" or "networking.istio.io/v1".'),
  kind: z.string().describe('Kind of the object, e.g. "Deployment", "VirtualService".'),
  namespace: name.optional().describe('Namespace of the object; omit for cluster-scoped kinds.'),
  name: name.describe('Name of the object.'),
};

/** One path into an object, or several equivalent ones (the check passes on any). */
const paths = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

const common = {
  title: z.string().describe('What the learner sees in the check list, phrased as the goal ("travels-v2 is running").'),
  hint: z.string().optional().describe('Shown while the check fails: what is probably missing and how to fix it.'),
};

export const checkSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('resourceExists'),
    ...common,
    ...target,
    absent: z.boolean().default(false).describe('true: the check passes when the object does NOT exist (clean-up steps).'),
  }).describe('An object exists (or, with absent: true, is gone).'),
  z.object({
    type: z.literal('fieldEquals'),
    ...common,
    ...target,
    path: paths.describe('Dotted path into the object, with [n] for list items, e.g. "spec.http[0].timeout" ([*]: every item must have the value). A list gives equivalent places: any one will do.'),
    value: z.unknown().describe('Expected value, compared as JSON (numbers and strings are not coerced).'),
    alsoAccept: z.array(z.unknown()).optional().describe('Other values that mean the same (e.g. a short name for a qualified one).'),
  }).describe('A field of an object has the expected value.'),
  z.object({
    type: z.literal('fieldContains'),
    ...common,
    ...target,
    path: paths.describe('Dotted path to a list, e.g. "spec.rules[0].from[0].source.principals" ([*]: any item\'s list will do). A list gives equivalent places: any one will do.'),
    value: z.unknown().describe('An item the list must contain (compared as JSON).'),
    alsoAccept: z.array(z.unknown()).optional().describe('Other items that mean the same (e.g. a short name for a qualified one).'),
  }).describe('A list field of an object contains an item.'),
  z.object({
    type: z.literal('namespaceLabel'),
    ...common,
    namespace: name.describe('The namespace whose label is checked.'),
    label: z.string().describe('Label key, e.g. "istio-injection".'),
    value: z.string().describe('Expected label value, e.g. "enabled".'),
  }).describe('A namespace carries a label.'),
  z.object({
    type: z.literal('deploymentsReady'),
    ...common,
    namespace: name.describe('Namespace of the Deployments.'),
    names: z.array(name).min(1).describe('Deployments that must exist with every replica updated and available.'),
    strays: z.array(name).optional().describe(
      'Deployments that must not be in this namespace: another manifest\'s, applied with the wrong -n (their pods would answer for this namespace\'s services).'),
  }).describe('Deployments exist and have rolled out completely (READY n/n).'),
  z.object({
    type: z.literal('podsHaveSidecar'),
    ...common,
    namespace: name.describe('Namespace of the pods.'),
    selector: z.string().optional().describe('Label selector narrowing the pods, e.g. "app=control"; all pods when omitted.'),
    sidecar: z.boolean().default(true).describe('true: every running pod has an istio-proxy container; false: none has.'),
  }).describe('Running pods have (or lack) the Istio sidecar.'),
  z.object({
    type: z.literal('virtualServiceRoutes'),
    ...common,
    namespace: name.describe('Namespace of the VirtualService.'),
    name: name.describe('Name of the VirtualService.'),
    protocol: z.enum(['http', 'tcp']).default('http').describe('Which route list to inspect.'),
    routes: z.array(z.object({
      header: z.object({ name: z.string(), exact: z.string() }).optional()
        .describe('The rule must match this header exactly; omit for the catch-all rule.'),
      destinations: z.array(z.object({
        subset: z.string().describe('Destination subset (version), e.g. "v1".'),
        weight: z.number().optional().describe('Expected weight; omit to accept any (a lone destination means 100).'),
      })).describe('The rule routes to exactly these subsets. A destination without subset reaches every version of its host, so it counts as all of them.'),
      mirror: z.object({ subset: z.string(), percent: z.number().optional() }).optional()
        .describe('The rule mirrors to this subset at this percentage.'),
      timeout: z.string().optional().describe('The rule sets this timeout, e.g. "2s".'),
      delay: z.string().optional().describe('The rule injects this fixed delay, e.g. "5s".'),
    })).describe('Rules that must be present, in any order, as long as each one can apply: a rule below a catch-all rule (or below a rule with the same header match) never does.'),
  }).describe('A VirtualService routes as the step asks, in the terms Kiali uses (header match → subsets).'),
  z.object({
    type: z.literal('meshTraffic'),
    ...common,
    namespaces: z.array(name).min(1).describe('Namespaces of the Kiali graph to query.'),
    from: z.string().describe('Source workload as "namespace/workload" ("istio-system/istio-ingressgateway" works), or "namespace/*" for all of a namespace\'s workloads.'),
    to: z.string().describe('Destination workload as "namespace/workload".'),
    code: z.string().optional().describe('Require traffic with this response code on the edge, e.g. "200", "403", "503".'),
    flag: z.string().optional().describe(
      'With code: the responses of that code must carry this Envoy flag, e.g. "UO" (circuit breaker) — a 503 for another reason (NC, UH) does not pass.'),
    absentCode: z.string().optional().describe('Require that no traffic with this response code is on the edge.'),
    only: z.boolean().optional().describe('true: "from" must send its traffic for this app to "to" alone. Traffic from "from" to another '
      + 'workload of the same app, or requests that stopped at its service (e.g. 404 with flag NR: no route matched), fail the check. '
      + 'Judged over the last 30 s, so that traffic from before a routing change soon drops out.'),
    share: z.object({ min: z.number().min(0).max(100), max: z.number().min(0).max(100) }).optional().describe(
      'The percentage of the requests "from" sends to the app of "to" that must reach "to", over the last minute, e.g. '
      + '{ min: 60, max: 95 } for an 80 % weight: an even split over three versions (33 %) fails it. With few requests, '
      + 'leave room for chance and use "namespace/*" as "from" to count every workload of a namespace.'),
    mirrored: z.boolean().optional().describe('true: the traffic must be mirrored copies: reported by the proxy of "to" (Kiali\'s '
      + 'Destination reporter) and never by the proxy of "from" (Source), which does not report what it mirrors. Ordinary traffic '
      + 'is reported by both, so an even split does not pass. Judged over the last minute.'),
  }).describe('Kiali\'s graph (through the cluster\'s service proxy) shows traffic on an edge.'),
]);

export type Check = z.infer<typeof checkSchema>;

export const manifestRefSchema = z.object({
  file: z.string().optional().describe('A file in labs/<lab>/manifests/ (or relative to the chapter folder).'),
  yaml: z.string().optional().describe('Inline YAML, for small objects the learner edits.'),
  namespace: name.optional().describe('Applied with -n <namespace>.'),
}).refine((m) => Boolean(m.file) !== Boolean(m.yaml), { message: 'a manifest needs exactly one of file or yaml' })
  .describe('YAML to apply: a manifest file or inline YAML.');

export type ManifestRef = z.infer<typeof manifestRefSchema>;

export const solutionSchema = z.object({
  commands: z.array(z.string()).default([]).describe('Shell commands, run in order with bash (the lab shell tools on PATH).'),
  manifests: z.array(manifestRefSchema).default([]).describe('YAML applied with kubectl apply after the commands.'),
}).describe('What Solve (and Start here) does for this step.');

export const stepSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/).describe('Stable id, unique in the chapter; progress is stored under it.'),
  title: z.string().describe('Short imperative title ("Create the namespaces").'),
  commands: z.array(z.string()).default([]).describe('Commands the learner types in this step (shown by <Run>).'),
  editor: manifestRefSchema.optional().describe('Starting YAML of the step\'s editor (Reset returns to it).'),
  checks: z.array(checkSchema).default([]).describe('Conditions that prove the step is done; none = a reading step.'),
  hints: z.array(z.string()).default([]).describe('General hints, shown on demand.'),
  solution: solutionSchema.default({ commands: [], manifests: [] }),
  waitSeconds: z.number().min(0).max(600).default(60)
    .describe('How long Solve / Start here waits for the checks to pass after applying the solution.'),
  creditOnCheck: z.boolean().default(false).describe('true for a step whose checks pass on a fresh cluster (they look at what '
    + 'the lab provides, not at what the learner did): only a pressed "Check now" marks it done. The page\'s background re-checks '
    + 'still show its ticks, but do not credit it — nor count it as the learner\'s own work in a workshop.'),
});

export type Step = z.infer<typeof stepSchema>;

export const chapterSchema = z.object({
  id: z.string().regex(/^\d\d-[a-z0-9-]+$/).describe('Folder name, e.g. "02-install"; the number orders chapters.'),
  title: z.string().describe('Chapter title as shown in the site.'),
  page: z.string().describe('Site slug of the chapter page, e.g. "tutorial/install".'),
  summary: z.string().describe('One sentence: what the learner does in this chapter.'),
  steps: z.array(stepSchema).min(1).describe('Steps in order.'),
}).superRefine((c, ctx) => {
  const seen = new Set<string>();
  for (const s of c.steps) {
    if (seen.has(s.id)) ctx.addIssue({ code: 'custom', message: `duplicate step id "${s.id}"`, path: ['steps'] });
    seen.add(s.id);
  }
});

export type Chapter = z.infer<typeof chapterSchema>;

/** JSON Schema of chapter.yaml, for editors (yaml-language-server) and docs. */
export function chapterJsonSchema(): unknown {
  return z.toJSONSchema(chapterSchema, { io: 'input', unrepresentable: 'any' });
}
