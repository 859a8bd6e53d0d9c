import { api, ApiError, session, money, isCurrency } from '/api.js';
import { dailyCharts, balanceCharts, wireCharts } from '/charts.js';

const view = document.getElementById('view');
const signOut = document.getElementById('sign-out');
const orleansLink = document.getElementById('orleans-dashboard');
const esc = (value) => String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const kind = (creditType) => (isCurrency(creditType) ? 'monetary' : 'units');
const amount = (value, creditType) => esc(money(value, creditType, kind(creditType)));
const when = (iso) => (iso ? esc(new Date(iso).toLocaleString()) : '—');

function toast(message) {
  const box = document.getElementById('toast');
  box.textContent = message;
  setTimeout(() => { if (box.textContent === message) box.textContent = ''; }, 4000);
}

function route() {
  const [path, query = ''] = location.hash.replace(/^#/, '').split('?');
  return { parts: path.split('/').filter(Boolean), params: new URLSearchParams(query) };
}

async function render() {
  signOut.hidden = !session.key;
  orleansLink.hidden = !(session.key && session.orleansDashboard);
  const { parts, params } = route();
  if (!session.key) return signIn();
  try {
    if (parts[0] === 'customers' && parts[1]) return await customerCredits(decodeURIComponent(parts[1]), params);
    if (parts[0] === 'reports') return await reports(params);
    if (parts[0] === 'webhooks') return await webhooks(params);
    return await customers(params);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return signIn('The API key is no longer valid; sign in again.');
    view.innerHTML = `<h1>Something went wrong</h1><p class="error" role="alert">${esc(error.message)}</p>`;
  }
}

function signIn(message) {
  signOut.hidden = true;
  orleansLink.hidden = true;
  view.innerHTML = `
    <h1>Sign in</h1>
    <p class="muted">Use an API key. It is kept in this browser tab only and forgotten when the tab closes.</p>
    <form id="signin" class="inline">
      <label>API key <input id="key" name="key" type="password" autocomplete="off" required size="48"></label>
      <button class="primary">Sign in</button>
    </form>
    <p id="signin-error" class="error" role="alert">${esc(message ?? '')}</p>`;
  view.querySelector('#signin').addEventListener('submit', async (event) => {
    event.preventDefault();
    session.key = view.querySelector('#key').value.trim();
    try {
      await api('GET', '/v1/customers?limit=1');
      await startOrleansDashboardSession();
      if (!location.hash || location.hash === '#/signin') location.hash = '#/customers';
      else render();
    } catch (error) {
      session.key = null;
      view.querySelector('#signin-error').textContent = error.status === 401 ? 'That API key is not valid.' : error.message;
    }
  });
  view.querySelector('#key').focus();
}

async function customers(params) {
  const search = params.get('search') ?? '';
  const cursor = params.get('cursor');
  const page = await api('GET', `/v1/customers?limit=25${search ? `&search=${encodeURIComponent(search)}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
  view.innerHTML = `
    <h1>Customers</h1>
    <form id="search" class="toolbar" role="search">
      <label>Search <input name="search" value="${esc(search)}" placeholder="id, name or e-mail"></label>
      <button>Search</button>
    </form>
    <div class="table-wrap"><table>
      <thead><tr><th>Customer</th><th>Name</th><th class="hide-narrow">E-mail</th><th class="hide-narrow">Created</th></tr></thead>
      <tbody>${page.data.map((c) => `<tr class="row-link"><td><a href="#/customers/${encodeURIComponent(c.customerId)}">${esc(c.customerId)}</a></td><td>${esc(c.name)}</td><td class="hide-narrow">${esc(c.email)}</td><td class="hide-narrow">${when(c.createdAt)}</td></tr>`).join('') || '<tr><td colspan="4" class="muted">No customers.</td></tr>'}</tbody>
    </table></div>
    ${page.nextCursor ? `<a href="#/customers?search=${encodeURIComponent(search)}&cursor=${encodeURIComponent(page.nextCursor)}">Next page</a>` : ''}
    <h2>New customer</h2>
    <form id="create" class="inline">
      <label>Customer id <input name="id" required maxlength="128" pattern="[A-Za-z0-9._:\\-]+"></label>
      <label>Name <input name="name" maxlength="200"></label>
      <label>E-mail <input name="email" type="email" maxlength="320"></label>
      <button class="primary">Create customer</button>
      <span class="error" id="create-error" role="alert"></span>
    </form>`;
  view.querySelector('#search').addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/customers?search=${encodeURIComponent(new FormData(event.target).get('search'))}`;
  });
  view.querySelector('#create').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    try {
      await api('PUT', `/v1/customers/${encodeURIComponent(form.get('id'))}`, { name: form.get('name') || null, email: form.get('email') || null });
      location.hash = `#/customers/${encodeURIComponent(form.get('id'))}`;
    } catch (error) {
      view.querySelector('#create-error').textContent = error.message;
    }
  });
}

