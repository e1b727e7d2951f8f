'use strict';

const { redeemedReward, reward } = require('../lib/shapes');
const { eventHook } = require('../lib/event-hook');

module.exports = {
  key: 'reward_redeemed',
  noun: 'Reward',
  display: {
    label: 'Reward Redeemed',
    description: "Triggers when an advocate's reward is redeemed at the front desk.",
  },
  operation: eventHook({
    event: 'reward.redeemed',
    id: 'evt_01JDZ2W7K5HX8P3Q0R6T9V4MBC',
    at: '2026-12-02T10:30:00Z',
    data: redeemedReward,
    outputFields: reward.outputFields('data__'),
  }),
};
