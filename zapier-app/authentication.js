'use strict';

const { DEFAULT_BASE_URL } = require('./middleware');

// API-key authentication: the key is checked by GET /v1/me, and the connection is labelled
// with the practice's name so a user with several practices can tell them apart.
const test = async (z) => {
  const response = await z.request({ method: 'GET', url: '/v1/me' });
  return response.data;
};

module.exports = {
  type: 'custom',
  fields: [
    {
      key: 'apiKey',
      label: 'API Key',
      type: 'password',
      required: true,
      helpText:
        'Create a key in your AdvocateLoop dashboard under **Settings → API keys** ' +
        `([${DEFAULT_BASE_URL}/app/settings](${DEFAULT_BASE_URL}/app/settings), or \`/app/settings\` on your own server). ` +
        'It starts with `al_live_` and is shown only once.',
    },
    {
      key: 'baseUrl',
      label: 'AdvocateLoop Address',
      type: 'string',
      required: false,
      default: DEFAULT_BASE_URL,
      helpText:
        `Leave as \`${DEFAULT_BASE_URL}\` unless your practice runs its own AdvocateLoop server: ` +
        'then enter that server\'s address, such as `https://refer.glowaesthetics.com`.',
    },
  ],
  test,
  connectionLabel: (z, bundle) => bundle.inputData.name,
};
