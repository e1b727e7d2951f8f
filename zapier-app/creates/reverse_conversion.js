'use strict';

const { reversedConversion } = require('../lib/shapes');
const { text, amount, compact } = require('../lib/mapping');
const { refundResult, refundOutputFields } = require('../lib/results');

// Reverse Conversion: the action a practice's Zap runs on every refund. A full refund voids the
// advocate's reward; every outcome, including "this invoice converted nothing", is a success.
const perform = async (z, bundle) => {
  const input = bundle.inputData;
  const response = await z.request({
    method: 'POST',
    url: '/v1/conversions/reverse',
    body: compact({
      invoice_id: text(input.invoice_id),
      refund_id: text(input.refund_id),
      amount_refunded: amount(input.amount_refunded),
    }),
  });
  return refundResult(response.data);
};

module.exports = {
  key: 'reverse_conversion',
  noun: 'Conversion',
  display: {
    label: 'Reverse Conversion',
    description:
      "Sends a refund to AdvocateLoop, which reverses the invoice's conversion and voids the advocate's reward. Use it with your refund trigger.",
  },
  operation: {
    inputFields: [
      {
        key: 'invoice_id',
        label: 'Invoice ID or Number',
        required: true,
        helpText:
          "Map the refunded invoice's **Invoice Number**: the same value your Record Conversion step sends.",
      },
      {
        key: 'refund_id',
        label: 'Refund ID',
        helpText:
          "Map the trigger's **Refund ID** (or Transaction ID), so a refund replayed by Zapier is counted once. Leave empty if there is none.",
      },
      {
        key: 'amount_refunded',
        label: 'Amount Refunded',
        helpText:
          "Map the **Refunded Amount**, such as `250.00`. Leave empty for a full refund. A partial refund that still leaves the practice's minimum paid changes nothing.",
      },
    ],
    perform,
    sample: refundResult({
      outcome: 'reversed',
      replayed: false,
      reason: null,
      invoice_id: 'INV-1001',
      refund_id: 'RF-301',
      conversion: reversedConversion,
    }),
    outputFields: refundOutputFields,
  },
};
