'use strict';

// The REST-hook operation behind every trigger: Zapier subscribes a URL to one event type,
// AdvocateLoop POSTs each event of that type to it, and performList shows recent events of the
// same type in exactly the delivered shape, so sample data and live data map the same way.

const { field } = require('./shapes');
const { problemError } = require('../middleware');

// The Event envelope's own fields, before those of its `data`.
const eventFields = () => [
  field('id', 'Event ID', 'string', true),
  field('type', 'Event Type', 'string', true),
  field('created_at', 'Event Time', 'datetime', true),
];

const eventHook = ({ event, id, at, data, outputFields }) => ({
  type: 'hook',

  performSubscribe: async (z, bundle) => {
    const response = await z.request({
      method: 'POST',
      url: '/v1/hooks',
      body: { event, target_url: bundle.targetUrl },
    });
    return response.data;
  },

  // A subscription AdvocateLoop already removed (its URL answered 410) is as good as deleted.
  performUnsubscribe: async (z, bundle) => {
    const hookId = (bundle.subscribeData && bundle.subscribeData.id) || '';
    const response = await z.request({
      method: 'DELETE',
      url: `/v1/hooks/${encodeURIComponent(hookId)}`,
      skipThrowForStatus: true,
    });
    if (response.status === 404) {
      return { id: hookId, deleted: false, status: response.status };
    }
    if (response.status >= 400) {
      throw problemError(z, response);
    }
    return { id: hookId, deleted: true, status: response.status };
  },

  // The delivered Event, unchanged: its id is the event id, stable across retries.
  perform: async (z, bundle) => [bundle.cleanedRequest],

  performList: async (z, bundle) => {
    const response = await z.request({
      method: 'GET',
      url: '/v1/events',
      params: { type: event, limit: 10 },
    });
    return response.data.data;
  },

  sample: { id, type: event, created_at: at, data },
  outputFields: [...eventFields(), ...outputFields],
});

module.exports = { eventHook };
