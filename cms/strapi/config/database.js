'use strict';

const path = require('path');

// SQLite only. DATABASE_FILENAME may be absolute or relative to this app's root.
module.exports = ({ env }) => ({
  connection: {
    client: 'sqlite',
    connection: {
      filename: path.resolve(__dirname, '..', env('DATABASE_FILENAME', '.tmp/data.db')),
    },
    useNullAsDefault: true,
  },
});
