'use strict';

const { conversion } = require('../lib/shapes');
const { text, amount, compact } = require('../lib/mapping');
const { paymentResult, paymentOutputFields } = require('../lib/results');

// Record Conversion: the action a practice's Zap runs on every paid Aesthetic Record invoice.
// Every outcome (a conversion, no referral, not paid, a replay…) is a success, with a `reason`
// when nothing converted; only a real problem (a missing invoice number, a bad amount, a
// revoked key) stops the Zap.
const perform = async (z, bundle) => {
  const input = bundle.inputData;
  const response = await z.request({
    method: 'POST',
    url: '/v1/conversions',
    body: compact({
      invoice_id: text(input.invoice_id),
      payment_id: text(input.payment_id),
      email: text(input.email),
      first_name: text(input.first_name),
      last_name: text(input.last_name),
      name: text(input.name),
      amount: amount(input.amount),
      currency: text(input.currency),
      paid_at: text(input.paid_at),
      status: text(input.status),
      referral_code: text(input.referral_code),
    }),
  });
  return paymentResult(response.data);
};

module.exports = {
  key: 'record_conversion',
  noun: 'Conversion',
  display: {
    label: 'Record Conversion',
    description:
      'Sends a paid invoice to AdvocateLoop, which rewards the advocate when the payer is a referred friend. Use it with Aesthetic Record\'s "New Invoice Payment" (or "New Invoice") trigger.',
  },
  operation: {
    inputFields: [
      {
        key: 'invoice_id',
        label: 'Invoice ID or Number',
        required: true,
        helpText:
          "Map Aesthetic Record's **Invoice Number** (or Invoice ID). With the Payment ID it makes sure the same payment is never counted twice, even when Zapier replays a step.",
      },
      {
        key: 'payment_id',
        label: 'Payment ID',
        helpText:
          "Map Aesthetic Record's **Payment ID** when you use the New Invoice Payment trigger, so each payment of an invoice is recorded once. Leave empty with the New Invoice trigger.",
      },
      {
        key: 'email',
        label: 'Patient Email',
        helpText:
          "Map Aesthetic Record's **Patient Email**. AdvocateLoop matches it to the email the friend used to claim the referral (letter case and spaces do not matter).",
      },
      {
        key: 'first_name',
        label: 'First Name',
        helpText:
          "Map Aesthetic Record's **Patient First Name**. Used to spot a referred friend who paid with another email; the front desk confirms those.",
      },
      {
        key: 'last_name',
        label: 'Last Name',
        helpText: "Map Aesthetic Record's **Patient Last Name**, next to the first name.",
      },
      {
        key: 'name',
        label: 'Full Name',
        helpText:
          "Only if your trigger gives one name field instead of first and last name: map the patient's **Full Name** here. Leave empty when you mapped First Name and Last Name.",
      },
      {
        key: 'amount',
        label: 'Amount Paid / Total',
        required: true,
        helpText:
          "Map Aesthetic Record's **Amount Paid** (New Invoice Payment) or the invoice **Total** (New Invoice), such as `250.00`. A currency sign or thousands commas (`$1,250.00`) are fine.",
      },
      {
        key: 'currency',
        label: 'Currency',
        helpText:
          "Map the invoice's **Currency** code (such as `USD`) if your trigger has one. Leave empty to use your practice's currency.",
      },
      {
        key: 'paid_at',
        label: 'Paid At / Payment Date',
        // Text, not datetime: Zapier would turn a date alone into midnight, an instant that can
        // fall before a claim made the same day; the server reads a date as that whole day.
        type: 'string',
        helpText:
          "Map Aesthetic Record's **Payment Date** (or the invoice date) as it comes: a date and time, or a date alone, which counts as that whole day in your practice's time zone. Leave empty to use the time the Zap runs.",
      },
      {
        key: 'status',
        label: 'Payment Status',
        helpText:
          "Map Aesthetic Record's **Payment Status** (or Invoice Status) when you use the New Invoice trigger: an invoice that is not paid yet is answered `not_paid` and rewards nothing. Leave empty with the New Invoice Payment trigger, whose payments are always paid.",
      },
      {
        key: 'referral_code',
        label: 'Referral Code',
        helpText:
          "Optional. Map a field where the front desk notes the referral code the patient gave at checkout (for example an invoice note or custom field). It credits that advocate when the patient has no referral yet.",
      },
    ],
    perform,
    sample: paymentResult({
      outcome: 'converted',
      matched: true,
      replayed: false,
      reason: null,
      invoice_id: 'INV-1001',
      payment_id: 'PAY-5521',
      conversion: conversion.sample,
    }),
    outputFields: paymentOutputFields,
  },
};
