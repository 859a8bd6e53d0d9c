// Small SVG charts, one per credit type, each with a labelled value axis in that type's units, values shown on hover
// or keyboard focus (and announced), and the same numbers as a table for screen readers and copying.
import { money, isCurrency } from '/api.js';

const esc = (value) => String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const kind = (creditType) => (isCurrency(creditType) ? 'monetary' : 'units');
// Axis values keep the credit type's decimals: two for most currencies, none for JPY or whole units.
const decimalsOf = (values) => Math.max(0, ...values.map((v) => (String(v).split('.')[1] ?? '').length));
const format = (value, creditType, decimals) => money(Number(value).toFixed(decimals), creditType, kind(creditType));
const W = 640, H = 220, LEFT = 96, RIGHT = 12, TOP = 12, BOTTOM = 36;
const PLOT_W = W - LEFT - RIGHT, PLOT_H = H - TOP - BOTTOM;

// The smallest round number (1, 2, 2.5 or 5 times a power of ten) at or above max.
function roundUp(max) {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((v) => v >= max);
}

function valueAxis(max, creditType, decimals) {
  return [0, 1, 2, 3, 4].map((i) => {
    const value = (max * i) / 4;
    const y = TOP + PLOT_H - (PLOT_H * i) / 4;
    return `<line class="grid" x1="${LEFT}" x2="${W - RIGHT}" y1="${y}" y2="${y}"></line>
      <text class="axis" x="${LEFT - 6}" y="${y + 4}" text-anchor="end">${esc(format(value, creditType, decimals))}</text>`;
  }).join('');
}

// At most about eight labels along the bottom, always the first and the last.
function labelled(count) {
  const step = Math.max(1, Math.ceil(count / 8));
  return (i) => i % step === 0 || i === count - 1;
}

function figure(id, caption, svg, legend, table) {
  return `<figure class="chart-figure" id="${esc(id)}">
    <figcaption>${caption}</figcaption>
    ${svg}
    ${legend}
    <p class="chart-value muted" aria-live="polite">Hover over or focus a bar or point for its value.</p>
    <details><summary>Show as a table</summary>${table}</details>
  </figure>`;
}

const SERIES = [['granted', 'Granted', '#116329'], ['applied', 'Applied', '#0b5fff'], ['expired', 'Expired', '#b42318']];

