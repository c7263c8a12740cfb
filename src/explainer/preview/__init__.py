"""The live preview (`invoke livereload`): `server` serves output/ and tells open pages to reload
(client script: `livereload.js`), `builder` rebuilds when a source changes."""
