// The st-goods dashboard page. No build step: a plain ES module beside Chart.js (served from
// node_modules). State arrives over one server-sent event stream (/api/stream), pushed when the
// journal changes; the page never polls. A 1 s local tick only moves the now line and ships in flight.

const $ = (sel) => document.querySelector(sel);
const meta = document.querySelector('meta[name="st-goods-control"]');
const control = { allowed: meta?.dataset.allowed === 'true', token: meta?.content ?? '' };

const state = { runs: [], view: undefined, events: [], alerts: [], runId: undefined, source: undefined, serverSkew: 0 };
const charts = {};

/** Creates an element: h('td', {class: 'x'}, 'text', child...). Text is always text (never HTML). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== undefined && c !== null) el.append(c instanceof Node ? c : String(c));
  return el;
}

const fmt = (n) => (typeof n === 'number' ? n.toLocaleString('en-US') : '–');
const clock = (ms) => new Date(ms).toLocaleTimeString('en-GB', { hour12: false });
const when = (iso) => (iso ? new Date(iso).toLocaleString('en-GB', { hour12: false }) : '–');
const now = () => Date.now() + state.serverSkew;
/** The right edge of a run's charts: now while it runs, else when it ended. */
const edge = (v) => (v.report.status === 'running' ? now() : Date.parse(v.report.endedAt ?? v.report.updatedAt));
const isLive = (v) => v.report.status === 'running';
function ago(ms) {
  const s = Math.max(0, Math.round((now() - ms) / 1000));
  return s < 90 ? `${s}s ago` : s < 5400 ? `${Math.round(s / 60)} min ago` : `${(s / 3600).toFixed(1)} h ago`;
}
function span(seconds) {
  const s = Math.max(0, Math.round(seconds));
  const hh = Math.floor(s / 3600), mm = Math.floor((s % 3600) / 60), ss = s % 60;
  return hh ? `${hh}h${String(mm).padStart(2, '0')}m` : mm ? `${mm}m${String(ss).padStart(2, '0')}s` : `${ss}s`;
}
const badge = (s) => h('span', { class: `badge s-${s}` }, String(s).toUpperCase());

// ---- the stream ---------------------------------------------------------------------------

/** Runs `fn` on the next animation frame, once however many updates arrived before it. */
const pending = new Set();
function later(fn) {
  if (pending.has(fn)) return;
  pending.add(fn);
  requestAnimationFrame(() => {
    pending.delete(fn);
    fn();
  });
}

function connect() {
  state.source?.close();
  const url = state.runId ? `/api/stream?run=${encodeURIComponent(state.runId)}` : '/api/stream';
  const es = new EventSource(url);
  state.source = es;
  const live = $('#live');
  es.onopen = () => { live.textContent = 'live'; live.className = 'pill live'; };
  es.onerror = () => { live.textContent = 'reconnecting…'; live.className = 'pill down'; };
  es.addEventListener('hello', (e) => {
    const hello = JSON.parse(e.data);
    state.serverSkew = hello.serverTime - Date.now();
    state.events = [];
  });
  es.addEventListener('runs', (e) => { state.runs = JSON.parse(e.data); renderRuns(); renderAlerts(); });
  es.addEventListener('run', (e) => { state.view = JSON.parse(e.data); later(renderRun); });
  es.addEventListener('events', (e) => { state.events.push(...JSON.parse(e.data)); later(renderEvents); });
  es.addEventListener('alerts', (e) => { state.alerts = JSON.parse(e.data); renderAlerts(); });
  es.addEventListener('missing', (e) => { toast(`There is no run ${JSON.parse(e.data).runId} in this store.`); });
}

function route() {
  // #run=RUN, or #run=RUN&step=N (a deep link to one step of the event stream).
  const m = /^#run=([^&]+)(?:&step=(\d+))?$/.exec(location.hash);
  const runId = m ? decodeURIComponent(m[1]) : undefined;
  state.focusStep = m?.[2] ? Number(m[2]) : undefined;
  if (runId && runId === state.runId && state.view) {
    later(renderEvents);
    return;
  }
  state.runId = runId;
  state.view = undefined;
  state.events = [];
  state.focused = false;
  $('#runs-view').hidden = Boolean(state.runId);
  $('#run-view').hidden = !state.runId;
  document.title = state.runId ? `${state.runId} · st-goods dashboard` : 'st-goods dashboard';
  connect();
}

// ---- runs list ----------------------------------------------------------------------------

function renderRuns() {
  const body = $('#runs tbody');
  body.replaceChildren(
    ...state.runs.map((r) =>
      h('tr', { 'data-run': r.runId },
        h('td', {}, h('a', { href: `#run=${encodeURIComponent(r.runId)}` }, r.runId)),
        h('td', {}, badge(r.status)),
        h('td', {}, `${r.target.quantity} ${r.target.good}`),
        h('td', {}, h('progress', { max: 100, value: r.percent, 'aria-label': `${r.runId} progress` }), ` ${r.percent}%`),
        h('td', {}, h('code', {}, r.planId.slice(0, 12))),
        h('td', {}, r.agentSymbol),
        h('td', {}, when(r.startedAt)),
        h('td', {}, r.lock ? `pid ${r.lock.pid} on ${r.lock.host}, heartbeat ${r.lock.heartbeatAgeSeconds}s ago${r.lock.stale ? ' (stale)' : ''}` : '–'),
      ),
    ),
  );
  $('#no-runs').hidden = state.runs.length > 0;
}