/** Granted, applied and expired per UTC day, one chart per credit type (rows of the report grouped by day). */
export function dailyCharts(rows) {
  if (!rows.length) return '<p class="muted">No credit activity in this range.</p>';
  return [...new Set(rows.map((r) => r.creditType))].sort().map((type) => {
    const series = rows.filter((r) => r.creditType === type).sort((a, b) => a.day.localeCompare(b.day));
    const values = series.flatMap((r) => SERIES.map(([field]) => r[field]));
    const decimals = decimalsOf(values);
    const max = roundUp(Math.max(...values.map(Number)));
    const band = PLOT_W / series.length;
    const bar = Math.min(28, band / (SERIES.length + 1));
    const showLabel = labelled(series.length);
    const bars = series.map((r, i) => SERIES.map(([field, name, color], k) => {
      const h = (Number(r[field]) / max) * PLOT_H;
      const x = LEFT + i * band + (band - bar * SERIES.length) / 2 + k * bar;
      const label = `${name} on ${r.day}: ${format(r[field], type, decimals)}`;
      return `<rect tabindex="0" data-value="${esc(label)}" aria-label="${esc(label)}" x="${x.toFixed(1)}" y="${(TOP + PLOT_H - h).toFixed(1)}" width="${(bar - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${color}"><title>${esc(label)}</title></rect>`;
    }).join('') + (showLabel(i) ? `<text class="axis" x="${(LEFT + i * band + band / 2).toFixed(1)}" y="${H - BOTTOM + 16}" text-anchor="middle">${esc(r.day.slice(5))}</text>` : '')).join('');
    const svg = `<svg class="chart" viewBox="0 0 ${W} ${H}" role="group" aria-label="${esc(type)}: granted, applied and expired per day">${valueAxis(max, type, decimals)}${bars}
      <text class="axis" x="${LEFT + PLOT_W / 2}" y="${H - 4}" text-anchor="middle">UTC day (month-day)</text></svg>`;
    const legend = `<p class="legend">${SERIES.map(([, name, color]) => `<span><span class="swatch" style="background:${color}"></span>${name}</span>`).join('')}</p>`;
    const table = `<table><thead><tr><th>Day</th>${SERIES.map(([, name]) => `<th class="num">${name}</th>`).join('')}</tr></thead>
      <tbody>${series.map((r) => `<tr><td>${esc(r.day)}</td>${SERIES.map(([field]) => `<td class="num">${esc(format(r[field], type, decimals))}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
    return figure(`daily-${type}`, `${esc(type)} per day, in ${isCurrency(type) ? esc(type) : esc(`units (${type})`)}`, svg, legend, table);
  }).join('');
}

/** The available balance after each ledger entry, over time, one chart per credit type (entries of the history). */
export function balanceCharts(entries) {
  const withBalance = entries.filter((e) => e.availableAfter != null);
  if (!withBalance.length) return '<p class="muted">No activity yet.</p>';
  return [...new Set(withBalance.map((e) => e.creditType))].sort().map((type) => {
    const points = withBalance.filter((e) => e.creditType === type).sort((a, b) => a.version - b.version);
    const decimals = decimalsOf(points.map((p) => p.availableAfter));
    const max = roundUp(Math.max(...points.map((p) => Number(p.availableAfter))));
    const times = points.map((p) => Date.parse(p.occurredAt));
    const first = times[0], span = Math.max(times.at(-1) - first, 1);
    const x = (i) => (points.length === 1 ? LEFT + PLOT_W / 2 : LEFT + ((times[i] - first) / span) * PLOT_W);
    const y = (p) => TOP + PLOT_H - (Number(p.availableAfter) / max) * PLOT_H;
    // A step line: the balance holds until the next entry changes it.
    const path = points.map((p, i) => (i === 0 ? `M${x(i).toFixed(1)},${y(p).toFixed(1)}` : `H${x(i).toFixed(1)}V${y(p).toFixed(1)}`)).join('');
    const when = (p) => new Date(p.occurredAt).toLocaleString();
    const dots = points.map((p, i) => {
      const label = `${when(p)}: ${format(p.availableAfter, type, decimals)} available after ${p.kind}`;
      return `<circle tabindex="0" data-value="${esc(label)}" aria-label="${esc(label)}" cx="${x(i).toFixed(1)}" cy="${y(p).toFixed(1)}" r="4"><title>${esc(label)}</title></circle>`;
    }).join('');
    const showLabel = labelled(points.length);
    // Times of day when the entries span less than two days, else dates; the end labels stay inside the chart.
    const tick = (p) => (span < 2 * 86400000 ? new Date(p.occurredAt).toLocaleTimeString() : new Date(p.occurredAt).toLocaleDateString());
    const anchor = (i) => (points.length === 1 ? 'middle' : i === 0 ? 'start' : i === points.length - 1 ? 'end' : 'middle');
    const ticks = points.map((p, i) => (showLabel(i) ? `<text class="axis" x="${x(i).toFixed(1)}" y="${H - BOTTOM + 16}" text-anchor="${anchor(i)}">${esc(tick(p))}</text>` : '')).join('');
    const svg = `<svg class="chart" viewBox="0 0 ${W} ${H}" role="group" aria-label="${esc(type)}: available balance over time">${valueAxis(max, type, decimals)}
      <path class="line" d="${path}"></path>${dots}${ticks}</svg>`;
    const table = `<table><thead><tr><th>#</th><th>When</th><th>Kind</th><th class="num">Available after</th></tr></thead>
      <tbody>${points.map((p) => `<tr><td>${p.version}</td><td>${esc(when(p))}</td><td>${esc(p.kind)}</td><td class="num">${esc(format(p.availableAfter, type, decimals))}</td></tr>`).join('')}</tbody></table>`;
    return figure(`balance-${type}`, `${esc(type)} available over time`, svg, '', table);
  }).join('');
}

/** Shows the value of the bar or point under the pointer or in focus below its chart. */
export function wireCharts(root) {
  const show = (event) => {
    const mark = event.target.closest?.('[data-value]');
    if (!mark) return;
    mark.closest('figure').querySelector('.chart-value').textContent = mark.dataset.value;
  };
  root.addEventListener('mouseover', show);
  root.addEventListener('focusin', show);
}
