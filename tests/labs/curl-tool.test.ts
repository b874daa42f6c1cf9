// The lab shell's curl (server/lab-tools/curl): the tutorial's raw.githubusercontent.com URLs are served
// offline from the project's manifests, and requests to the ingress gateway's external IP reach the
// cluster's ingress through the API server's service proxy, with the Host header deciding the route.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { EmulatorHost } from '../../server/emulator/host.ts';
import { runCommands, shellEnvFor, MANIFESTS_DIR, type ShellEnv } from '../../server/labs/shell-runner.ts';
import { loadLab, manifestText } from '../../labs/load.ts';

let host: EmulatorHost;
let shell: ShellEnv;
let clusterToken: string;

before(async () => {
  host = await EmulatorHost.start({ timeScale: 30 });
  const { token } = host.createCluster({ seed: 3 });
  clusterToken = token;
  shell = shellEnvFor({ server: host.serverUrlFor(token), token });
});
after(async () => {
  shell.dispose();
  await host.close();
});

test('curl -L of a Travels manifest URL prints the local copy, progress meter on stderr', async () => {
  const [r] = await runCommands(['curl -L https://raw.githubusercontent.com/kiali/demos/master/travels/travels-v3.yaml 2>/dev/null'], shell);
  assert.equal(r.output, readFileSync(`${MANIFESTS_DIR}/travels-v3.yaml`, 'utf8'));
  const [meter] = await runCommands(['curl -L https://raw.githubusercontent.com/kiali/demos/master/travels/travels-v3.yaml 2>&1 >/dev/null'], shell);
  assert.match(meter.output, /% Total +% Received/);
  const [silent] = await runCommands(['curl -sL https://raw.githubusercontent.com/kiali/demos/master/travels/travels-v3.yaml 2>&1 >/dev/null'], shell);
  assert.equal(silent.output, '');
});

test('an unknown manifest is a 404, and -f turns it into exit code 22', async () => {
  const [plain, failing] = await runCommands([
    'curl -sL https://raw.githubusercontent.com/kiali/demos/master/travels/nope.yaml',
    'curl -fsL https://raw.githubusercontent.com/kiali/demos/master/travels/nope.yaml',
  ], shell);
  assert.equal(plain.output, '404: Not Found');
  assert.equal(failing.exitCode, 22);
});

test('the tutorial command works verbatim: kubectl apply -f <(curl -L …) -n travel-agency', async () => {
  const [, apply] = await runCommands([
    'kubectl create namespace travel-agency',
    'kubectl apply -f <(curl -L https://raw.githubusercontent.com/kiali/demos/master/travels/travel_agency.yaml) -n travel-agency',
  ], shell);
  assert.equal(apply.exitCode, 0, apply.output);
  assert.match(apply.output, /deployment\.apps\/travels-v1 created/);
  assert.match(apply.output, /secret\/mysql-credentials created/);
});