async function customerCredits(customerId, params) {
  const c = `/v1/customers/${encodeURIComponent(customerId)}`;
  const cursor = params.get('cursor');
  const [customer, balances, grants, history, recent, schedules] = await Promise.all([
    api('GET', c),
    api('GET', `${c}/credit-balances?expiringWithinDays=30`),
    api('GET', `${c}/credit-grants?limit=100`),
    api('GET', `${c}/credit-transactions?limit=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
    api('GET', `${c}/credit-transactions?limit=200`),
    api('GET', `${c}/credit-schedules?limit=200`),
  ]);
  // A top-up rule per credit type the customer has credits in (no rule: 404, shown as none).
  const topUps = (await Promise.all(balances.balances.map((b) =>
    api('GET', `${c}/credit-top-ups/${encodeURIComponent(b.creditType)}`).catch((error) => {
      if (error.status === 404) return null;
      throw error;
    })))).filter((rule) => rule);
  view.innerHTML = `
    <p><a href="#/customers">Customers</a> › ${esc(customerId)}</p>
    <h1>${esc(customer.name || customerId)} <span class="muted">· Credits</span></h1>
    <div class="toolbar"><button class="primary" id="grant-open">Grant credits</button></div>
    <h2>Balances</h2>
    <div class="cards" id="balances">${balances.balances.map((b) => `
      <section class="card" aria-label="${esc(b.creditType)} balance">
        <strong>${esc(b.creditType)}</strong>
        <dl>
          <dt>Available</dt><dd data-field="available">${amount(b.available, b.creditType)}</dd>
          <dt>Pending</dt><dd data-field="pending">${amount(b.pending, b.creditType)}</dd>
          <dt>Expiring soon (30 days)</dt><dd data-field="expiringSoon">${amount(b.expiringSoon, b.creditType)}</dd>
          <dt>Granted</dt><dd>${amount(b.granted, b.creditType)}</dd>
          <dt>Consumed</dt><dd>${amount(b.consumed, b.creditType)}</dd>
          <dt>Expired</dt><dd>${amount(b.expired, b.creditType)}</dd>
          <dt>Voided</dt><dd>${amount(b.voided, b.creditType)}</dd>
        </dl>
      </section>`).join('') || '<p class="muted">No credits yet.</p>'}</div>
    <h2>Available over time</h2>
    <p class="muted">From the latest ${recent.data.length} ledger entries${recent.nextCursor ? ' (older ones are in the history below)' : ''}.</p>
    <div id="balance-charts">${balanceCharts(recent.data)}</div>
    <h2>Grants</h2>
    <div class="table-wrap"><table id="grants">
      <thead><tr><th>Status</th><th class="num">Amount</th><th class="num">Remaining</th><th>Expires</th><th class="hide-narrow">Reason</th><th><span class="muted">Actions</span></th></tr></thead>
      <tbody>${grants.data.map((g) => `<tr data-grant="${esc(g.grantId)}">
        <td><span class="status ${esc(g.status)}">${esc(g.status)}</span></td>
        <td class="num">${amount(g.amount, g.creditType)}</td><td class="num">${amount(g.remaining, g.creditType)}</td>
        <td>${g.expiresAt ? when(g.expiresAt) : 'Never'}</td><td class="hide-narrow">${esc(g.reason)}</td>
        <td>${['active', 'depleted', 'scheduled'].includes(g.status) ? `<button class="link" data-void="${esc(g.grantId)}" aria-label="Void grant ${esc(g.grantId)}">Void…</button>` : ''}</td>
      </tr>`).join('') || '<tr><td colspan="6" class="muted">No grants.</td></tr>'}</tbody>
    </table></div>
    <h2>Credit schedules</h2>
    <div class="table-wrap"><table id="schedules">
      <thead><tr><th>Status</th><th class="num">Each period</th><th>Every</th><th class="num">Periods granted</th><th>Next period</th><th class="hide-narrow">Rollover</th><th class="hide-narrow">Reason</th><th><span class="muted">Actions</span></th></tr></thead>
      <tbody>${schedules.data.map((s) => `<tr data-schedule="${esc(s.scheduleId)}">
        <td><span class="status ${esc(s.status)}">${esc(s.status)}</span></td>
        <td class="num">${amount(s.amount, s.creditType)}</td><td>${esc(s.every)}</td>
        <td class="num" data-field="periodsGranted">${s.periodsGranted}${s.periods ? ` of ${s.periods}` : ''}</td>
        <td data-field="nextPeriodAt">${s.nextPeriodAt ? when(s.nextPeriodAt) : '—'}</td>
        <td class="hide-narrow">${s.rollover ? `up to ${amount(s.rollover.maxAmount, s.creditType)}` : 'None'}</td>
        <td class="hide-narrow">${esc(s.status === 'cancelled' ? `${s.reason} (cancelled: ${s.cancelReason})` : s.reason)}</td>
        <td>${s.status === 'active' ? `<button class="link" data-cancel-schedule="${esc(s.scheduleId)}" aria-label="Cancel schedule ${esc(s.scheduleId)}">Cancel…</button>` : ''}</td>
      </tr>`).join('') || '<tr><td colspan="8" class="muted">No credit schedules.</td></tr>'}</tbody>
    </table></div>
    <h2>Automatic top-ups</h2>
    <div class="table-wrap"><table id="top-ups">
      <thead><tr><th>Credit type</th><th class="num">Below</th><th class="num">Top up to</th><th>Outstanding request</th></tr></thead>
      <tbody>${topUps.map((rule) => `<tr data-top-up="${esc(rule.creditType)}">
        <td>${esc(rule.creditType)}</td><td class="num">${amount(rule.threshold, rule.creditType)}</td><td class="num">${amount(rule.targetBalance, rule.creditType)}</td>
        <td data-field="outstandingRequest">${rule.outstandingRequest
          ? `${esc(rule.outstandingRequest.requestId)}: ${amount(rule.outstandingRequest.amount, rule.creditType)} since ${when(rule.outstandingRequest.createdAt)}`
          : 'None'}</td>
      </tr>`).join('') || '<tr><td colspan="4" class="muted">No top-up rules.</td></tr>'}</tbody>
    </table></div>
    <h2>Transaction history</h2>
    <div class="table-wrap"><table id="history">
      <thead><tr><th>#</th><th>When</th><th>Kind</th><th class="num">Amount</th><th class="num hide-narrow">Available after</th><th class="hide-narrow">Invoice</th><th>Reason</th><th class="hide-narrow">By</th></tr></thead>
      <tbody>${history.data.map((e) => `<tr><td>${e.version}</td><td>${when(e.occurredAt)}</td><td>${esc(e.kind)}</td>
        <td class="num">${amount(e.kind === 'paid' ? e.consumed : e.amount, e.creditType)}</td><td class="num hide-narrow">${amount(e.availableAfter, e.creditType)}</td>
        <td class="hide-narrow">${esc(e.invoiceId)}</td><td>${esc(e.reason)}</td><td class="hide-narrow">${esc(e.actor)}</td></tr>`).join('') || '<tr><td colspan="8" class="muted">No activity.</td></tr>'}</tbody>
    </table></div>
    ${history.nextCursor ? `<a href="#/customers/${encodeURIComponent(customerId)}?cursor=${encodeURIComponent(history.nextCursor)}">Older entries</a>` : ''}
    ${grantDialog()}
    <dialog id="void-dialog" aria-labelledby="void-title">
      <form method="dialog" id="void-form">
        <h2 id="void-title">Void grant</h2>
        <p>Voiding removes the grant's remaining credits now. Credits already applied to invoices are not affected.</p>
        <label>Reason <input name="reason" required maxlength="500"></label>
        <span class="error" data-error="reason" role="alert"></span>
        <div class="actions"><button value="cancel" formnovalidate>Cancel</button><button class="danger" value="void">Void grant</button></div>
      </form>
    </dialog>
    <dialog id="cancel-schedule-dialog" aria-labelledby="cancel-schedule-title">
      <form method="dialog" id="cancel-schedule-form">
        <h2 id="cancel-schedule-title">Cancel schedule</h2>
        <p>No later period is granted. Credits already granted stay and expire at the end of their period.</p>
        <label>Reason <input name="reason" required maxlength="500"></label>
        <span class="error" data-error="reason" role="alert"></span>
        <div class="actions"><button value="back" formnovalidate>Back</button><button class="danger" value="cancel-schedule">Cancel schedule</button></div>
      </form>
    </dialog>`;
  wireGrantDialog(customerId);
  wireCharts(view.querySelector('#balance-charts'));
  const cancelDialog = view.querySelector('#cancel-schedule-dialog');
  let cancelling = null;
  view.querySelectorAll('[data-cancel-schedule]').forEach((button) => button.addEventListener('click', () => {
    cancelling = button.dataset.cancelSchedule;
    cancelDialog.querySelector('form').reset();
    cancelDialog.showModal();
  }));
  cancelDialog.querySelector('form').addEventListener('submit', async (event) => {
    if (event.submitter?.value !== 'cancel-schedule') return;
    event.preventDefault();
    const reason = new FormData(event.target).get('reason');
    try {
      await api('POST', `${c}/credit-schedules/${encodeURIComponent(cancelling)}/cancel`, { reason }, { idempotencyKey: crypto.randomUUID() });
      cancelDialog.close();
      toast('Schedule cancelled.');
      render();
    } catch (error) {
      cancelDialog.querySelector('[data-error="reason"]').textContent = error.problem?.errors?.reason?.[0] ?? error.message;
    }
  });
  const voidDialog = view.querySelector('#void-dialog');
  let voiding = null;
  view.querySelectorAll('[data-void]').forEach((button) => button.addEventListener('click', () => {
    voiding = button.dataset.void;
    voidDialog.querySelector('form').reset();
    voidDialog.showModal();
  }));
  voidDialog.querySelector('form').addEventListener('submit', async (event) => {
    if (event.submitter?.value !== 'void') return;
    event.preventDefault();
    const reason = new FormData(event.target).get('reason');
    try {
      await api('POST', `${c}/credit-grants/${encodeURIComponent(voiding)}/void`, { reason }, { idempotencyKey: crypto.randomUUID() });
      voidDialog.close();
      toast('Grant voided.');
      render();
    } catch (error) {
      voidDialog.querySelector('[data-error="reason"]').textContent = error.problem?.errors?.reason?.[0] ?? error.message;
    }
  });
}

function grantDialog() {
  return `
    <dialog id="grant-dialog" aria-labelledby="grant-title">
      <form id="grant-form" novalidate>
        <h2 id="grant-title">Grant credits</h2>
        <fieldset><legend>Type</legend>
          <label><input type="radio" name="type" value="monetary" checked> Monetary</label>
          <label><input type="radio" name="type" value="units"> Units</label>
        </fieldset>
        <label>Amount <input name="amount" inputmode="decimal" autocomplete="off"></label>
        <span class="error" data-error="amount" role="alert"></span>
        <label data-for="monetary">Currency <input name="currency" value="USD" maxlength="3"></label>
        <span class="error" data-error="currency" role="alert"></span>
        <label data-for="units" hidden>Unit <input name="unit" placeholder="api_calls" maxlength="64"></label>
        <span class="error" data-error="unit" role="alert"></span>
        <label>Expiration
          <select name="expiration">
            <option value="P90D">90 days</option><option value="P6M">6 months</option><option value="P12M">12 months</option>
            <option value="never">Never</option><option value="date">On a date…</option>
          </select></label>
        <label data-for="date" hidden>Expires on <input name="expiresOn" type="date"></label>
        <span class="error" data-error="expiresAt" role="alert"></span>
        <label>Reason <input name="reason" maxlength="500" placeholder="Welcome credit"></label>
        <span class="error" data-error="reason" role="alert"></span>
        <p class="error" data-error="form" role="alert"></p>
        <div class="actions"><button type="button" data-close>Cancel</button><button class="primary">Grant</button></div>
      </form>
    </dialog>`;
}

function expiresAt(choice, date) {
  if (choice === 'never') return null;
  if (choice === 'date') return date ? new Date(`${date}T00:00:00Z`).toISOString() : undefined;
  const at = new Date();
  if (choice === 'P90D') at.setUTCDate(at.getUTCDate() + 90);
  if (choice === 'P6M') at.setUTCMonth(at.getUTCMonth() + 6);
  if (choice === 'P12M') at.setUTCMonth(at.getUTCMonth() + 12);
  return at.toISOString();
}

function wireGrantDialog(customerId) {
  const dialog = view.querySelector('#grant-dialog');
  const form = dialog.querySelector('form');
  const sync = () => {
    const type = form.type.value;
    form.querySelector('[data-for="monetary"]').hidden = type !== 'monetary';
    form.querySelector('[data-for="units"]').hidden = type !== 'units';
    form.querySelector('[data-for="date"]').hidden = form.expiration.value !== 'date';
  };
  form.addEventListener('change', sync);
  view.querySelector('#grant-open').addEventListener('click', () => { form.reset(); clearErrors(form); sync(); dialog.showModal(); form.amount.focus(); });
  form.querySelector('[data-close]').addEventListener('click', () => dialog.close());
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const type = form.type.value;
    const body = { type, amount: form.amount.value.trim(), reason: form.reason.value, expiresAt: expiresAt(form.expiration.value, form.expiresOn.value) };
    if (type === 'monetary') body.currency = form.currency.value.trim(); else body.unit = form.unit.value.trim();
    try {
      await api('POST', `/v1/customers/${encodeURIComponent(customerId)}/credit-grants`, body, { idempotencyKey: crypto.randomUUID() });
      dialog.close();
      toast('Credits granted.');
      render();
    } catch (error) {
      const errors = error.problem?.errors ?? {};
      for (const [field, messages] of Object.entries(errors)) {
        const slot = form.querySelector(`[data-error="${CSS.escape(field)}"]`) ?? form.querySelector('[data-error="form"]');
        slot.textContent = messages[0];
      }
      if (!Object.keys(errors).length) form.querySelector('[data-error="form"]').textContent = error.message;
    }
  });
}

function clearErrors(form) { form.querySelectorAll('[data-error]').forEach((slot) => { slot.textContent = ''; }); }

async function reports(params) {
  const today = new Date().toISOString().slice(0, 10);
  const monthAgo = new Date(Date.now() - 29 * 86400000).toISOString().slice(0, 10);
  const filters = new URLSearchParams({ from: params.get('from') || monthAgo, to: params.get('to') || today });
  for (const name of ['customerId', 'creditType']) if (params.get(name)) filters.set(name, params.get(name));
  const [byType, byDay] = await Promise.all([
    api('GET', `/v1/reports/credits?${filters}&groupBy=creditType`),
    api('GET', `/v1/reports/credits?${filters}&groupBy=day`),
  ]);
  view.innerHTML = `
    <h1>Reports › Credits</h1>
    <form id="filters" class="toolbar">
      <label>From <input type="date" name="from" value="${esc(filters.get('from'))}"></label>
      <label>To <input type="date" name="to" value="${esc(filters.get('to'))}"></label>
      <label>Customer <input name="customerId" value="${esc(params.get('customerId'))}"></label>
      <label>Credit type <input name="creditType" value="${esc(params.get('creditType'))}" placeholder="USD or api_calls"></label>
      <button class="primary">Apply filters</button>
      <button type="button" id="csv">Download CSV</button>
    </form>
    <p class="muted">As of ${when(byType.asOf)}${byType.lagSeconds > 0 ? ` · ${byType.lagSeconds} s behind the ledger` : ''}</p>
    <h2>Totals</h2>
    <div class="table-wrap"><table id="totals">
      <thead><tr><th>Credit type</th><th class="num">Granted</th><th class="num">Applied</th><th class="num">Consumed</th><th class="num hide-narrow">Reinstated</th><th class="num hide-narrow">Expired</th><th class="num hide-narrow">Voided</th><th class="num">Available</th></tr></thead>
      <tbody>${byType.rows.map((r) => `<tr><td>${esc(r.creditType)}</td>${['granted', 'applied', 'consumed'].map((f) => `<td class="num">${amount(r[f], r.creditType)}</td>`).join('')}${['reinstated', 'expired', 'voided'].map((f) => `<td class="num hide-narrow">${amount(r[f], r.creditType)}</td>`).join('')}<td class="num">${amount(r.available, r.creditType)}</td></tr>`).join('') || '<tr><td colspan="8" class="muted">No credit activity in this range.</td></tr>'}</tbody>
    </table></div>
    <h2>Granted, applied and expired per day</h2>
    <div id="daily">${dailyCharts(byDay.rows)}</div>`;
  wireCharts(view.querySelector('#daily'));
  view.querySelector('#filters').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = new URLSearchParams(new FormData(event.target));
    for (const [key, value] of [...form]) if (!value) form.delete(key);
    location.hash = `#/reports?${form}`;
  });
  view.querySelector('#csv').addEventListener('click', async () => {
    const blob = await api('GET', `/v1/reports/credits?${filters}&groupBy=customer`, undefined, { accept: 'text/csv' });
    const link = Object.assign(document.createElement('a'), { href: URL.createObjectURL(blob), download: `credits-${filters.get('from')}-${filters.get('to')}.csv` });
    document.body.append(link);
    link.click();
    link.remove();
  });
}

async function webhooks(params) {
  const selected = params.get('endpoint');
  const [endpoints, deliveries] = await Promise.all([
    api('GET', '/v1/webhook-endpoints?limit=100'),
    selected ? api('GET', `/v1/webhook-endpoints/${encodeURIComponent(selected)}/deliveries?limit=50`) : Promise.resolve(null),
  ]);
  const status = (e) => {
    if (e.status === 'failing') return `<span class="status failing">failing</span><br><span class="muted">since ${when(e.failingSince)}</span>`;
    if (e.status === 'disabled') return `<span class="status disabled">disabled</span><br><span class="muted">${when(e.disabledAt)}</span>`;
    return '<span class="status healthy">healthy</span>';
  };
  const progress = (e) => `${e.eventsDelivered.toLocaleString()} delivered<br><span class="muted">last ${when(e.lastDeliveredAt)}</span>`;
  const actions = (e) => [
    e.status === 'healthy' ? '' : `<button class="link" data-enable="${esc(e.id)}">Enable</button>`,
    `<button class="link" data-rotate="${esc(e.id)}">Rotate secret</button>`,
    `<button class="link" data-delete="${esc(e.id)}">Delete</button>`,
  ].filter(Boolean).join(' · ');
  view.innerHTML = `
    <h1>Webhooks</h1>
    <div class="table-wrap"><table id="endpoints">
      <thead><tr><th>Endpoint</th><th>URL</th><th class="hide-narrow">Events</th><th>Status</th><th class="hide-narrow">Progress</th><th><span class="muted">Actions</span></th></tr></thead>
      <tbody>${endpoints.data.map((e) => `<tr><td><a href="#/webhooks?endpoint=${encodeURIComponent(e.id)}">${esc(e.id)}</a></td><td>${esc(e.url)}</td><td class="hide-narrow">${esc(e.events.join(', ') || 'all')}</td><td>${status(e)}</td><td class="hide-narrow">${progress(e)}</td><td>${actions(e)}</td></tr>`).join('') || '<tr><td colspan="6" class="muted">No endpoints.</td></tr>'}</tbody>
    </table></div>
    <h2>New endpoint</h2>
    <form id="endpoint" class="inline">
      <label>URL <input name="url" type="url" required size="40" placeholder="https://billing.example.com/webhooks"></label>
      <label>Description <input name="description" maxlength="500"></label>
      <button class="primary">Create endpoint</button>
      <span class="error" id="endpoint-error" role="alert"></span>
    </form>
    <div id="secret"></div>
    ${deliveries ? `<h2>Retried deliveries of ${esc(selected)}</h2>
    <p class="muted">Deliveries that succeeded at their first attempt are counted in the progress, not listed here.</p>
    <div class="table-wrap"><table id="deliveries">
      <thead><tr><th>Event</th><th>Status</th><th class="num">Attempts</th><th>Last attempt</th><th class="hide-narrow">Next retry</th></tr></thead>
      <tbody>${deliveries.data.map((d) => {
        const last = d.attemptLog.at(-1);
        return `<tr><td>${esc(d.eventType)}<br><span class="muted">${esc(d.eventId)}</span></td><td>${esc(d.status)}</td><td class="num">${d.attempts}</td><td>${last ? `${esc(last.statusCode ?? last.error)} · ${last.durationMs} ms` : '—'}</td><td class="hide-narrow">${when(d.nextAttemptAt)}</td></tr>`;
      }).join('') || '<tr><td colspan="5" class="muted">No delivery needed a retry.</td></tr>'}</tbody>
    </table></div>` : ''}`;
  const showSecret = (secret, note) => {
    view.querySelector('#secret').innerHTML = `<p><strong>Signing secret</strong> (shown only now; ${note}):</p><p class="secret">${esc(secret)}</p>`;
  };
  view.querySelector('#endpoint').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    try {
      const created = await api('POST', '/v1/webhook-endpoints', { url: form.get('url'), description: form.get('description') || '' });
      await webhooks(new URLSearchParams({ endpoint: created.id }));
      showSecret(created.secret, 'store it with the receiver');
    } catch (error) {
      view.querySelector('#endpoint-error').textContent = error.problem?.errors?.url?.[0] ?? error.message;
    }
  });
  view.querySelectorAll('[data-enable]').forEach((button) => button.addEventListener('click', async () => {
    await api('POST', `/v1/webhook-endpoints/${encodeURIComponent(button.dataset.enable)}/enable`);
    await webhooks(new URLSearchParams({ endpoint: button.dataset.enable }));
  }));
  view.querySelectorAll('[data-rotate]').forEach((button) => button.addEventListener('click', async () => {
    if (!confirm(`Give ${button.dataset.rotate} a new signing secret? The old one keeps signing beside it for 24 hours.`)) return;
    const rotated = await api('POST', `/v1/webhook-endpoints/${encodeURIComponent(button.dataset.rotate)}/rotate-secret`);
    await webhooks(new URLSearchParams({ endpoint: rotated.id }));
    showSecret(rotated.secret, 'the old secret also signs deliveries for 24 hours');
  }));
  view.querySelectorAll('[data-delete]').forEach((button) => button.addEventListener('click', async () => {
    if (!confirm(`Delete endpoint ${button.dataset.delete} and its delivery log?`)) return;
    await api('DELETE', `/v1/webhook-endpoints/${encodeURIComponent(button.dataset.delete)}`);
    render();
  }));
}

// An admin key also opens the Orleans dashboard (/dashboard): the gateway sets an HttpOnly session cookie that only
// /dashboard accepts. Other keys are refused (403), and the link stays hidden.
async function startOrleansDashboardSession() {
  try {
    await api('POST', '/v1/dashboard/session');
    session.orleansDashboard = true;
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 403)) throw error;
    session.orleansDashboard = false;
  }
}

signOut.addEventListener('click', async () => {
  if (session.orleansDashboard) {
    try { await api('DELETE', '/v1/dashboard/session'); } catch { /* the cookie expires on its own */ }
    session.orleansDashboard = false;
  }
  session.key = null;
  location.hash = '#/signin';
  render();
});
// A message about the page being left does not follow to the next one.
window.addEventListener('hashchange', () => { document.getElementById('toast').textContent = ''; render(); view.focus(); });
render();
