// Spotlight's read-only web view: lists from /ui/api/*, pictures from /ui/img/* (rendered by the app).
'use strict';

const state = { selected: null };

async function getJson(url) {
  const r = await fetch(url);
  if (!r.ok) { return null; }
  return r.json();
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') { e.className = v; } else if (k.startsWith('on')) { e.addEventListener(k.slice(2), v); } else { e.setAttribute(k, v); }
  }
  for (const c of children) { e.append(c instanceof Node ? c : document.createTextNode(String(c))); }
  return e;
}

function fmt(v, digits = 3) { return v === undefined || v === null ? '' : Number(v).toFixed(digits); }
function time(iso) { return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : ''; }

document.querySelectorAll('nav button').forEach(b => b.addEventListener('click', () => {
  document.querySelectorAll('nav button').forEach(x => x.classList.toggle('active', x === b));
  document.querySelectorAll('.tab').forEach(t => t.classList.toggle('active', t.id === b.dataset.tab));
}));

async function refreshSummary() {
  const s = await getJson('/ui/api/summary');
  if (s) {
    const c = s.counts;
    document.getElementById('counts').textContent =
      `${c.explanations} explanations · ${c.alerts} alert events · ${c.misclassifications} misclassifications · ${s.models.length} model versions`;
  }
}

async function refreshExplanations() {
  const list = await getJson('/ui/api/explanations');
  if (!list) { return; }
  const body = document.querySelector('#explanation-table tbody');
  body.replaceChildren(...list.map(e => {
    const focus = e.kind === 'text' ? `watch ${fmt(e.watch, 2)}` : `forbidden ${fmt(e.forbidden, 2)}`;
    const row = el('tr', { 'data-id': e.id, onclick: () => showExplanation(e.id, row) },
      el('td', {}, time(e.timestamp).slice(11)), el('td', {}, e.model), el('td', {}, `${e.predicted} ${e.probability !== undefined ? fmt(e.probability, 2) : ''}`),
      el('td', {}, e.reason), el('td', {}, e.methods.join(', ')), el('td', {}, `${e.focus_method || ''} ${focus}`),
      el('td', { class: 'faithfulness' }, faithfulness(e)));
    if (e.id === state.selected) { row.classList.add('selected'); }
    return row;
  }));
  if (!state.selected && list.length > 0) {
    showExplanation(list[0].id, body.firstChild);
  }
}

// Gains over a random order (deletion / insertion; positive: the map ranks first what the model uses), and the attention-gradient agreement.
function faithfulness(e) {
  const gains = e.faithfulness.map(f => `${f.method} ${signed(f.deletion_gain)} / ${signed(f.insertion_gain)}`);
  const agree = (e.agreement || []).map(a => `ρ ${a.spearman === undefined || a.spearman === null ? '–' : fmt(a.spearman, 2)}`);
  return gains.concat(agree).join(' · ');
}

function signed(v) {
  return (v >= 0 ? '+' : '') + fmt(v, 2);
}

function curve(c) {
  return c ? `${fmt(c.auc, 3)} (${fmt(c.random_auc, 3)})` : '';
}