test('curl to the ingress IP: refused before any Gateway listens on port 80, then 200 for the right Host and 404 for another', async () => {
  const lab = loadLab('travels');
  const gateway = manifestText(lab, '03-first-steps', { file: 'control-gateway.yaml' });
  const ip = "$(kubectl get service istio-ingressgateway -n istio-system -o jsonpath='{.status.loadBalancer.ingress[0].ip}')";
  const call = (host: string) => `curl -s -o /dev/null -w "%{http_code}" -H "Host: ${host}" http://${ip}/`;
  const [addr, before, plain, verbose] = await runCommands([
    `echo ${ip}`,
    `${call('control.travel-control.istio-cluster.org')}; echo " rc=$?"`,
    `curl -H "Host: control.travel-control.istio-cluster.org" http://${ip}/ 2>&1; echo "rc=$?"`,
    `curl -sv http://${ip}/ 2>&1`,
  ], shell);
  const gwIp = addr.output.trim();
  assert.match(gwIp, /^\d+\.\d+\.\d+\.\d+$/);
  assert.equal(before.output.trim(), '000 rc=7', 'no listener: curl exits 7 as with a real gateway');
  assert.ok(plain.output.includes(`curl: (7) Failed to connect to ${gwIp} port 80 after `), plain.output);
  assert.match(plain.output, /Couldn't connect to server\s+rc=7\s*$/);
  assert.ok(verbose.output.includes(`Trying ${gwIp}:80...`), verbose.output);
  assert.doesNotMatch(plain.output + verbose.output, /127\.0\.0\.1|api\/v1|Status/);
  const setup = await runCommands([
    'kubectl create namespace travel-control',
    'kubectl apply -f <(curl -sL https://raw.githubusercontent.com/kiali/demos/master/travels/travel_control.yaml) -n travel-control',
    `kubectl apply -f - <<'EOF'\n${gateway}\nEOF`,
    'kubectl rollout status deployment/control -n travel-control --timeout=60s',
  ], shell);
  assert.deepEqual(setup.map((s) => s.exitCode), [0, 0, 0, 0], JSON.stringify(setup));
  const [ok, wrong, byName] = await runCommands([
    call('control.travel-control.istio-cluster.org'),
    call('wrong.example.org'),
    'curl -s -o /dev/null -w "%{http_code}" http://control.travel-control.istio-cluster.org/',
  ], shell);
  assert.equal(ok.output, '200');
  assert.equal(wrong.output, '404');
  assert.equal(byName.output, '200');
});

test('curl -v to the ingress IP shows the learner\'s request, not the API server, its TLS or the token', async () => {
  const ip = "$(kubectl get service istio-ingressgateway -n istio-system -o jsonpath='{.status.loadBalancer.ingress[0].ip}')";
  const [addr, verbose, status] = await runCommands([
    `echo ${ip}`,
    `curl -sv -H "Host: control.travel-control.istio-cluster.org" http://${ip}/settings 2>&1 >/dev/null`,
    `curl -sv http://${ip}/ -o /dev/null; echo "rc=$?"`,
  ], shell);
  const out = verbose.output;
  assert.ok(!out.includes(clusterToken), `the bearer token is not shown: ${out}`);
  assert.doesNotMatch(out, /api\/v1|127\.0\.0\.1|TLS|x-forwarded-host|bytes data/i);
  assert.match(out, new RegExp(`Connected to ${addr.output.trim().replace(/\./g, '\\.')} .* port 80`));
  assert.match(out, /^> GET \/settings HTTP\/1\.1\r?$/m);
  assert.match(out, /^> Host: control\.travel-control\.istio-cluster\.org\r?$/m);
  assert.match(out, /^< HTTP\/1\.1 \d{3}/m);
  assert.match(status.output, /rc=0\s*$/, "curl's exit status is kept");
});

test('other URLs go to the real curl', async () => {
  const [r] = await runCommands(['curl -s -o /dev/null -w "%{http_code}" http://127.0.0.1:1/ ; echo " rc=$?"'], shell);
  assert.match(r.output, /^000 rc=7/);
});

test('kubectl apply -f with a Travels manifest URL reads the local copy; another URL fails with a note on why', async () => {
  const url = 'https://raw.githubusercontent.com/kiali/demos/master/travels/travel_portal.yaml';
  const [ns, byUrl, byEquals, elsewhere] = await runCommands([
    'kubectl create namespace travel-portal',
    `kubectl apply -f ${url} -n travel-portal`,
    `kubectl apply --filename=${url} -n travel-portal --dry-run=server`,
    'kubectl apply -f https://example.com/app.yaml',
  ], shell);
  assert.equal(ns.exitCode, 0, ns.output);
  assert.equal(byUrl.exitCode, 0, byUrl.output);
  assert.match(byUrl.output, /deployment\.apps\/viaggi created/);
  assert.match(byEquals.output, /deployment\.apps\/viaggi unchanged \(server dry run\)/);
  assert.notEqual(elsewhere.exitCode, 0);
  assert.match(elsewhere.output, /note: the lab sandbox has no internet access, so kubectl cannot fetch https:\/\/example\.com\/app\.yaml/);
});

test('curl inside a container (kubectl exec) honours -o, -w, -H, -i and -f as curl does', async () => {
  const inControl = (curlArgs: string) => `kubectl exec deploy/control -n travel-control -c control -- curl ${curlArgs}`;
  const [code, headers, missing, failing] = await runCommands([
    inControl('-s -o /dev/null -w "%{http_code}" http://control:8080/'),
    inControl('-si -H "x-test: 1" http://control.travel-control:8080/status'),
    inControl('-s http://nosuch:8080/; echo " rc=$?"'),
    inControl('-sf http://control:8080/settings/nowhere -X PUT -d "{}"; echo " rc=$?"'),
  ], shell);
  assert.equal(code.output, '200');
  assert.match(headers.output, /^HTTP\/1\.1 200\r?\n/);
  assert.match(headers.output, /travels\.uk/, 'the body follows the headers');
  assert.match(missing.output, /rc=6/);
  assert.match(failing.output, /rc=22/);
});

test('kubectl debug: the ephemeral container starts, runs its command and kubectl returns (it used to wait for ever)', async () => {
  const pod = "$(kubectl get pod -n travel-control -l app=control -o name | head -1)";
  const [r] = await runCommands([`timeout 30 kubectl debug -n travel-control ${pod} -i --image=busybox -- sh -c 'echo debug-$HOSTNAME-ok' 2>/dev/null; echo " rc=$?"`], shell);
  assert.match(r.output, /debug-control-\S+-ok\s+rc=0/);
});