function renderAlerts() {
  const box = $('#alerts');
  box.replaceChildren(
    ...state.alerts.map((a) => h('div', { class: 'alert', 'data-alert': a.runId }, '⚠ No progress: ', h('a', { href: `#run=${encodeURIComponent(a.runId)}` }, a.runId), ` — ${a.message}`)),
  );
}

// ---- one run ------------------------------------------------------------------------------

function renderRun() {
  const v = state.view;
  if (!v) return;
  const r = v.report;
  $('#run-title').textContent = `Run ${r.runId}`;
  const st = $('#run-status');
  st.className = `badge s-${r.status}`;
  st.textContent = r.status.toUpperCase();
  $('#run-meta').textContent = `Plan ${r.planId.slice(0, 16)} · agent ${r.agentSymbol} · started ${when(r.startedAt)}${r.endedAt ? ` · ended ${when(r.endedAt)}` : ''} · attempt ${r.attempts}${r.lock ? ` · lock: pid ${r.lock.pid} on ${r.lock.host}, heartbeat ${ago(Date.parse(r.lock.heartbeatAt))}` : ''} · time scale ${v.timeScale}x · last progress ${ago(v.lastProgressAt)}`;
  const msg = $('#run-message');
  msg.hidden = !r.message;
  msg.textContent = r.message ?? '';
  // Each part on its own: one that fails (and says so in the console) leaves the others drawn.
  const parts = [renderControls.bind(null, r), renderCards, (x) => $('#tree').replaceChildren(treeNode(x.report.tree)), renderWaiting, renderTasks, renderShips, drawGantt, drawFactories, drawMap, drawMoney];
  for (const part of parts) {
    try {
      part(v);
    } catch (e) {
      console.error(`dashboard: ${part.name || 'part'} failed: ${e?.message ?? e}`);
    }
  }
}

function renderControls(r) {
  const stop = $('#btn-stop');
  const unlock = $('#btn-unlock');
  const ro = control.allowed ? undefined : 'Read-only: start the dashboard with --allow-control';
  stop.disabled = !control.allowed || r.status !== 'running';
  stop.title = ro ?? (r.status === 'running' ? 'Ask the apply to stop after the call in flight' : 'The run is not running');
  const run = state.runs.find((x) => x.runId === r.runId);
  const deadLock = run?.lock && (run.lock.stale || r.status === 'interrupted');
  unlock.hidden = !deadLock;
  unlock.disabled = !control.allowed;
  unlock.title = ro ?? 'Remove the lock of an apply whose process is gone';
}

function renderCards(v) {
  const r = v.report, m = v.money;
  $('#progress').replaceChildren(
    h('div', { class: 'big' }, `${r.progress.percent}%`),
    h('progress', { class: 'bar', max: 100, value: r.progress.percent, 'aria-label': 'tasks complete' }),
    h('div', {}, `${r.progress.tasksCompleted}/${r.progress.tasks} tasks · ${r.target.quantity} ${r.target.good}`),
    h('div', { class: 'meta' }, `${fmt(r.progress.unitsAcquired)} units acquired, ${fmt(r.progress.unitsDelivered)} delivered · game time ${span(r.gameSeconds.elapsed)}${r.gameSeconds.eta ? `, ETA ~${span(r.gameSeconds.eta)}` : ''}`),
  );
  const last = m.credits.at(-1)?.credits;
  $('#credits').replaceChildren(
    h('div', { class: 'big' }, `${fmt(m.spent)} / ${fmt(m.budget)}`),
    h('meter', { class: 'bar', min: 0, max: m.budget, value: m.spent, high: m.budget * 0.9, 'aria-label': 'credits spent of the budget' }),
    h('div', {}, `spent of the budget (estimate ${fmt(r.credits.estimate)}; fuel ${fmt(r.credits.fuel)})`),
    h('div', { class: 'meta' }, last === undefined ? `reserve ${fmt(m.reserve)}` : `agent holds ${fmt(last)}, reserve ${fmt(m.reserve)} (${fmt(last - m.reserve)} above it)`),
  );
  const inv = m.inventory;
  $('#pnl').replaceChildren(
    h('div', { class: 'big' }, `${m.realized >= 0 ? '+' : ''}${fmt(m.realized)}`),
    h('div', {}, `realized: ${fmt(m.earned)} earned − ${fmt(m.spent)} spent`),
    h('div', { class: 'meta' }, inv ? `${fmt(inv.units)} ${r.target.good} in hold ≈ ${fmt(inv.value)} at the last seen bid ${fmt(inv.unitPrice)}/u: ${fmt(m.realized + inv.value)} marked to market` : 'target kept in hold: not valued until a market is seen'),
    ...(m.held ? [h('div', { class: 'meta' }, `${fmt(m.held.units)} units held at cost basis ${fmt(m.held.value)}: ${fmt(m.realized + m.held.value)} with holdings`)] : []),
    ...(m.counterfactual ? [h('div', { class: 'meta' }, `buying the target at the best ask seen: ${fmt(m.counterfactual.cost)} (${m.counterfactual.saved >= 0 ? 'saved' : 'lost'} ${fmt(Math.abs(m.counterfactual.saved))})`)] : []),
  );
  $('#api').replaceChildren(
    h('div', { class: 'big' }, `${fmt(r.api.requests)} requests`),
    h('div', {}, `${fmt(r.api.rateLimited)} rate-limited (429) · ${fmt(r.api.errors)} errors`),
    h('div', { class: 'meta' }, `${fmt(r.api.purchases)} purchases, ${fmt(r.api.sales)} sales${r.api.requests ? ` · ${fmt(Math.round(m.spent / r.api.requests))} credits per request` : ''}`),
  );
}

