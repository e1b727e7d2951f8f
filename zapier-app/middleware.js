'use strict';

// Every request goes to the connected AdvocateLoop server with the practice's API key, and
// every answer that is not a success becomes an error a Zap builder can act on. Outcomes such
// as "no referral matched" are 200 answers and pass through untouched.

const DEFAULT_BASE_URL = 'https://app.advocateloop.com';

// baseUrlOf accepts what people paste: no scheme, a trailing slash, or the dashboard's address.
const baseUrlOf = (authData = {}) => {
  let url = String(authData.baseUrl || '').trim() || DEFAULT_BASE_URL;
  if (!/^https?:\/\//i.test(url)) {
    url = `https://${url}`;
  }
  try {
    const parsed = new URL(url);
    const path = parsed.pathname.replace(/\/+$/, '').replace(/\/(v1|app)(\/.*)?$/, '');
    return parsed.origin + path;
  } catch (e) {
    return url.replace(/\/+$/, '');
  }
};

const addBaseUrlAndKey = (request, z, bundle) => {
  const authData = (bundle && bundle.authData) || {};
  const base = baseUrlOf(authData);
  if (request.url.startsWith('/')) {
    request.url = base + request.url;
  }
  // The key goes only to the AdvocateLoop server, never to another address.
  if (authData.apiKey && request.url.startsWith(`${base}/`)) {
    request.headers = request.headers || {};
    request.headers.Authorization = `Bearer ${String(authData.apiKey).trim()}`;
    request.headers.Accept = 'application/json';
  }
  return request;
};

// slugOf turns a problem type such as "/problems/validation-failed" into "validation-failed".
const slugOf = (problem) => {
  const type = problem && typeof problem.type === 'string' ? problem.type : '';
  return type.split('/').filter(Boolean).pop() || '';
};

// describeProblem writes one sentence from an RFC 9457 problem, naming every field at fault.
const describeProblem = (problem, status) => {
  if (!problem || typeof problem !== 'object' || !problem.detail) {
    return `AdvocateLoop answered with HTTP ${status} and no explanation. Try again in a moment; contact AdvocateLoop support if it keeps happening.`;
  }
  let message = String(problem.detail).trim();
  const fields = Array.isArray(problem.errors) ? problem.errors : [];
  if (fields.length) {
    const parts = fields.map((e) => `${e.field} ${e.detail}`.trim());
    message = `${message.replace(/[.:]$/, '')}: ${parts.join('; ')}.`;
  }
  if (problem.request_id) {
    message += ` (request ${problem.request_id})`;
  }
  return message;
};

// problemError is the error for any failed answer except 401 and 429.
const problemError = (z, response) => {
  const problem = response.data;
  const code = slugOf(problem) || `http-${response.status}`;
  return new z.errors.Error(describeProblem(problem, response.status), code, response.status);
};

// retryAfterSeconds reads Retry-After as seconds or as an HTTP date.
const retryAfterSeconds = (value, now = Date.now()) => {
  if (value === null || value === undefined || value === '') {
    return 60;
  }
  const trimmed = String(value).trim();
  if (/^\d+$/.test(trimmed)) {
    return parseInt(trimmed, 10);
  }
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? 60 : Math.max(0, Math.ceil((at - now) / 1000));
};

const handleProblems = (response, z) => {
  if (response.status === 401) {
    // Custom auth has nothing to refresh: Zapier's documented answer to a dead credential is
    // ExpiredAuthError, which marks the connection expired and asks the user to reconnect.
    const why = response.data && response.data.detail ? ` (${response.data.detail})` : '';
    throw new z.errors.ExpiredAuthError(
      `AdvocateLoop did not accept the API key${why}. Reconnect your AdvocateLoop account in Zapier ` +
        'with a valid key from Settings → API keys in your AdvocateLoop dashboard.',
    );
  }
  if (response.status === 429) {
    const seconds = retryAfterSeconds(response.getHeader('retry-after'));
    throw new z.errors.ThrottledError(
      `AdvocateLoop is receiving too many requests for this practice; Zapier will retry in ${seconds} seconds.`,
      seconds,
    );
  }
  if (response.status >= 400 && !response.skipThrowForStatus) {
    throw problemError(z, response);
  }
  return response;
};

module.exports = {
  DEFAULT_BASE_URL,
  baseUrlOf,
  befores: [addBaseUrlAndKey],
  afters: [handleProblems],
  problemError,
  retryAfterSeconds,
};
