import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { baseStringUri, parseAuthorizationHeader, percentEncode, signatureBaseString, signRequest } from '../../integrations/magento/oauth1';
import { buildPath, ROUTES } from '../../integrations/magento/routes';

describe('OAuth 1.0a (RFC 5849)', () => {
  test('percent-encoding keeps only unreserved characters, upper-case hex, UTF-8', () => {
    assert.equal(percentEncode("AZaz09-._~ !*'()/?#[]@&=+%"), "AZaz09-._~%20%21%2A%27%28%29%2F%3F%23%5B%5D%40%26%3D%2B%25");
    assert.equal(percentEncode('Müller'), 'M%C3%BCller');
  });

  test('base string URI: lower-case scheme and host, default port dropped, query removed', () => {
    assert.equal(baseStringUri('HTTP://EXAMPLE.com:80/r%20v/X?id=123'), 'http://example.com/r%20v/X');
    assert.equal(baseStringUri('https://www.example.net:8080/?q=1'), 'https://www.example.net:8080/');
  });

  test('the signature base string of RFC 5849 section 3.4.1.1', () => {
    const url = 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b';
    const base = signatureBaseString('POST', url, [
      ...new URL(url).searchParams.entries(),
      ['c2', ''],
      ['a3', '2 q'],
      ['oauth_consumer_key', '9djdj82h48djs9d2'],
      ['oauth_token', 'kkk9d7dh3k39sjv7'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '137131201'],
      ['oauth_nonce', '7d8f3e4a'],
    ]);
    assert.equal(
      base,
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    );
  });

  test('a published HMAC-SHA1 signature (Twitter API documentation example)', () => {
    const signed = signRequest({
      method: 'POST',
      url: 'https://api.twitter.com/1.1/statuses/update.json?include_entities=true',
      bodyParams: [['status', 'Hello Ladies + Gentlemen, a signed OAuth request!']],
      credentials: {
        consumerKey: 'xvz1evFS4wEEPTGEFPHBog',
        consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
        token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
        tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
      },
      signatureMethod: 'HMAC-SHA1',
      nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg',
      timestamp: 1318622958,
    });
    assert.equal(signed.signature, 'hCtSmYh+iHYCEqBWrE7C7hYmtUk=');
  });

  test('HMAC-SHA256 by default; the header carries every protocol parameter, encoded', () => {
    const signed = signRequest({
      method: 'get',
      url: 'http://127.0.0.1:8081/rest/default/V1/products/GEAR%2F0010?searchCriteria%5BpageSize%5D=5',
      credentials: { consumerKey: 'ck', consumerSecret: 'cs', token: 'tk', tokenSecret: 'ts' },
      nonce: 'n1',
      timestamp: 1700000000,
    });
    assert.match(signed.baseString, /^GET&http%3A%2F%2F127\.0\.0\.1%3A8081%2Frest%2Fdefault%2FV1%2Fproducts%2FGEAR%252F0010&/);
    // The query parameter is signed, decoded then re-encoded.
    assert.ok(signed.baseString.includes('searchCriteria%255BpageSize%255D%3D5'));
    const header = new Map(parseAuthorizationHeader(signed.authorization));
    assert.equal(header.get('oauth_signature_method'), 'HMAC-SHA256');
    assert.equal(header.get('oauth_signature'), signed.signature);
    assert.equal(Buffer.from(signed.signature, 'base64').length, 32);
    assert.equal(header.get('oauth_version'), '1.0');
  });

  test('a different secret gives a different signature', () => {
    const sign = (secret: string) =>
      signRequest({ method: 'GET', url: 'http://h/x', credentials: { consumerKey: 'k', consumerSecret: secret, token: 't', tokenSecret: 's' }, nonce: 'n', timestamp: 1 }).signature;
    assert.notEqual(sign('a'), sign('b'));
  });
});

describe('path building', () => {
  test('reserved characters in a SKU stay inside one path segment', () => {
    assert.equal(buildPath(ROUTES.products.get, { sku: 'GEAR/0010' }), '/V1/products/GEAR%2F0010');
    assert.equal(buildPath(ROUTES.products.get, { sku: 'A B?#%&+' }), '/V1/products/A%20B%3F%23%25%26%2B');
    assert.equal(buildPath(ROUTES.stock.updateStockItem, { productSku: 'X/1', itemId: 7 }), '/V1/products/X%2F1/stockItems/7');
  });

  test('a missing path parameter is a programming error, not a request', () => {
    assert.throws(() => buildPath(ROUTES.orders.get, {}), /missing path parameter "id"/);
  });
});