function treeNode(n) {
  return h('li', {},
    h('span', { class: 'node' },
      h('strong', {}, n.good), h('span', {}, `[${n.action}]`), badge(n.state),
      h('span', {}, `${fmt(n.acquired)}/${fmt(n.quantity)} at ${n.waypoint}`),
      n.ships.length ? h('span', { class: 'meta' }, `ship ${n.ships.join(', ')}`) : null,
      n.state === 'FAILED' && n.reason ? h('span', { class: 'meta' }, `— ${n.reason}`) : null,
    ),
    n.inputs.length ? h('ul', {}, n.inputs.map(treeNode)) : null,
  );
}

function renderWaiting(v) {
  const list = $('#waiting');
  if (!v.waiting.length) {
    list.replaceChildren(h('li', { class: 'meta' }, v.report.status === 'running' ? 'Nothing is blocked.' : `The run is ${v.report.status}.`));
    return;
  }
  list.replaceChildren(
    ...v.waiting.map((w) =>
      h('li', { 'data-task': w.taskId },
        h('span', { class: 'why' }, `${w.taskId} (${w.ship}): `), w.reason,
        h('div', { class: 'meta' }, `ends when ${w.endsWhen}${w.until ? `; next check ${clock(w.until)}` : ''}`),
      ),
    ),
  );
}

function renderTasks(v) {
  $('#tasks tbody').replaceChildren(
    ...v.report.tasks.map((t) =>
      h('tr', { 'data-task': t.id },
        h('td', {}, h('code', {}, t.id)),
        h('td', {}, badge(t.status)),
        h('td', {}, t.ship),
        h('td', {}, `${fmt(t.acquired)} / ${fmt(t.delivered)} / ${fmt(t.quantity)}`),
        h('td', {}, fmt(t.spent)),
        h('td', {}, v.etas[t.id] ? clock(v.etas[t.id]) : '–'),
        h('td', {}, t.step ?? t.reason ?? ''),
      ),
    ),
  );
}

/** Where a ship is now: at a waypoint, or between two on a flight (interpolated on the page's clock). */
function shipPoint(s, t) {
  if (s.flight && t < s.flight.arrival) {
    const f = s.flight;
    const k = Math.min(1, Math.max(0, (t - f.departure) / Math.max(1, f.arrival - f.departure)));
    return { x: f.from.x + (f.to.x - f.from.x) * k, y: f.from.y + (f.to.y - f.from.y) * k, flying: true };
  }
  return s.at ? { x: s.at.x, y: s.at.y, flying: false } : undefined;
}

function renderShips(v) {
  const t = now();
  $('#ships tbody').replaceChildren(
    ...v.report.ships.map((s) => {
      const m = v.map.ships.find((x) => x.ship === s.ship);
      const where = m?.flight && t < m.flight.arrival ? `flying ${m.flight.from.symbol} → ${m.flight.to.symbol}, arrives ${clock(m.flight.arrival)}` : m?.at ? `at ${m.at.symbol}` : 'unknown';
      return h('tr', { 'data-ship': s.ship }, h('td', {}, s.ship), h('td', {}, badge(s.state)), h('td', {}, where), h('td', {}, [s.taskId, s.step].filter(Boolean).join(': ')));
    }),
  );
}

// ---- charts (Chart.js) --------------------------------------------------------------------

const COLORS = { flight: '#0969da', dock: '#8c959f', trade: '#1a7f37', wait: '#bf8700', cooldown: '#1b7c83', plan: 'rgba(130, 80, 223, .35)', eta: '#8250df' };
const SUPPLY = ['SCARCE', 'LIMITED', 'MODERATE', 'HIGH', 'ABUNDANT'];
const PALETTE = ['#0969da', '#cf222e', '#1a7f37', '#8250df', '#bf8700', '#1b7c83', '#953800'];

