// node-fetch 2 requires whatwg-url only as a fallback for runtimes without a global URL
// (node-fetch/lib/index.js: `const URL = Url.URL || whatwgUrl.URL`). Node 20 has one, so the
// bundle maps the package here instead of carrying its 290 KB Unicode table.
export { URL } from 'node:url';