async function showExplanation(id, row) {
  state.selected = id;
  document.querySelectorAll('#explanation-table tr').forEach(r => r.classList.toggle('selected', r === row));
  const e = await getJson('/ui/api/explanation?id=' + encodeURIComponent(id));
  const detail = document.getElementById('detail');
  if (!e) { detail.replaceChildren(el('p', { class: 'muted' }, 'This explanation is no longer held.')); return; }
  const facts = el('dl', {},
    el('dt', {}, 'prediction'), el('dd', {}, e.prediction_id),
    el('dt', {}, 'model'), el('dd', {}, `${e.model.id}:${e.model.version}`),
    el('dt', {}, 'predicted'), el('dd', {}, `${e.predicted.label} (${fmt(e.predicted.probability, 3)})`),
    el('dt', {}, 'sampled for'), el('dd', {}, e.sampling.reasons.join(', ')),
    el('dt', {}, 'digest'), el('dd', {}, e.digest));
  const methods = el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'method'), el('th', {}, 'parameters'), el('th', {}, 'summary'), el('th', {}, 'ms'),
      el('th', {}, 'deletion AUC (random)'), el('th', {}, 'insertion AUC (random)'))),
    el('tbody', {}, ...e.explanations.map(m => el('tr', {},
      el('td', {}, m.method),
      el('td', {}, Object.entries(m.parameters).map(([k, v]) => `${k}=${v}`).join(' ')),
      el('td', {}, Object.entries(m.summary).map(([k, v]) => `${k} ${fmt(v)}`).join(' · ')),
      el('td', {}, fmt(m.elapsed_ms, 1)),
      el('td', {}, curve(m.faithfulness && m.faithfulness.deletion)),
      el('td', {}, curve(m.faithfulness && m.faithfulness.insertion))))));
  const img = el('img', { src: '/ui/img/explanation.png?id=' + encodeURIComponent(id), alt: 'explanation of ' + e.prediction_id, class: 'figure' });
  const curves = e.explanations.filter(m => m.faithfulness).map(m => el('img', {
    src: `/ui/img/faithfulness.png?id=${encodeURIComponent(id)}&method=${encodeURIComponent(m.method)}`,
    alt: `deletion and insertion curves of ${m.method}`, class: 'curve' }));
  const parts = [el('h3', {}, `Explanation ${e.id}`), facts, img, methods];
  if (curves.length > 0) {
    parts.push(el('div', { class: 'curves' }, ...curves));
  }
  (e.agreement || []).forEach(a => parts.push(el('p', { class: 'muted' },
    `${a.attention} and ${a.gradient} over ${a.units} units: Spearman ${a.spearman === undefined || a.spearman === null ? 'undefined' : fmt(a.spearman, 3)}, top-${a.k} overlap ${fmt(a.top_k_overlap, 2)}`)));
  if (e.focus && e.focus.kind === 'text') {
    parts.push(el('button', { id: 'show-heads', onclick: () => showHeads(id) }, 'Attention heads'));
    parts.push(el('div', { id: 'heads', class: 'heads' }));
  }
  detail.replaceChildren(...parts);
}

// The head view: tokens on both sides, a line from query to key for every attention weight.
async function showHeads(id) {
  const a = await getJson('/ui/api/attention?id=' + encodeURIComponent(id));
  const box = document.getElementById('heads');
  if (!a) { box.replaceChildren(el('p', { class: 'muted' }, 'The input of this prediction is no longer held.')); return; }
  const layer = el('select', { id: 'head-layer' }, ...Array.from({ length: a.layers }, (_, i) => el('option', { value: i }, `layer ${i}`)));
  const head = el('select', { id: 'head-head' }, el('option', { value: -1 }, 'mean of heads'),
    ...Array.from({ length: a.heads }, (_, i) => el('option', { value: i }, `head ${i}`)));
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  const n = a.size, rowH = 18, width = 420;
  svg.setAttribute('width', width); svg.setAttribute('height', n * rowH + 10); svg.setAttribute('id', 'head-view');
  const draw = (focus) => {
    const l = Number(layer.value), h = Number(head.value);
    const at = (q, k) => {
      if (h >= 0) { return a.attention[((l * a.heads + h) * n + q) * n + k]; }
      let s = 0; for (let j = 0; j < a.heads; j++) { s += a.attention[((l * a.heads + j) * n + q) * n + k]; }
      return s / a.heads;
    };
    svg.replaceChildren();
    for (let q = 0; q < n; q++) {
      for (let k = 0; k < n; k++) {
        const w = at(q, k);
        if (w < 0.02 || (focus !== undefined && focus !== q)) { continue; }
        const line = document.createElementNS(svg.namespaceURI, 'line');
        line.setAttribute('x1', 130); line.setAttribute('y1', q * rowH + 12);
        line.setAttribute('x2', width - 130); line.setAttribute('y2', k * rowH + 12);
        line.setAttribute('stroke', '#2563eb'); line.setAttribute('stroke-opacity', Math.min(1, w * 1.5)); line.setAttribute('stroke-width', 1 + 3 * w);
        svg.append(line);
      }
    }
    a.tokens.forEach((t, i) => {
      for (const [x, anchor] of [[125, 'end'], [width - 125, 'start']]) {
        const text = document.createElementNS(svg.namespaceURI, 'text');
        text.setAttribute('x', x); text.setAttribute('y', i * rowH + 16); text.setAttribute('text-anchor', anchor);
        text.textContent = t;
        if (anchor === 'end') { text.addEventListener('mouseenter', () => draw(i)); text.addEventListener('mouseleave', () => draw()); text.setAttribute('class', 'query'); }
        svg.append(text);
      }
    });
  };
  layer.addEventListener('change', () => draw()); head.addEventListener('change', () => draw());
  layer.value = a.layers - 1;
  box.replaceChildren(el('div', {}, 'Queries (left) attend to keys (right); hover a query token to isolate it. ', layer, head), svg);
  draw();
}

