'use strict';

// Turning mapped Zap values into the API's request fields, and API answers into flat fields
// that are easy to map in later steps.

// text trims a mapped value; numbers (Aesthetic Record sends some ids as numbers) become text.
const text = (value) => {
  if (value === undefined || value === null) {
    return undefined;
  }
  const s = String(value).trim();
  return s === '' ? undefined : s;
};

// amount passes a mapped amount through as it came (trimmed): the server reads every way in
// by one rule ("250", "$1,250.00") and names the field when an amount reads two ways.
const amount = (value) => (typeof value === 'number' ? value : text(value));

// compact drops fields the Zap left empty.
const compact = (body) =>
  Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));

// flattenConversion lifts the fields a Zap builder maps most (who was rewarded, with what) to
// the top level; they are null when the outcome recorded no conversion.
const flattenConversion = (conversion) => {
  const c = conversion || {};
  const r = c.reward || {};
  const or = (v) => (v === undefined ? null : v);
  return {
    conversion_id: or(c.id),
    advocate_id: or(c.advocate_id),
    advocate_name: or(c.advocate_name),
    advocate_email: or(c.advocate_email),
    advocate_first_name: or(c.advocate_first_name),
    advocate_referral_code: or(c.advocate_referral_code),
    friend_name: or(c.friend_name),
    friend_email: or(c.friend_email),
    reward_id: or(r.id),
    reward_kind: or(r.kind),
    reward_code: or(r.code),
    reward_amount: or(r.amount),
    reward_currency: or(r.currency),
    reward_status: or(r.status),
    reward_held_until: or(r.held_until),
    clawback_owed: or(r.clawback_owed),
  };
};

module.exports = { text, amount, compact, flattenConversion };
