'use strict';

const { factories } = require('@strapi/strapi');

const UID = 'api::career-page.career-page';

module.exports = factories.createCoreController(UID, ({ strapi }) => ({
  /**
   * POST /api/guides/:documentId/unpublish
   * 200 {data: <draft version after unpublishing>, meta: {}}
   * 404 {data: null, error: {status: 404, name: 'NotFoundError', message, details: {}}}
   */
  async unpublish(ctx) {
    const { documentId } = ctx.params;
    const documents = strapi.documents(UID);

    // Every document of a draftAndPublish type has a draft version, so a
    // missing draft means the document does not exist.
    const existing = await documents.findOne({ documentId, status: 'draft' });
    if (!existing) {
      return ctx.notFound(`No career page with documentId ${documentId}`);
    }

    await documents.unpublish({ documentId });

    const draft = await documents.findOne({ documentId, status: 'draft' });
    const sanitized = await this.sanitizeOutput(draft, ctx);
    return this.transformResponse(sanitized);
  },
}));