async function refreshAlerts() {
  const list = await getJson('/ui/api/alerts');
  if (!list) { return; }
  document.querySelector('#alert-table tbody').replaceChildren(...list.map(a => el('tr', {},
    el('td', {}, time(a.window_end)), el('td', { class: a.state }, a.state), el('td', { class: a.severity }, a.severity),
    el('td', {}, `${a.model.id}:${a.model.version}`), el('td', {}, a.rule),
    el('td', {}, `${fmt(a.value)} / ${fmt(a.threshold)}`), el('td', { class: 'faithfulness' }, windowFaithfulness(a.evidence)),
    el('td', {}, (a.example_prediction_ids || []).join(', ')))));
}

// Beside a focus alert: whether the window's explanations can be trusted (their scored maps' gains over a random order).
function windowFaithfulness(figures) {
  const f = figures && figures.faithfulness;
  if (!f) { return 'not scored'; }
  const verdict = f.deletion_gain > 0 && f.insertion_gain > 0 ? 'beat a random order' : 'no better than a random order';
  return `${f.scored} scored: deletion ${signed(f.deletion_gain)}, insertion ${signed(f.insertion_gain)} (${verdict})`;
}

async function refreshMisclassifications() {
  const list = await getJson('/ui/api/misclassifications');
  if (!list) { return; }
  const box = document.getElementById('misclassification-list');
  const shown = new Set([...box.children].map(c => c.dataset.id));
  for (const m of list.slice(0, 12).reverse()) {
    if (shown.has(m.id)) { continue; }
    box.prepend(el('div', { class: 'card', 'data-id': m.id },
      el('h3', {}, `${m.model}: predicted ${m.predicted}, true ${m.true}`),
      el('p', {}, `true class rank ${m.true_rank}, probability ${fmt(m.true_probability, 4)} — `, el('b', {}, m.diagnosis)),
      el('p', { class: 'muted' }, m.text),
      el('img', { src: '/ui/img/misclassification.png?id=' + encodeURIComponent(m.id), alt: 'analysis of ' + m.prediction_id })));
  }
  while (box.children.length > 12) { box.lastChild.remove(); }
}

async function refreshModels() {
  const list = await getJson('/ui/api/drift');
  if (!list) { return; }
  const box = document.getElementById('model-list');
  box.replaceChildren(...list.filter(d => d.class === 'all').map(d => {
    const f = d.figures;
    return el('div', { class: 'card' },
      el('h3', {}, `${d.model}:${d.version}`),
      el('p', { class: 'muted' }, `window to ${time(d.window_end)}, ${d.count} explanations, reference ${d.reference}`),
      f ? el('p', {}, `JS divergence ${fmt(f.js_divergence)} · forbidden mass ${fmt(f.forbidden_mass)} · entropy ${fmt(f.entropy)} · centre shift ${fmt(f.centre_shift)}`) : el('p', {}, 'learning the reference'),
      el('img', { src: `/ui/focus-map.png?model=${encodeURIComponent(d.model)}&version=${encodeURIComponent(d.version)}&class=all`, alt: 'mean focus map' }));
  }));
}

async function refresh() {
  await Promise.all([refreshSummary(), refreshExplanations(), refreshAlerts(), refreshMisclassifications(), refreshModels()]);
}

refresh();
setInterval(refresh, 5000);
