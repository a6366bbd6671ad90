'use strict';

module.exports = ({ env }) => [
  'strapi::logger',
  'strapi::errors',
  'strapi::security',
  'strapi::cors',
  'strapi::poweredBy',
  'strapi::query',
  {
    name: 'strapi::body',
    config: {
      // A whole guide is sent as JSON in one request; Strapi's default is 1mb.
      jsonLimit: env('STRAPI_JSON_LIMIT', '10mb'),
      formLimit: env('STRAPI_JSON_LIMIT', '10mb'),
      textLimit: env('STRAPI_JSON_LIMIT', '10mb'),
    },
  },
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
];
