'use strict';

const { reward } = require('../lib/shapes');
const { text } = require('../lib/mapping');

// Find Reward looks a reward up by its code, whatever its status; an unknown code is an
// empty result.
const perform = async (z, bundle) => {
  const code = text(bundle.inputData.code);
  if (!code) {
    throw new z.errors.Error('Fill in Reward Code to find a reward.', 'validation-failed', 422);
  }
  const response = await z.request({ method: 'GET', url: '/v1/rewards', params: { code, limit: 1 } });
  return response.data.data.slice(0, 1);
};

module.exports = {
  key: 'find_reward',
  noun: 'Reward',
  display: {
    label: 'Find Reward',
    description: "Finds a reward by its code, with its status and the advocate it belongs to.",
  },
  operation: {
    inputFields: [
      {
        key: 'code',
        label: 'Reward Code',
        required: true,
        dynamic: 'reward_list.code.label',
        helpText:
          'Choose a reward not yet redeemed, or map a reward code such as `AL-7Q3MX9TB` (letter case does not matter), for example a discount code from your checkout.',
      },
    ],
    perform,
    sample: reward.sample,
    outputFields: reward.outputFields(),
  },
};
