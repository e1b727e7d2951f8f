'use strict';

const { referral, listedReferral } = require('../lib/shapes');
const { text } = require('../lib/mapping');

// Find Referral looks up the friend's referral by the email they claimed it with (one per
// friend per practice); none is an empty result.
const perform = async (z, bundle) => {
  const email = text(bundle.inputData.friend_email);
  if (!email) {
    throw new z.errors.Error('Fill in Friend Email to find a referral.', 'validation-failed', 422);
  }
  const response = await z.request({ method: 'GET', url: '/v1/referrals', params: { friend_email: email, limit: 1 } });
  // A list's friend_offer is always null (the offer belongs to the claim): left out, not shown empty.
  return response.data.data.slice(0, 1).map(({ friend_offer: _offer, ...listed }) => listed);
};

module.exports = {
  key: 'find_referral',
  noun: 'Referral',
  display: {
    label: 'Find Referral',
    description: "Finds a friend's referral by the friend's email, with the advocate who referred them.",
  },
  operation: {
    inputFields: [
      {
        key: 'friend_email',
        label: 'Friend Email',
        required: true,
        helpText:
          "The referred friend's email, such as Aesthetic Record's **Patient Email** (letter case and spaces do not matter).",
      },
    ],
    perform,
    sample: listedReferral,
    outputFields: referral.outputFields('', { withOffer: false }),
  },
};
