import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWebhookSender } from '../../../server/outgoing-webhooks/sender';
import { isPublicAddress, refusalOfUrl } from '../../../server/platform/http/outbound-destinations';
import { startWebhookReceiver } from './webhook-receiver';

const strict = { allowPrivate: false, httpsOnly: true };

describe('where outgoing webhooks may go', () => {
  it.each([
    ['127.0.0.1', false],
    ['10.0.0.8', false],
    ['172.16.4.1', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['224.0.0.1', false],
    ['0.0.0.0', false],
    ['::1', false],
    ['fe80::1', false],
    ['fd00::1', false],
    ['::ffff:127.0.0.1', false],
    ['93.184.216.34', true],
    ['2606:4700::1111', true],
  ])('%s is public: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });

  it('in production only https, never an address literal that is not public, never credentials', () => {
    expect(refusalOfUrl('http://hooks.example.com/x', strict)).toMatch(/https/);
    expect(refusalOfUrl('https://[::1]/x', strict)).toMatch(/not a public address/);
    expect(refusalOfUrl('https://169.254.169.254/latest', strict)).toMatch(/not a public address/);
    expect(refusalOfUrl('https://user:pw@hooks.example.com/x', strict)).toMatch(/credentials/);
    expect(refusalOfUrl('https://hooks.example.com/x', strict)).toBeNull();
    expect(refusalOfUrl('http://127.0.0.1:8080/x', { allowPrivate: true, httpsOnly: true })).toBeNull();
  });

  it('a receiver that never answers is given up on after the timeout', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const send = createWebhookSender({ rules: { allowPrivate: true, httpsOnly: false }, timeoutMs: 300 });
      const attempt = await send(
        { url: `http://127.0.0.1:${port}/`, secret: 's', eventId: 'evt_2', type: 'message.sent', body: '{}' },
        new Date(),
      );
      expect(attempt).toMatchObject({ delivered: false, error: 'No answer within 300 ms.' });
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('a name that resolves to loopback is refused when the attempt is made, and nothing is sent', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const port = new URL(receiver.url).port;
      const send = createWebhookSender({
        rules: { allowPrivate: false, httpsOnly: false },
        timeoutMs: 2_000,
      });
      const attempt = await send(
        {
          url: `http://localhost:${port}/hooks`,
          secret: 's',
          eventId: 'evt_1',
          type: 'message.sent',
          body: '{}',
        },
        new Date(),
      );
      expect(attempt).toMatchObject({ delivered: false });
      expect(attempt.error).toMatch(/^Refused: localhost resolves to .*not a public address/);
      expect(receiver.received).toHaveLength(0);
    } finally {
      await receiver.stop();
    }
  });
});
