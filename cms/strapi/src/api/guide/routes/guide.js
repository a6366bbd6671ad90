'use strict';

// Core REST routes: GET/POST /api/guides, GET/PUT/DELETE /api/guides/:id
// (":id" is the documentId in Strapi 5).
const { factories } = require('@strapi/strapi');

module.exports = factories.createCoreRouter('api::guide.guide');
