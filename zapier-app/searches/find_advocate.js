'use strict';

const { advocate } = require('../lib/shapes');
const { text } = require('../lib/mapping');
const { problemError } = require('../middleware');

// Find Advocate looks an advocate up by ID, or by email and/or referral code; no match is an
// empty result, which lets search-or-create go on to Create Advocate.
const perform = async (z, bundle) => {
  const id = text(bundle.inputData.id);
  const email = text(bundle.inputData.email);
  const code = text(bundle.inputData.referral_code);
  if (id) {
    // Another practice's advocate, or none, is a 404: not found, not an error.
    const response = await z.request({
      method: 'GET',
      url: `/v1/advocates/${encodeURIComponent(id)}`,
      skipThrowForStatus: true,
    });
    if (response.status === 404) {
      return [];
    }
    if (response.status >= 400) {
      throw problemError(z, response);
    }
    return [response.data];
  }
  if (!email && !code) {
    throw new z.errors.Error(
      'Fill in Advocate, Email or Referral Code to find an advocate.',
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
    description: 'Finds an advocate by email, by referral code or by ID.',
  },
  operation: {
    inputFields: [
      {
        key: 'email',
        label: 'Email',
        helpText:
          "The advocate's email address (letter case does not matter). Fill in this, the Referral Code, or both; or choose the Advocate instead.",
      },
      {
        key: 'referral_code',
        label: 'Referral Code',
        dynamic: 'advocate_list.referral_code.name',
        helpText:
          "The advocate's 8-character referral code, such as `JANE7K2Q` (letter case does not matter): choose an advocate or map a code.",
      },
      {
        key: 'id',
        label: 'Advocate',
        dynamic: 'advocate_list.id.name',
        helpText:
          'Choose an advocate, or map an advocate ID (starts with `adv_`) from an earlier step. When filled in, Email and Referral Code are not used.',
      },
    ],
    perform,
    sample: advocate.sample,
    outputFields: advocate.outputFields(),
  },
};
