// The Magento sandbox's own OAuth 1.0a verifier against the requests printed in RFC 5849, taken
// as raw HTTP (request-target, Host, Authorization, body), and against the sandbox's
// authenticator. It shares no code with the connector's signer, so a client mistake shows up as
// a refused request in the integration tests instead of being signed and checked the same way.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SandboxAuthenticator } from '../../sandbox/magento/auth';
import { baseString, hmacSignature, oauthHeaderParams, rfc3986 } from '../../sandbox/magento/oauth-verifier';

describe('sandbox OAuth 1.0a verifier (RFC 5849)', () => {
  test('section 1.2: the photos request verifies with its HMAC-SHA1 signature', () => {
    // GET /photos?file=vacation.jpg&size=original HTTP/1.1, Host: photos.example.net
    const header = 'OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03", oauth_token="nnch734d00sl2jdk", ' +
      'oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131202", oauth_nonce="chapoH", oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D"';
    const protocol = oauthHeaderParams(header);
    assert.ok(protocol);
    assert.equal(protocol.find(([k]) => k === 'realm'), undefined, 'realm is not signed');
    const base = baseString({ method: 'GET', target: '/photos?file=vacation.jpg&size=original', host: 'photos.example.net' }, protocol);
    assert.equal(base, 'GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131202%26oauth_token%3Dnnch734d00sl2jdk%26size%3Doriginal');
    const sent = protocol.find(([k]) => k === 'oauth_signature')?.[1];
    assert.equal(hmacSignature(base, 'kd94hf93k423kf44', 'pfkkdhi9sl3r4s00', 'HMAC-SHA1'), sent);
    assert.notEqual(hmacSignature(base, 'kd94hf93k423kf44', 'wrong-secret', 'HMAC-SHA1'), sent);
  });

  test('section 3.4.1.1: the base string of the POST with query, form body and duplicates', () => {
    const header = 'OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", oauth_token="kkk9d7dh3k39sjv7", ' +
      'oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", oauth_signature="bYT5CMsGcbgUdFHObYMEfcx6bsw%3D"';
    const base = baseString(
      { method: 'POST', target: '/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b', host: 'example.com', formBody: 'c2&a3=2+q' },
      oauthHeaderParams(header)!,
    );
    assert.equal(
      base,
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    );
  });

  test('section 3.4.1.2 and 3.6: host and scheme lower-cased, default port dropped, UTF-8 upper-case hex', () => {
    const base = baseString({ method: 'get', target: '/r%20v/X?id=123', host: 'EXAMPLE.COM:80' }, []);
    assert.equal(base, 'GET&http%3A%2F%2Fexample.com%2Fr%2520v%2FX&id%3D123');
    assert.match(baseString({ method: 'GET', target: '/', host: 'www.example.net:8080', scheme: 'https' }, []), /^GET&https%3A%2F%2Fwww\.example\.net%3A8080%2F&$/);
    assert.equal(rfc3986("AZaz09-._~ !*'()/+Müller"), 'AZaz09-._~%20%21%2A%27%28%29%2F%2BM%C3%BCller');
  });

  test('a header that is not OAuth or not well formed is refused', () => {
    assert.equal(oauthHeaderParams('Bearer abc'), null);
    assert.equal(oauthHeaderParams('OAuth oauth_token=unquoted'), null);
  });

  test('the authenticator accepts the RFC request signed with its credentials, once, and refuses changes', () => {
    const auth = new SandboxAuthenticator(
      { consumerKey: 'dpf43f3p2l4k3l03', consumerSecret: 'kd94hf93k423kf44', accessToken: 'nnch734d00sl2jdk', accessTokenSecret: 'pfkkdhi9sl3r4s00' },
      false,
      () => 137131202,
    );
    const authorization = 'OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03", oauth_token="nnch734d00sl2jdk", ' +
      'oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131202", oauth_nonce="chapoH", oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D"';
    const request = (url: string) => ({ method: 'GET', url, headers: { host: 'photos.example.net', authorization } }) as unknown as IncomingMessage;
    assert.equal(auth.authenticate(request('/photos?file=vacation.jpg&size=small')), false, 'a changed query');
    assert.equal(auth.authenticate(request('/photos?file=vacation.jpg&size=original')), true);
    assert.equal(auth.authenticate(request('/photos?file=vacation.jpg&size=original')), false, 'a replayed nonce');
  });

  test('the sandbox does not import the connector\'s signer', () => {
    for (const file of ['auth.ts', 'oauth-verifier.ts']) {
      const source = readFileSync(join(__dirname, '..', '..', 'sandbox', 'magento', file), 'utf8');
      assert.doesNotMatch(source, /from '[^']*integrations\/magento\/oauth1'/, file);
    }
  });
});
