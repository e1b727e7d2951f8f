'use strict';

// What Record Conversion and Reverse Conversion answer: the API's result unchanged (with its
// nested `conversion`), plus the fields a Zap builder maps most, flat and always present (null
// when the outcome recorded or found no conversion), so a later step maps them in one click.

const { conversion, field } = require('./shapes');
const { flattenConversion } = require('./mapping');

const orNull = (v) => (v === undefined ? null : v);

// The flat fields after the outcome, in the order a builder reads them.
const flatOutputFields = [
  field('conversion_id', 'Conversion ID'),
  field('advocate_id', 'Advocate ID'),
  field('advocate_name', 'Advocate Name'),
  field('advocate_first_name', 'Advocate First Name'),
  field('advocate_email', 'Advocate Email'),
  field('advocate_referral_code', 'Advocate Referral Code'),
  field('friend_name', 'Friend Name'),
  field('friend_email', 'Friend Email'),
  field('reward_id', 'Reward ID'),
  field('reward_kind', 'Reward Kind'),
  field('reward_code', 'Reward Code'),
  field('reward_amount', 'Reward Amount'),
  field('reward_currency', 'Reward Currency'),
  field('reward_status', 'Reward Status'),
  field('reward_held_until', 'Reward Held Until', 'datetime'),
  field('clawback_owed', 'Clawback Owed', 'boolean'),
];

// The nested conversion, labelled "Conversion: …" so that it never reads like a flat field.
const nestedOutputFields = conversion.outputFields('conversion__', { parent: 'Conversion' }).map((f) => ({ ...f, required: false }));

const outcomeFields = (matchedLabel) => [
  field('outcome', 'Outcome', 'string', true),
  field('matched', matchedLabel, 'boolean', true),
  field('replayed', 'Already Recorded Before', 'boolean', true),
  field('reason', 'Reason'),
];

// paymentResult is Record Conversion's answer; its id names the payment.
const paymentResult = (result) => ({
  id: [result.invoice_id, result.payment_id].filter(Boolean).join('/'),
  ...result,
  reason: orNull(result.reason),
  ...flattenConversion(result.conversion),
});

// refundResult is Reverse Conversion's answer; `matched` says whether the refund found the
// invoice's conversion, as Record Conversion's says whether the payer had a referral.
const refundResult = (result) => ({
  id: [result.invoice_id, result.refund_id].filter(Boolean).join('/'),
  ...result,
  matched: result.matched === undefined ? result.conversion !== null && result.conversion !== undefined : result.matched,
  reason: orNull(result.reason),
  ...flattenConversion(result.conversion),
});

const paymentOutputFields = [
  field('id', 'Payment Event ID', 'string', true),
  ...outcomeFields('Matched a Referral'),
  field('invoice_id', 'Invoice ID', 'string', true),
  field('payment_id', 'Payment ID'),
  ...flatOutputFields,
  ...nestedOutputFields,
];

const refundOutputFields = [
  field('id', 'Refund Event ID', 'string', true),
  ...outcomeFields('Matched a Conversion'),
  field('invoice_id', 'Invoice ID', 'string', true),
  field('refund_id', 'Refund ID'),
  ...flatOutputFields,
  ...nestedOutputFields,
];

module.exports = { paymentResult, refundResult, paymentOutputFields, refundOutputFields };
