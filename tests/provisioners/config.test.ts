/** The proposed config fields parse env strings and refuse incomplete adapter settings with a hint. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { PROVISIONER_KINDS, RealClusterFields, realClusterProblems } from '../../server/provisioners/real-clusters-config.ts';

const Schema = z.object({ PROVISIONER: z.enum(PROVISIONER_KINDS).default('embedded'), SESSION_MAX_MINUTES: z.coerce.number().default(480), ...RealClusterFields }).superRefine((c, ctx) => {
  for (const [field, message] of realClusterProblems(c)) ctx.addIssue({ code: 'custom', path: [field], message });
});

test('defaults and coercion', () => {
  const c = Schema.parse({ PROVISIONER: 'script', SCRIPT_CREATE: 'examples/kind-istio/create.sh', SCRIPT_DESTROY: 'examples/kind-istio/destroy.sh', WARM_POOL_SIZE: '2' });
  assert.equal(c.WARM_POOL_SIZE, 2);
  assert.equal(c.SCRIPT_RETRIES, 1);
  assert.equal(c.SCRIPT_CREATE_TIMEOUT_SECONDS, 1200);
  assert.equal(c.LEARNER_TOKEN_HOURS, 12);
});

test('each adapter names what it is missing', () => {
  const pool = Schema.safeParse({ PROVISIONER: 'pool' });
  assert.equal(pool.success, false);
  assert.deepEqual(pool.error?.issues.map((i) => [i.path.join('.'), i.message]), [['POOL_KUBECONFIGS', 'PROVISIONER=pool needs POOL_KUBECONFIGS (kubeconfig files or a directory of them)']]);
  const script = Schema.safeParse({ PROVISIONER: 'script', SCRIPT_CREATE: 'x' });
  assert.deepEqual(script.error?.issues.map((i) => i.path[0]), ['SCRIPT_DESTROY']);
  const capped = Schema.safeParse({ PROVISIONER: 'script', SCRIPT_CREATE: 'x', SCRIPT_DESTROY: 'y', SCRIPT_MAX_CLUSTERS: '2', WARM_POOL_SIZE: '2' });
  assert.deepEqual(capped.error?.issues.map((i) => i.path[0]), ['WARM_POOL_SIZE']);
  assert.equal(Schema.safeParse({ PROVISIONER: 'kubernetes' }).success, false);
  const short = Schema.safeParse({ PROVISIONER: 'pool', POOL_KUBECONFIGS: '/p', LEARNER_TOKEN_HOURS: '4' });
  assert.deepEqual(short.error?.issues.map((i) => i.message), ["is shorter than SESSION_MAX_MINUTES (480): learners' kubeconfigs would expire mid-session"]);
});
