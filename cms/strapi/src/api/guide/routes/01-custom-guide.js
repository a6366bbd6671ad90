'use strict';

// Strapi 5's core REST API cannot unpublish. This route unpublishes a document
// (deletes its published version, keeps the draft). It uses the default
// content-API auth (API token; scope api::guide.guide.unpublish), which a
// full-access token satisfies.
module.exports = {
  routes: [
    {
      method: 'POST',
      path: '/guides/:documentId/unpublish',
      handler: 'api::guide.guide.unpublish',
      config: {
        policies: [],
        middlewares: [],
      },
    },
  ],
};
