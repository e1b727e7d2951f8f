'use strict';

const packageJson = require('./package.json');
const zapier = require('zapier-platform-core');

const authentication = require('./authentication');
const middleware = require('./middleware');

const newAdvocate = require('./triggers/new_advocate');
const newReferral = require('./triggers/new_referral');
const newConversion = require('./triggers/new_conversion');
const conversionReversed = require('./triggers/conversion_reversed');
const rewardRedeemed = require('./triggers/reward_redeemed');
const rewardIssued = require('./triggers/reward_issued');
const advocateList = require('./triggers/advocate_list');
const rewardList = require('./triggers/reward_list');

const recordConversion = require('./creates/record_conversion');
const reverseConversion = require('./creates/reverse_conversion');
const createAdvocate = require('./creates/create_advocate');
const createReferral = require('./creates/create_referral');
const redeemReward = require('./creates/redeem_reward');

const findAdvocate = require('./searches/find_advocate');
const findReferral = require('./searches/find_referral');
const findConversion = require('./searches/find_conversion');
const findReward = require('./searches/find_reward');

const byKey = (...operations) => Object.fromEntries(operations.map((o) => [o.key, o]));

module.exports = {
  version: packageJson.version,
  platformVersion: zapier.version,

  authentication,
  beforeRequest: middleware.befores,
  afterResponse: middleware.afters,
  // Let afterResponse turn 429 into a ThrottledError that explains itself and keeps Retry-After.
  flags: { throwForThrottlingEarly: false },

  // advocate_list and reward_list are hidden: they fill the advocate and reward dropdowns.
  triggers: byKey(newAdvocate, newReferral, newConversion, conversionReversed, rewardIssued, rewardRedeemed, advocateList, rewardList),
  creates: byKey(recordConversion, reverseConversion, createAdvocate, createReferral, redeemReward),
  searches: byKey(findAdvocate, findReferral, findConversion, findReward),
  searchOrCreates: {
    [findAdvocate.key]: {
      key: findAdvocate.key,
      display: {
        label: 'Find or Create Advocate',
        description: 'Finds an advocate by email (or referral code or ID), or creates one when there is none.',
      },
      search: findAdvocate.key,
      create: createAdvocate.key,
    },
  },
};