/** A vertical line at the page's now on a linear time axis. */
const nowLine = {
  id: 'nowLine',
  afterDatasetsDraw(chart, _args, opts) {
    if (!opts || !opts.enabled) return;
    const x = chart.scales.x.getPixelForValue(now());
    const { top, bottom } = chart.chartArea;
    if (x < chart.chartArea.left || x > chart.chartArea.right) return;
    const ctx = chart.ctx;
    ctx.save();
    ctx.strokeStyle = '#cf222e';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, bottom);
    ctx.stroke();
    ctx.fillStyle = '#cf222e';
    ctx.font = '12px system-ui';
    ctx.fillText('now', x + 4, top + 12);
    ctx.restore();
  },
};

function chartOn(id, config) {
  if (!window.Chart) return undefined;
  const old = charts[id];
  if (old && old.config.type === config.type) {
    old.data = config.data;
    old.options = config.options;
    old.update('none');
    return old;
  }
  old?.destroy();
  const c = new window.Chart(document.getElementById(id), config);
  charts[id] = c;
  return c;
}

const timeAxis = (min, max) => ({ type: 'linear', min, max, ticks: { callback: (val) => clock(val), maxRotation: 0, autoSkipPadding: 20 }, title: { display: false } });

function drawGantt(v) {
  const rows = v.lanes.flatMap((l) => [l.ship, `${l.ship} plan`]);
  const t = edge(v);
  const byKind = { flight: [], dock: [], trade: [], wait: [], cooldown: [] };
  let max = t;
  const sliver = Math.max(400, (Math.max(t, ...v.lanes.flatMap((l) => l.planned.map((p) => p.end))) - Date.parse(v.report.startedAt)) / 250);
  for (const l of v.lanes) {
    for (const s of l.segments) {
      const end = s.open ? Math.max(s.end, t) : Math.max(s.end, s.start + sliver);
      byKind[s.kind].push({ y: l.ship, x: [s.start, end], label: s.label, taskId: s.taskId });
      max = Math.max(max, end);
    }
  }
  const planned = v.lanes.flatMap((l) => l.planned.map((p) => ({ y: `${l.ship} plan`, x: [p.start, p.end], label: `planned: ${p.taskId}`, taskId: p.taskId })));
  for (const p of planned) max = Math.max(max, p.x[1]);
  const etas = Object.entries(v.etas).map(([taskId, at]) => {
    const lane = v.lanes.find((l) => l.planned.some((p) => p.taskId === taskId)) ?? v.lanes[0];
    const ship = v.report.tasks.find((x) => x.id === taskId)?.ship ?? lane?.ship;
    max = Math.max(max, at);
    return { x: at, y: `${ship} plan`, label: `ETA ${taskId} ${clock(at)}` };
  });
  const min = Date.parse(v.report.startedAt);
  $('#gantt-legend').replaceChildren(
    ...[['flight', 'flight'], ['dock', 'docked'], ['trade', 'trade'], ['wait', 'production wait'], ['cooldown', 'reactor cooldown'], ['plan', 'plan'], ['eta', 'ETA']].map(([k, name]) => h('span', {}, h('i', { style: `background:${COLORS[k]}` }), name)),
    h('span', {}, h('i', { style: 'background:#cf222e' }), 'now'),
  );
  const bar = (kind, name, data) => ({ type: 'bar', label: name, data, backgroundColor: COLORS[kind], borderColor: COLORS[kind], borderSkipped: false, barPercentage: kind === 'trade' ? 0.5 : 0.8, grouped: false });
  document.querySelector('.chart.gantt').style.height = `${Math.max(160, 60 + rows.length * 34)}px`;
  chartOn('gantt', {
    type: 'bar',
    data: {
      labels: rows,
      datasets: [
        bar('plan', 'plan', planned),
        bar('dock', 'docked', byKind.dock),
        bar('flight', 'flight', byKind.flight),
        bar('wait', 'production wait', byKind.wait),
        bar('cooldown', 'reactor cooldown', byKind.cooldown),
        bar('trade', 'trade', byKind.trade),
        { type: 'scatter', label: 'ETA', data: etas, backgroundColor: COLORS.eta, pointStyle: 'triangle', pointRadius: 7 },
      ],
    },
    options: {
      indexAxis: 'y',
      animation: false,
      maintainAspectRatio: false,
      scales: { x: timeAxis(min, max + (max - min) * 0.02), y: { type: 'category', labels: rows } },
      plugins: {
        legend: { display: false },
        nowLine: { enabled: isLive(v) },
        tooltip: { callbacks: { label: (c) => `${c.raw.label}${c.raw.taskId ? ` [${c.raw.taskId}]` : ''}`, title: (items) => (items[0] ? items[0].raw.y : '') } },
      },
    },
    plugins: [nowLine],
  });
}

