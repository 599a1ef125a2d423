// The S3-compatible server of the storage-s3 tests and of the e2e suites on S3: s3rver on 127.0.0.1, a free port,
// one bucket.
// s3rver lacks four things S3 has, added below: V4 verification of presigned URLs, AbortMultipartUpload,
// UploadPartCopy, and CompleteMultipartUpload's check of the parts named. The bucket has the CORS rule the README asks of a bucket that browsers upload to directly
// (presigned PUTs from any origin, ETag exposed), as the e2e suites' preflights need. Prints {"port": N} once
// listening; stops when its standard input closes (the test JVM ended).
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
  configureBuckets: [{ name: bucket, configs: [
    '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PUT</AllowedMethod>'
    + '<AllowedMethod>GET</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader>'
    + '<MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule></CORSConfiguration>',
  ] }],
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
// still checks their expiry afterwards. Requests signed in the Authorization header pass as before, and so do CORS
// preflights: a browser sends OPTIONS to the presigned URL itself, and S3 answers those from the CORS rules alone.
const SECRETS = { S3RVER: 'S3RVER' };
const rfc3986 = s => encodeURIComponent(s).replace(/[!'()*]/g, c => '%' + c.charCodeAt(0).toString(16).toUpperCase());
const hmac = (key, text) => crypto.createHmac('sha256', key).update(text, 'utf8').digest();
server.middleware.unshift(async (ctx, next) => {
  const q = ctx.query;
  if (ctx.method === 'OPTIONS' || q['X-Amz-Algorithm'] !== 'AWS4-HMAC-SHA256' || !q['X-Amz-Signature']) {
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

// s3rver 3.7 lacks UploadPartCopy (PUT ...?partNumber=N&uploadId=U with x-amz-copy-source): copy the source's
// byte range into the part file as its own UploadPart would store it, so that copies in parts can be tested.
server.middleware.unshift(async (ctx, next) => {
  const source = ctx.get('x-amz-copy-source');
  if (ctx.method !== 'PUT' || !source || !('uploadId' in ctx.query) || !('partNumber' in ctx.query)) {
    return next();
  }
  const [, bucket] = ctx.path.split('/');
  const [srcBucket, ...srcKey] = decodeURIComponent(source).replace(/^\//, '').split('/');
  const file = server.store.getResourcePath(srcBucket, srcKey.join('/'), 'object');
  if (!fs.existsSync(file)) {
    ctx.status = 404;
    ctx.type = 'application/xml';
    ctx.body = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>no source</Message></Error>';
    return;
  }
  const size = fs.statSync(file).size;
  const range = /^bytes=(\d+)-(\d+)$/.exec(ctx.get('x-amz-copy-source-range'));
  const [start, end] = range ? [Number(range[1]), Number(range[2])] : [0, size - 1];
  const bytes = Buffer.alloc(end - start + 1);
  const fd = fs.openSync(file, 'r');
  fs.readSync(fd, bytes, 0, bytes.length, start);
  fs.closeSync(fd);
  const dir = path.join(server.store.getResourcePath(bucket, undefined, 'uploads'),
    path.basename(String(ctx.query.uploadId)));
  const md5 = crypto.createHash('md5').update(bytes).digest('hex');
  fs.writeFileSync(path.join(dir, String(Number(ctx.query.partNumber))), bytes);
  fs.writeFileSync(path.join(dir, Number(ctx.query.partNumber) + '.md5'), md5);
  ctx.type = 'application/xml';
  ctx.body = '<?xml version="1.0" encoding="UTF-8"?>\n<CopyPartResult><LastModified>'
    + new Date().toISOString() + '</LastModified><ETag>"' + md5 + '"</ETag></CopyPartResult>';
});

// s3rver 3.7 completes a multipart upload with whatever parts it is told, unchecked: a part never uploaded even kills
// the process (an unhandled stream error). S3 answers 400 InvalidPart when a part is missing or its ETag is not the
// stored part's, and InvalidPartOrder when the numbers are not ascending; check that before s3rver assembles.
const S3Error = require('s3rver/lib/models/error');
const putObjectMultipart = server.store.putObjectMultipart.bind(server.store);
server.store.putObjectMultipart = async (bucketName, uploadId, parts) => {
  const dir = path.join(server.store.getResourcePath(bucketName, undefined, 'uploads'), path.basename(String(uploadId)));
  let previous = 0;
  for (const { number, etag } of parts) {
    if (!(number > previous)) {
      throw new S3Error('InvalidPartOrder', 'The list of parts was not in ascending order.');
    }
    previous = number;
    const md5 = path.join(dir, number + '.md5');
    if (!fs.existsSync(md5) || fs.readFileSync(md5, 'utf8') !== etag) {
      throw new S3Error('InvalidPart', 'One or more of the specified parts could not be found.');
    }
  }
  return putObjectMultipart(bucketName, uploadId, parts);
};

server.run().then(({ port }) => {
  process.stdout.write(JSON.stringify({ port }) + '\n');
});

process.stdin.on('end', () => server.close().finally(() => process.exit(0)));
process.stdin.resume();
