'use strict';

const { redeemedReward, reward } = require('../lib/shapes');
const { text } = require('../lib/mapping');

// Redeem Reward marks an advocate's reward used, for example when a discount code is applied
// at checkout in another system.
const perform = async (z, bundle) => {
  const code = text(bundle.inputData.code) || '';
  const response = await z.request({
    method: 'POST',
    url: `/v1/rewards/${encodeURIComponent(code)}/redeem`,
  });
  return response.data;
};

module.exports = {
  key: 'redeem_reward',
  noun: 'Reward',
  display: {
    label: 'Redeem Reward',
    description:
      "Marks an advocate's reward as used, by its code. A reward can be redeemed once, and never after a refund voided it.",
  },
  operation: {
    inputFields: [
      {
        key: 'code',
        label: 'Reward Code',
        required: true,
        dynamic: 'reward_list.code.label',
        search: 'find_reward.code',
        helpText:
          'The reward code applied at checkout, such as `AL-7Q3MX9TB` (letter case does not matter): map the discount code field of your checkout trigger, or choose a reward not yet redeemed.',
      },
    ],
    perform,
    sample: redeemedReward,
    outputFields: reward.outputFields(),
  },
};
