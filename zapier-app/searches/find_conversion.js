'use strict';

const { conversion } = require('../lib/shapes');
const { text } = require('../lib/mapping');

// Find Conversion looks up the conversion an invoice recorded, with its advocate and reward;
// an invoice that converted nothing is an empty result.
const perform = async (z, bundle) => {
  const invoice = text(bundle.inputData.invoice_id);
  if (!invoice) {
    throw new z.errors.Error('Fill in Invoice ID or Number to find a conversion.', 'validation-failed', 422);
  }
  const response = await z.request({ method: 'GET', url: '/v1/conversions', params: { invoice_id: invoice, limit: 1 } });
  return response.data.data.slice(0, 1);
};

module.exports = {
  key: 'find_conversion',
  noun: 'Conversion',
  display: {
    label: 'Find Conversion',
    description: 'Finds the conversion an invoice recorded, with the advocate who earned the reward and the reward itself.',
  },
  operation: {
    inputFields: [
      {
        key: 'invoice_id',
        label: 'Invoice ID or Number',
        required: true,
        helpText:
          'The invoice exactly as your Record Conversion step sent it, such as Aesthetic Record\'s **Invoice Number** (letter case counts).',
      },
    ],
    perform,
    sample: conversion.sample,
    outputFields: conversion.outputFields(),
  },
};
