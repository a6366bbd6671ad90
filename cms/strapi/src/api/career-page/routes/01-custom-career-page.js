'use strict';

// Strapi 5's core REST API cannot unpublish. This route unpublishes a document
// (deletes its published version, keeps the draft). It uses the default
// content-API auth (API token; scope api::career-page.career-page.unpublish), which a
// full-access token satisfies.
module.exports = {
  routes: [
    {
      method: 'POST',
      path: '/career-pages/:documentId/unpublish',
      handler: 'api::career-page.career-page.unpublish',
      config: {
        policies: [],
        middlewares: [],
      },
    },
  ],
};