function drawFactories(v) {
  const box = $('#factories');
  if (!v.factories.length) {
    box.replaceChildren(h('p', { class: 'meta' }, 'This plan makes nothing: it buys where the good is sold.'));
    return;
  }
  const ids = v.factories.map((f, i) => `factory-${i}`);
  if (box.querySelectorAll('canvas').length !== ids.length) {
    box.replaceChildren(
      ...v.factories.map((f, i) =>
        h('section', { 'aria-labelledby': `${ids[i]}-t` },
          h('h4', { id: `${ids[i]}-t` }, `${f.output} at ${f.waypoint}, fed ${f.inputs.join(', ') || 'nothing'}`),
          h('div', { class: 'chart factory' }, h('canvas', { id: ids[i], role: 'img', 'aria-label': `Supply, activity and price of ${[f.output, ...f.inputs].join(', ')} at ${f.waypoint} over the run, with our trades` })),
          h('p', { class: 'meta', id: `${ids[i]}-now` }),
        ),
      ),
    );
  }
  const end = edge(v);
  v.factories.forEach((f, i) => {
    const goods = [f.output, ...f.inputs];
    const datasets = [];
    // A level holds until the next observation: each line goes on to the end of the run (or now).
    const held = (pts) => (pts.length ? [...pts, { ...pts.at(-1), t: Math.max(end, pts.at(-1).t), held: true }] : pts);
    goods.forEach((g, k) => {
      const color = PALETTE[k % PALETTE.length];
      const pts = held(f.series[g] ?? []);
      datasets.push({ type: 'line', label: `${g} price${g === f.output ? ' (we pay)' : ' (we get)'}`, data: pts.map((p) => ({ x: p.t, y: p.price, supply: p.supply, activity: p.activity })), borderColor: color, backgroundColor: color, yAxisID: 'price', pointRadius: pts.map((p) => (p.held ? 0 : 3)), stepped: true });
      datasets.push({ type: 'line', label: `${g} supply`, data: pts.map((p) => ({ x: p.t, y: SUPPLY.indexOf(p.supply) + 1, supply: p.supply, activity: p.activity })), borderColor: color, backgroundColor: color, borderDash: [6, 4], stepped: true, yAxisID: 'supply', pointRadius: 0 });
    });
    datasets.push({ type: 'scatter', label: 'our buys', data: f.trades.filter((t) => t.kind === 'buy').map((t) => ({ x: t.t, y: t.price, trade: t })), pointStyle: 'rectRot', pointRadius: 7, backgroundColor: '#1b1f24', yAxisID: 'price' });
    datasets.push({ type: 'scatter', label: 'our sales', data: f.trades.filter((t) => t.kind === 'sell').map((t) => ({ x: t.t, y: t.price, trade: t })), pointStyle: 'triangle', pointRadius: 7, backgroundColor: '#953800', yAxisID: 'price' });
    const latest = goods.map((g) => {
      const p = (f.series[g] ?? []).at(-1);
      return p ? `${g}: supply ${p.supply}${p.activity ? `, activity ${p.activity}` : ''}, ${fmt(p.price)}/u` : `${g}: not seen yet`;
    });
    const trades = f.trades.length ? ` · our trades here: ${f.trades.length} (${fmt(f.trades.reduce((a, t) => a + t.units, 0))} units)` : '';
    $(`#${ids[i]}-now`).textContent = `Last seen: ${latest.join('; ')}${trades}`;
    const min = Date.parse(v.report.startedAt);
    chartOn(ids[i], {
      type: 'line',
      data: { datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        parsing: true,
        scales: {
          x: timeAxis(min, Math.max(end, ...datasets.flatMap((d) => d.data.map((p) => p.x)))),
          price: { type: 'linear', axis: 'y', position: 'left', title: { display: true, text: 'credits per unit' } },
          supply: { type: 'linear', axis: 'y', position: 'right', min: 0.5, max: 5.5, afterBuildTicks: (axis) => { axis.ticks = [1, 2, 3, 4, 5].map((value) => ({ value })); }, ticks: { callback: (val) => SUPPLY[val - 1] ?? '' }, grid: { drawOnChartArea: false }, title: { display: true, text: 'supply (dashed)' } },
        },
        plugins: {
          nowLine: { enabled: isLive(v) },
          tooltip: {
            callbacks: {
              label: (c) => {
                const p = c.raw;
                if (p.trade) return `${p.trade.ship} ${p.trade.kind === 'buy' ? 'bought' : 'sold'} ${p.trade.units} ${p.trade.good} at ${p.trade.price}/u`;
                if (c.dataset.yAxisID === 'supply') return `${c.dataset.label}: ${p.supply}${p.activity ? `, activity ${p.activity}` : ''}`;
                return `${c.dataset.label}: ${p.y} (supply ${p.supply}${p.activity ? `, activity ${p.activity}` : ''})`;
              },
              title: (items) => (items[0] ? clock(items[0].raw.x) : ''),
            },
          },
        },
      },
      plugins: [nowLine],
    });
  });
}

