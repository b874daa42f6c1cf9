/**
 * The travel-control dashboard page (our own, modelled on the demo's): per-portal sliders for request
 * ratio, device, user and travel type that PUT settings/{portal}, and live charts of each portal's
 * requests from GET status. Self-contained (no external assets) and using relative URLs, so it works
 * behind the ingress, the API server's service proxy or the sandbox server's proxy alike.
 */
export const CONTROL_DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Travel Control Dashboard</title>
<style>
  :root { --bg:#0f1720; --card:#17212b; --line:#2b3a48; --fg:#e6edf3; --muted:#9fb0c0; --accent:#3d9be9; --web:#7dc3ff; --mobile:#f4a259; --reg:#8bd17c; --new:#e46f8c; --t1:#b38df0; --t2:#4fd1c5; --t3:#f6d365; }
  * { box-sizing: border-box; }
  body { margin:0; font:14px/1.4 system-ui, -apple-system, Segoe UI, Roboto, sans-serif; background:var(--bg); color:var(--fg); }
  header { display:flex; align-items:center; gap:16px; padding:14px 22px; border-bottom:1px solid var(--line); background:#0b1218; }
  header h1 { font-size:18px; margin:0; font-weight:600; }
  header .muted { color:var(--muted); font-size:12px; }
  header label { margin-left:auto; display:flex; align-items:center; gap:8px; color:var(--muted); font-size:12px; white-space:nowrap; }
  main { padding:18px 22px; display:grid; gap:18px; }
  .portals { display:grid; grid-template-columns:repeat(auto-fit, minmax(300px, 1fr)); gap:16px; }
  .card { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:14px 16px; }
  .card h2 { margin:0 0 2px; font-size:16px; }
  .card .meta { color:var(--muted); font-size:12px; margin-bottom:10px; }
  .card.error { border-color:#a33; }
  .row { display:grid; grid-template-columns:92px 1fr 64px; align-items:center; gap:8px; margin:7px 0; font-size:13px; }
  .row span:last-child { text-align:right; color:var(--muted); font-variant-numeric:tabular-nums; }
  input[type=range] { width:100%; accent-color:var(--accent); }
  .total { font-size:28px; font-weight:600; font-variant-numeric:tabular-nums; }
  .bars { display:flex; height:10px; border-radius:5px; overflow:hidden; background:#0b1218; margin:4px 0 2px; }
  .bars div { height:100%; }
  .legend { display:flex; gap:10px; font-size:11px; color:var(--muted); flex-wrap:wrap; }
  .legend i { display:inline-block; width:9px; height:9px; border-radius:2px; margin-right:4px; vertical-align:-1px; }
  .charts { display:grid; grid-template-columns:2fr 1fr; gap:16px; }
  svg text { fill:var(--muted); font-size:11px; }
  table { width:100%; border-collapse:collapse; font-size:13px; }
  td, th { padding:4px 6px; border-bottom:1px solid var(--line); text-align:left; }
  th { color:var(--muted); font-weight:500; }
  #msg { color:#f88; font-size:12px; min-height:16px; }
  @media (max-width: 800px) { .charts { grid-template-columns:1fr; } }
</style>
</head>
<body>
<header>
  <h1>Travel Control Dashboard</h1>
  <span class="muted" id="updated">connecting…</span>
  <label>Refresh <input id="refresh" type="range" min="0" max="10000" step="500" value="5000"> <span id="refreshLabel">5.0 s</span></label>
</header>
<main>
  <div id="msg"></div>
  <section class="portals" id="portals"></section>
  <section class="charts">
    <div class="card"><h2>Requests per portal</h2><div class="meta">total quotes served since each portal started</div><svg id="chart" viewBox="0 0 600 220" style="width:100%;height:auto"></svg></div>
    <div class="card"><h2>Top cities</h2><div class="meta">all portals</div><table id="cities"><thead><tr><th>City</th><th>Requests</th></tr></thead><tbody></tbody></table></div>
  </section>
</main>
<script>
(function () {
  var state = { portals: [], history: {}, timer: null, editing: false };
  var COLORS = ['#3d9be9', '#f4a259', '#8bd17c', '#e46f8c', '#b38df0'];
  var $ = function (id) { return document.getElementById(id); };
  function reqPerSec(ratio) { return ratio === 0 ? 0.06 : (ratio / 100) * 1.33; }
  function pct(part, total) { return total ? (100 * part) / total : 0; }
  function bar(parts) {
    var total = parts.reduce(function (a, p) { return a + p[1]; }, 0);
    return '<div class="bars">' + parts.map(function (p) { return '<div style="width:' + pct(p[1], total) + '%;background:var(--' + p[0] + ')"></div>'; }).join('') + '</div>' +
      '<div class="legend">' + parts.map(function (p) { return '<span><i style="background:var(--' + p[0] + ')"></i>' + p[0] + ' ' + p[1] + '</span>'; }).join('') + '</div>';
  }
  function slider(portal, key, label, value, max) {
    return '<div class="row"><span>' + label + '</span><input type="range" min="0" max="' + max + '" value="' + value + '" data-portal="' + portal + '" data-key="' + key + '"><span id="v-' + portal + '-' + key + '"></span></div>';
  }
  function render() {
    var root = $('portals');
    if (state.editing) return;
    root.innerHTML = state.portals.map(function (p) {
      var s = p.settings, r = p.status.requests;
      if (!s) return '<div class="card error"><h2>' + p.name + '</h2><div class="meta">' + p.country + ' — unreachable</div></div>';
      return '<div class="card" data-name="' + p.name + '"><h2>' + p.name + '</h2><div class="meta">' + p.country + '</div>' +
        '<div class="total">' + r.total + '</div>' +
        bar([['web', r.devices.web], ['mobile', r.devices.mobile]]) + bar([['reg', r.users.registered], ['new', r.users['new']]]) +
        bar([['t1', r.travel_type.t1], ['t2', r.travel_type.t2], ['t3', r.travel_type.t3]]) +
        slider(p.name, 'ratio', 'Ratio', s.request_ratio, 100) +
        slider(p.name, 'mobile', 'Mobile', s.devices.mobile, 100) +
        slider(p.name, 'registered', 'Registered', s.users.registered, 100) +
        slider(p.name, 't1', 'Travel t1', s.travel_type.t1, 100) +
        slider(p.name, 't2', 'Travel t2', s.travel_type.t2, 100) +
        slider(p.name, 't3', 'Travel t3', s.travel_type.t3, 100) + '</div>';
    }).join('');
    state.portals.forEach(function (p) { if (p.settings) labels(p.name, p.settings); });
  }
  function labels(name, s) {
    var set = function (k, v) { var el = $('v-' + name + '-' + k); if (el) el.textContent = v; };
    set('ratio', reqPerSec(s.request_ratio).toFixed(2) + '/s');
    set('mobile', s.devices.mobile + '%'); set('registered', s.users.registered + '%');
    set('t1', s.travel_type.t1 + '%'); set('t2', s.travel_type.t2 + '%'); set('t3', s.travel_type.t3 + '%');
  }
  function settingsFrom(name, key, value) {
    var p = state.portals.find(function (x) { return x.name === name; });
    var s = JSON.parse(JSON.stringify(p.settings));
    if (key === 'ratio') s.request_ratio = value;
    if (key === 'mobile') { s.devices.mobile = value; s.devices.web = 100 - value; }
    if (key === 'registered') { s.users.registered = value; s.users['new'] = 100 - value; }
    if (key === 't1' || key === 't2' || key === 't3') {
      var others = ['t1', 't2', 't3'].filter(function (k) { return k !== key; });
      var rest = 100 - value;
      s.travel_type[key] = value; s.travel_type[others[0]] = Math.ceil(rest / 2); s.travel_type[others[1]] = Math.floor(rest / 2);
    }
    p.settings = s;
    return s;
  }
  document.addEventListener('input', function (e) {
    var t = e.target;
    if (!t.dataset || !t.dataset.portal) return;
    state.editing = true;
    labels(t.dataset.portal, settingsFrom(t.dataset.portal, t.dataset.key, Number(t.value)));
  });
  document.addEventListener('change', function (e) {
    var t = e.target;
    if (!t.dataset || !t.dataset.portal) return;
    var s = settingsFrom(t.dataset.portal, t.dataset.key, Number(t.value));
    fetch('settings/' + encodeURIComponent(t.dataset.portal), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(s) })
      .then(function (r) { if (!r.ok) throw new Error('settings: HTTP ' + r.status); $('msg').textContent = ''; })
      .catch(function (err) { $('msg').textContent = String(err.message || err); })
      .then(function () { state.editing = false; refresh(); });
  });
  function chart() {
    var svg = $('chart'), W = 600, H = 220, pad = 28;
    var names = state.portals.map(function (p) { return p.name; });
    var max = 1;
    names.forEach(function (n) { (state.history[n] || []).forEach(function (v) { if (v > max) max = v; }); });
    var out = '';
    for (var g = 0; g <= 4; g++) { var y = pad + ((H - 2 * pad) * g) / 4; out += '<line x1="' + pad + '" x2="' + (W - 8) + '" y1="' + y + '" y2="' + y + '" stroke="#2b3a48"/><text x="2" y="' + (y + 4) + '">' + Math.round(max - (max * g) / 4) + '</text>'; }
    names.forEach(function (n, i) {
      var h = state.history[n] || [];
      if (!h.length) return;
      var pts = h.map(function (v, j) { return (pad + ((W - pad - 8) * j) / Math.max(1, 59)) + ',' + (H - pad - ((H - 2 * pad) * v) / max); }).join(' ');
      out += '<polyline fill="none" stroke-width="2" stroke="' + COLORS[i % COLORS.length] + '" points="' + pts + '"/>';
      var last = pts.split(' ').pop().split(',');
      out += '<circle r="3.5" cx="' + last[0] + '" cy="' + last[1] + '" fill="' + COLORS[i % COLORS.length] + '"/>';
      out += '<text x="' + (pad + 110 * i) + '" y="' + (H - 6) + '" style="fill:' + COLORS[i % COLORS.length] + '">● ' + n + '</text>';
    });
    svg.innerHTML = out;
  }
  function cities() {
    var agg = {};
    state.portals.forEach(function (p) { (p.status.cities || []).forEach(function (c) { agg[c.city] = (agg[c.city] || 0) + c.requests.total; }); });
    var rows = Object.keys(agg).sort(function (a, b) { return agg[b] - agg[a]; }).slice(0, 10);
    document.querySelector('#cities tbody').innerHTML = rows.map(function (c) { return '<tr><td>' + c + '</td><td>' + agg[c] + '</td></tr>'; }).join('');
  }
  function refresh() {
    return fetch('status').then(function (r) { if (!r.ok) throw new Error('status: HTTP ' + r.status); return r.json(); }).then(function (list) {
      state.portals = list;
      list.forEach(function (p) { var h = state.history[p.name] = state.history[p.name] || []; h.push(p.status.requests.total); if (h.length > 60) h.shift(); });
      $('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
      render(); chart(); cities();
    }).catch(function (err) { $('msg').textContent = String(err.message || err); });
  }
  function schedule() {
    clearInterval(state.timer);
    var ms = Number($('refresh').value);
    $('refreshLabel').textContent = ms ? (ms / 1000).toFixed(1) + ' s' : 'off';
    if (ms > 0) state.timer = setInterval(refresh, ms);
  }
  $('refresh').addEventListener('input', schedule);
  refresh(); schedule();
})();
</script>
</body>
</html>
`;
