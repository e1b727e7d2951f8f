'use strict';

// The perform of a hidden trigger that fills a dynamic dropdown, one page of an API list at a
// time. Zapier counts the pages it asked for in bundle.meta.page (0 first) and keeps, between
// them, the API's next_cursor in z.cursor (canPaginate); an empty cursor means the last page
// was shown.

const MAX_PAGE = 100; // the API's largest `limit`

// pageSize honours bundle.meta.limit (Zapier: "the number of items you should fetch", -1
// for no limit) within what the API allows.
const pageSize = (meta = {}) => {
  const limit = Number(meta.limit);
  return Number.isInteger(limit) && limit > 0 ? Math.min(limit, MAX_PAGE) : MAX_PAGE;
};

// each turns an API item into the dropdown's item (by default, the item itself).
const pagedList = (url, params = {}, each = (item) => item) => async (z, bundle) => {
  const meta = bundle.meta || {};
  const query = { ...params, limit: pageSize(meta) };
  if (meta.page > 0) {
    const cursor = await z.cursor.get();
    if (!cursor) {
      return [];
    }
    query.cursor = cursor;
  }
  const response = await z.request({ method: 'GET', url, params: query });
  await z.cursor.set(response.data.next_cursor || '');
  return response.data.data.map(each);
};

module.exports = { pagedList, pageSize };