/** One system's panel: its markets, gate, the ships in it and the flights in it. */
function mapData(v, sys, t) {
  const used = sys.markets.filter((m) => m.roles.length);
  const other = sys.markets.filter((m) => !m.roles.length);
  const flown = [];
  for (const r of sys.routes) flown.push({ x: r.from.x, y: r.from.y }, { x: r.to.x, y: r.to.y }, { x: NaN, y: NaN });
  const ships = v.map.ships.filter((s) => s.system === sys.system).map((s) => ({ s, p: shipPoint(s, t) })).filter((x) => x.p);
  const flying = [];
  for (const { s } of ships) if (s.flight && t < s.flight.arrival) flying.push({ x: s.flight.from.x, y: s.flight.from.y }, { x: s.flight.to.x, y: s.flight.to.y }, { x: NaN, y: NaN });
  const g = sys.gate;
  const links = v.map.jumps.filter((j) => j.fromSystem === sys.system || j.toSystem === sys.system).map((j) => (j.fromSystem === sys.system ? `to ${j.toSystem}` : `from ${j.fromSystem}`));
  // `order`: lower is drawn on top (ships over markets over routes).
  return [
    { label: 'other markets', data: other.map((m) => ({ x: m.x, y: m.y, label: m.symbol })), backgroundColor: '#afb8c1', pointRadius: 3, order: 6 },
    { label: 'routes flown', data: flown, showLine: true, spanGaps: false, borderColor: 'rgba(87, 96, 106, .45)', pointRadius: 0, borderWidth: 1.5, order: 5 },
    { label: 'flights under way', data: flying, showLine: true, spanGaps: false, borderColor: '#0969da', borderDash: [6, 4], pointRadius: 0, borderWidth: 2, order: 4 },
    { label: 'jump gate', data: g ? [{ x: g.x, y: g.y, label: `${g.symbol}: jump gate${g.built ? '' : ' (not built)'}${links.length ? `; jumps ${[...new Set(links)].join(', ')}` : ''}`, tag: `${g.symbol.split('-').at(-1)} gate` }] : [], backgroundColor: g?.built === false ? '#ffffff' : '#8250df', borderColor: '#8250df', borderWidth: 2, pointRadius: 9, pointStyle: 'star', order: 3 },
    { label: 'markets the plan uses', data: used.map((m) => ({ x: m.x, y: m.y, label: `${m.symbol}: ${m.roles.join('; ')}`, tag: m.symbol.split('-').at(-1) })), backgroundColor: 'rgba(191, 135, 0, .6)', borderColor: '#7d4e00', pointRadius: 9, pointStyle: 'rectRounded', order: 2 },
    { label: 'ships', data: ships.map(({ s, p }) => ({ x: p.x, y: p.y, label: `${s.ship}${p.flying ? ` → ${s.flight.to.symbol}` : s.at ? ` at ${s.at.symbol}` : ''}`, tag: s.ship.split('-').at(-1) })), backgroundColor: '#cf222e', borderColor: '#82071e', pointRadius: 8, pointStyle: 'triangle', order: 1 },
  ];
}

/** The sector: each system the run involves at its sector coordinates, the jumps between them (planned dashed, made solid). */
function sectorData(v) {
  const at = new Map(v.map.systems.filter((s) => s.sector).map((s) => [s.system, s.sector]));
  const line = (js) => js.flatMap((j) => (at.has(j.fromSystem) && at.has(j.toSystem) ? [{ ...at.get(j.fromSystem) }, { ...at.get(j.toSystem) }, { x: NaN, y: NaN }] : []));
  const shipsIn = (sys) => v.map.ships.filter((s) => s.system === sys).map((s) => s.ship);
  return [
    { label: 'jumps planned', data: line(v.map.jumps.filter((j) => j.planned && !j.made)), showLine: true, spanGaps: false, borderColor: '#8250df', borderDash: [6, 4], pointRadius: 0, borderWidth: 1.5, order: 3 },
    { label: 'jumps made', data: line(v.map.jumps.filter((j) => j.made)), showLine: true, spanGaps: false, borderColor: '#0969da', pointRadius: 0, borderWidth: 2.5, order: 2 },
    {
      label: 'systems',
      data: v.map.systems.filter((s) => s.sector).map((s) => {
        const here = shipsIn(s.system);
        return { ...s.sector, label: `${s.system}${s.home ? ' (home)' : ''}: ${s.markets.filter((m) => m.roles.length).length} market(s) the plan uses${here.length ? `; ships ${here.join(', ')}` : ''}`, tag: `${s.system}${here.length ? ` (${here.length} ship${here.length > 1 ? 's' : ''})` : ''}` };
      }),
      backgroundColor: v.map.systems.filter((s) => s.sector).map((s) => (s.home ? '#1a7f37' : '#0969da')),
      pointRadius: 8,
      order: 1,
    },
  ];
}

/** Writes each point's short tag (waypoint or ship number) beside it. */
const pointTags = {
  id: 'pointTags',
  afterDatasetsDraw(chart) {
    const ctx = chart.ctx;
    ctx.save();
    ctx.font = '11px system-ui';
    ctx.fillStyle = '#1b1f24';
    chart.data.datasets.forEach((d, i) => {
      if (!chart.isDatasetVisible(i)) return;
      chart.getDatasetMeta(i).data.forEach((el, k) => {
        const tag = d.data[k]?.tag;
        if (tag) ctx.fillText(tag, el.x + 9, el.y - 6);
      });
    });
    ctx.restore();
  },
};

