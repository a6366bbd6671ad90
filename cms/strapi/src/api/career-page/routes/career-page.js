'use strict';

// Core REST routes: GET/POST /api/career-pages, GET/PUT/DELETE /api/career-pages/:id
// (":id" is the documentId in Strapi 5).
const { factories } = require('@strapi/strapi');

module.exports = factories.createCoreRouter('api::career-page.career-page');
