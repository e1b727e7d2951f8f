'use strict';

const { advocate } = require('../lib/shapes');
const { text } = require('../lib/mapping');

// Find Advocate looks an advocate up by email or referral code; no match is an empty result,
// which lets search-or-create go on to Create Advocate.
const perform = async (z, bundle) => {
  const email = text(bundle.inputData.email);
  const code = text(bundle.inputData.referral_code);
  if (!email && !code) {
    throw new z.errors.Error(
      'Fill in Email or Referral Code to find an advocate.',
      'validation-failed',
      422,
    );
  }
  const params = { limit: 1 };
  if (email) params.email = email;
  if (code) params.code = code;
  const response = await z.request({ method: 'GET', url: '/v1/advocates', params });
  return response.data.data.slice(0, 1);
};

module.exports = {
  key: 'find_advocate',
  noun: 'Advocate',
  display: {
    label: 'Find Advocate',
    description: 'Finds an advocate by email or by referral code.',
  },
  operation: {
    inputFields: [
      {
        key: 'email',
        label: 'Email',
        helpText:
          "The advocate's email address (letter case does not matter). Fill in this, the Referral Code, or both.",
      },
      {
        key: 'referral_code',
        label: 'Referral Code',
        helpText:
          "The advocate's 8-character referral code, such as `JANE7K2Q` (letter case does not matter).",
      },
    ],
    perform,
    sample: advocate.sample,
    outputFields: advocate.outputFields(),
  },
};