/** A square window on what matters in a panel (what the plan uses, the ships, the flights); far markets fall off the edge. */
function zoom(pts, fallback, pad = 0.65) {
  const all = pts.length ? pts : fallback.length ? fallback : [{ x: 0, y: 0 }];
  const xs = all.map((p) => p.x), ys = all.map((p) => p.y);
  const cx = (Math.min(...xs) + Math.max(...xs)) / 2, cy = (Math.min(...ys) + Math.max(...ys)) / 2;
  const half = Math.max(10, Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)) * pad;
  return { x: { type: 'linear', min: Math.round(cx - half), max: Math.round(cx + half) }, y: { type: 'linear', min: Math.round(cy - half), max: Math.round(cy + half) } };
}

const mapId = (i) => (i === 0 ? 'map' : `map-${i}`);
const tooltip = { callbacks: { label: (c) => c.raw.label ?? `${c.dataset.label} (${Math.round(c.raw.x)}, ${Math.round(c.raw.y)})` } };

/** The sector panel (when the run involves more than one system), then one panel per system, home first. */
function drawMap(v) {
  const systems = v.map.systems;
  const multi = systems.length > 1;
  const box = $('#maps');
  const shape = `${multi}|${systems.map((s) => s.system).join(',')}`;
  if (box.dataset.shape !== shape) {
    for (const id of Object.keys(charts)) {
      if (id !== 'map' && !id.startsWith('map-')) continue;
      charts[id].destroy();
      delete charts[id];
    }
    box.dataset.shape = shape;
    box.replaceChildren(
      ...(multi
        ? [h('section', { class: 'map-panel', 'aria-labelledby': 'map-sector-t' },
            h('h4', { id: 'map-sector-t' }, `Sector: ${systems.length} systems, ${v.map.jumps.length} jump link(s)`),
            h('div', { class: 'chart sector' }, h('canvas', { id: 'map-sector', role: 'img', 'aria-label': `The systems the run involves (${systems.map((s) => s.system).join(', ')}) and the jumps between them, planned and made` })),
            h('p', { class: 'meta', id: 'map-jumps' }))]
        : []),
      ...systems.map((s, i) =>
        h('section', { class: 'map-panel', 'data-system': s.system, 'aria-labelledby': `${mapId(i)}-t` },
          h('h4', { id: `${mapId(i)}-t` }, `${s.system}${s.home ? ' (home)' : ''}`),
          h('div', { class: 'chart map' }, h('canvas', { id: mapId(i), role: 'img', 'aria-label': `Map of ${s.system}: markets the plan uses, its jump gate, the ships there and their routes` })),
          h('p', { class: 'meta', id: `${mapId(i)}-now` }))),
    );
  }
  const t = now();
  systems.forEach((s, i) => {
    const here = v.map.ships.filter((x) => x.system === s.system);
    const pts = s.markets.filter((m) => m.roles.length).concat(here.flatMap((x) => (x.at ? [x.at] : [])), s.routes.flatMap((r) => [r.from, r.to]), s.gate && multi ? [s.gate] : []);
    $(`#${mapId(i)}-now`).textContent = `${s.markets.filter((m) => m.roles.length).length} market(s) the plan uses; ships here: ${here.map((x) => x.ship).join(', ') || 'none'}${s.gate ? `; gate ${s.gate.symbol}${s.gate.built ? '' : ' (not built)'}` : ''}`;
    chartOn(mapId(i), {
      type: 'scatter',
      data: { datasets: mapData(v, s, t) },
      options: { animation: false, maintainAspectRatio: false, scales: zoom(pts, s.markets), plugins: { tooltip } },
      plugins: [pointTags],
    });
  });
  if (!multi) return;
  $('#map-jumps').textContent = v.map.jumps.length
    ? `Jumps: ${v.map.jumps.map((j) => `${j.from} → ${j.to} (${[j.planned ? 'planned' : '', j.made ? `made ${j.made}×` : ''].filter(Boolean).join(', ')})`).join('; ')}`
    : 'No jumps planned or made yet.';
  const placed = systems.filter((s) => s.sector).map((s) => s.sector);
  chartOn('map-sector', {
    type: 'scatter',
    data: { datasets: sectorData(v) },
    options: { animation: false, maintainAspectRatio: false, scales: zoom(placed, [], 0.8), plugins: { tooltip } },
    plugins: [pointTags],
  });
}

/** The local tick: moves the ships in flight on each system's panel. */
function moveShips(v) {
  v.map.systems.forEach((s, i) => {
    const c = charts[mapId(i)];
    if (!c) return;
    c.data.datasets = mapData(v, s, now());
    c.update('none');
  });
}

