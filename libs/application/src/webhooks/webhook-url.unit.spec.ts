import { checkWebhookUrl } from './webhook-url';

describe('webhook receiver URLs', () => {
  it.each([
    ['https://hooks.example.com/rapport', null],
    ['http://10.0.0.7:8080/in?team=crm', null],
    ['http://127.0.0.1:3000/hook', null],
  ])('accepts %s (private networks are the operator’s choice)', (url, expected) => {
    expect(checkWebhookUrl(url)).toBe(expected);
  });

  it.each([
    ['hooks.example.com/rapport', 'url.absolute'],
    ['ftp://hooks.example.com/x', 'url.scheme'],
    ['javascript:alert(1)', 'url.scheme'],
    ['file:///etc/passwd', 'url.scheme'],
    ['https://user:pw@hooks.example.com/x', 'url.no_credentials'],
    ['https://token@hooks.example.com/x', 'url.no_credentials'],
    ['https://hooks.example.com/x#part', 'url.no_fragment'],
    [`https://hooks.example.com/${'a'.repeat(2050)}`, 'url.too_long'],
  ])('refuses %s with %s', (url, rule) => {
    expect(checkWebhookUrl(url)?.rule).toBe(rule);
  });
});
