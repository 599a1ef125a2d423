// The S3-compatible server of the storage-s3 tests: s3rver on 127.0.0.1, a free port, one bucket.
// Prints {"port": N} once listening; stops when its standard input closes (the test JVM ended).
// Usage: node server.js <data-dir> <bucket>
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const S3rver = require('s3rver');

const [directory, bucket] = process.argv.slice(2);
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory,
  configureBuckets: [{ name: bucket }],
});

// s3rver 3.7 lacks AbortMultipartUpload (DELETE /<bucket>/<key>?uploadId=...): free the upload's parts the
// way its own CompleteMultipartUpload does, and answer NoSuchUpload for an unknown upload, as S3 does.
server.middleware.unshift(async (ctx, next) => {
  const [, name] = ctx.path.split('/');
  if (ctx.method !== 'DELETE' || !('uploadId' in ctx.query) || !name) {
    return next();
  }
  const dir = path.join(server.store.getResourcePath(decodeURIComponent(name), undefined, 'uploads'),
    path.basename(String(ctx.query.uploadId)));
  if (!fs.existsSync(dir)) {
    ctx.status = 404;
    ctx.type = 'application/xml';
    ctx.body = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchUpload</Code>'
      + '<Message>The specified upload does not exist.</Message></Error>';
    return;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  ctx.status = 204;
});

// s3rver 3.7 accepts any V4 signature ("calculation is unimplemented"). Presigned URLs (query V4) are
// what binds a client's PUT to a key, a length and an expiry, so verify them as S3 does; s3rver itself
// still checks their expiry afterwards. Requests signed in the Authorization header pass as before.
const SECRETS = { S3RVER: 'S3RVER' };
const rfc3986 = s => encodeURIComponent(s).replace(/[!'()*]/g, c => '%' + c.charCodeAt(0).toString(16).toUpperCase());
const hmac = (key, text) => crypto.createHmac('sha256', key).update(text, 'utf8').digest();
server.middleware.unshift(async (ctx, next) => {
  const q = ctx.query;
  if (q['X-Amz-Algorithm'] !== 'AWS4-HMAC-SHA256' || !q['X-Amz-Signature']) {
    return next();
  }
  const [accessKey, day, region, service] = String(q['X-Amz-Credential']).split('/');
  const signedHeaders = String(q['X-Amz-SignedHeaders']).split(';');
  const query = Object.keys(q).filter(k => k !== 'X-Amz-Signature').sort()
    .map(k => rfc3986(k) + '=' + rfc3986(String(q[k]))).join('&');
  const headers = signedHeaders.map(h => h + ':' + String(ctx.get(h)).trim().replace(/\s+/g, ' ') + '\n').join('');
  const canonical = [ctx.method, ctx.path, query, headers, signedHeaders.join(';'),
    q['X-Amz-Content-Sha256'] || 'UNSIGNED-PAYLOAD'].join('\n');
  const scope = [day, region, service, 'aws4_request'].join('/');
  const toSign = ['AWS4-HMAC-SHA256', q['X-Amz-Date'], scope,
    crypto.createHash('sha256').update(canonical, 'utf8').digest('hex')].join('\n');
  const key = [day, region, service, 'aws4_request'].reduce(hmac, 'AWS4' + (SECRETS[accessKey] || ''));
  if (hmac(key, toSign).toString('hex') !== q['X-Amz-Signature']) {
    ctx.status = 403;
    ctx.type = 'application/xml';
    ctx.body = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code>'
      + '<Message>The request signature we calculated does not match the signature you provided.</Message></Error>';
    return;
  }
  return next();
});

server.run().then(({ port }) => {
  process.stdout.write(JSON.stringify({ port }) + '\n');
});

process.stdin.on('end', () => server.close().finally(() => process.exit(0)));
process.stdin.resume();