function drawMoney(v) {
  const m = v.money;
  const pts = m.credits.map((c) => ({ x: c.t, y: c.credits }));
  const start = Date.parse(v.report.startedAt);
  const end = Math.max(edge(v), ...pts.map((p) => p.x));
  const low = Math.min(...pts.map((p) => p.y)), high = Math.max(...pts.map((p) => p.y));
  const reserveShown = pts.length && m.reserve >= low - (high - low) * 2;
  const datasets = [
    { label: 'agent credits', data: pts, borderColor: '#0969da', backgroundColor: '#0969da', pointRadius: 2, stepped: true },
    { label: reserveShown ? 'reserve' : `reserve ${fmt(m.reserve)} (below the scale)`, data: reserveShown ? [{ x: start, y: m.reserve }, { x: end, y: m.reserve }] : [], borderColor: '#cf222e', backgroundColor: '#cf222e', borderDash: [6, 4], pointRadius: 0 },
  ];
  chartOn('money', { type: 'line', data: { datasets }, options: { animation: false, maintainAspectRatio: false, scales: { x: timeAxis(start, end) }, plugins: { nowLine: { enabled: isLive(v) } } }, plugins: [nowLine] });
}

// ---- events -------------------------------------------------------------------------------

function fillSelect(sel, values) {
  const cur = sel.value;
  const have = [...sel.options].map((o) => o.value);
  for (const v of values) if (!have.includes(v)) sel.append(h('option', { value: v }, v));
  sel.value = cur;
}

function renderEvents() {
  const ev = state.events;
  fillSelect($('#f-ship'), [...new Set(ev.map((e) => e.ship))].sort());
  fillSelect($('#f-task'), [...new Set(ev.map((e) => e.taskId).filter(Boolean))].sort());
  fillSelect($('#f-kind'), [...new Set(ev.map((e) => e.kind))].sort());
  const ship = $('#f-ship').value, task = $('#f-task').value, kind = $('#f-kind').value;
  const focus = state.focusStep;
  const shown = ev.filter((e) => e.seq === focus || ((!ship || e.ship === ship) && (!task || e.taskId === task) && (!kind || e.kind === kind)));
  const last = shown.slice(-400).reverse();
  $('#f-count').textContent = `${shown.length} of ${ev.length} events${shown.length > last.length ? ` (newest ${last.length} shown)` : ''}`;
  $('#events tbody').replaceChildren(
    ...last.map((e) => h('tr', { id: `step-${e.seq}`, 'data-kind': e.kind, class: e.seq === focus ? 'focus' : undefined }, h('td', {}, h('a', { href: `#run=${encodeURIComponent(state.runId)}&step=${e.seq}`, title: 'link to this step' }, e.seq)), h('td', {}, clock(e.t)), h('td', {}, e.ship), h('td', {}, e.taskId ?? ''), h('td', {}, e.kind), h('td', {}, e.text))),
  );
  if (focus !== undefined && !state.focused) {
    const row = document.getElementById(`step-${focus}`);
    if (row) {
      row.scrollIntoView({ block: 'center' });
      state.focused = true;
    }
  }
}

// ---- controls -----------------------------------------------------------------------------

function confirmDialog(text, okLabel) {
  const dlg = $('#confirm');
  $('#confirm-text').textContent = text;
  $('#confirm-ok').textContent = okLabel;
  return new Promise((resolve) => {
    dlg.addEventListener('close', () => resolve(dlg.returnValue === 'ok'), { once: true });
    dlg.returnValue = '';
    dlg.showModal();
    $('#confirm-cancel').focus();
  });
}

function toast(text) {
  const el = h('div', { class: 'msg' }, text);
  $('#toast').append(el);
  setTimeout(() => el.remove(), 8000);
}

async function post(url) {
  const res = await fetch(url, { method: 'POST', headers: { 'x-st-goods-control': control.token } });
  const body = await res.json().catch(() => ({ message: res.statusText }));
  toast(body.message);
  return res.ok;
}

$('#btn-stop').addEventListener('click', async () => {
  const r = state.view?.report;
  if (!r) return;
  if (await confirmDialog(`Stop run ${r.runId}? The apply finishes and journals the call in flight, releases the lock and exits 130; re-run the same apply to resume.`, 'Stop the run')) {
    await post(`/api/runs/${encodeURIComponent(r.runId)}/stop`);
  }
});

$('#btn-unlock').addEventListener('click', async () => {
  const r = state.view?.report;
  if (!r) return;
  if (await confirmDialog(`Remove the apply lock of agent ${r.agentSymbol}? Only a dead holder's lock is removed; a live apply keeps it.`, 'Remove the lock')) {
    await post(`/api/locks/${encodeURIComponent(r.agentSymbol)}/unlock`);
  }
});

for (const id of ['#f-ship', '#f-task', '#f-kind']) $(id).addEventListener('change', renderEvents);

// ---- start --------------------------------------------------------------------------------

$('#mode').textContent = control.allowed ? 'controls on' : 'read-only';
window.addEventListener('hashchange', route);
window.addEventListener('load', () => {
  route();
  // The local tick: moves the now line and the ships in flight; no network.
  setInterval(() => {
    const v = state.view;
    if (!v || v.report.status !== 'running') return;
    charts.gantt?.draw();
    moveShips(v);
    renderShips(v);
  }, 1000);
});
