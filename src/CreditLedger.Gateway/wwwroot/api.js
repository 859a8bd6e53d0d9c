// The public HTTP API, with the API key kept in this browser tab's session only.
const KEY = 'creditledger.key';
const ORLEANS = 'creditledger.orleans-dashboard';

export const session = {
  get key() { return sessionStorage.getItem(KEY); },
  set key(value) { value ? sessionStorage.setItem(KEY, value) : sessionStorage.removeItem(KEY); },
  // Whether this browser holds an Orleans dashboard session cookie (admin keys only; the cookie itself is HttpOnly).
  get orleansDashboard() { return sessionStorage.getItem(ORLEANS) === '1'; },
  set orleansDashboard(value) { value ? sessionStorage.setItem(ORLEANS, '1') : sessionStorage.removeItem(ORLEANS); },
};

export class ApiError extends Error {
  constructor(problem, status) {
    super(problem?.detail ?? `HTTP ${status}`);
    this.problem = problem;
    this.status = status;
  }
}

export async function api(method, path, body, { idempotencyKey, accept } = {}) {
  const headers = { Authorization: `Bearer ${session.key ?? ''}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  if (accept) headers.Accept = accept;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (accept === 'text/csv' && response.ok) return response.blob();
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    if (response.status === 401) session.key = null;
    throw new ApiError(json, response.status);
  }
  return json;
}

// Amounts arrive as exact decimal strings; Intl formats the string itself, so no binary float ever touches them.
export function money(amount, creditType, type) {
  const decimals = (amount.split('.')[1] ?? '').length;
  if (type === 'monetary') {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: creditType, minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(amount);
  }
  return `${new Intl.NumberFormat(undefined, { maximumFractionDigits: 6 }).format(amount)} ${creditType}`;
}

export const isCurrency = (creditType) => /^[A-Z]{3}$/.test(creditType);
