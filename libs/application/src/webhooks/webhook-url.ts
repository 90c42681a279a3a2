/** Why a receiver URL is refused, as a problem's rule and message. */
export interface UrlProblem {
  rule: string;
  message: string;
}

export const MAX_URL_LENGTH = 2048;

/**
 * A receiver URL the engine will POST to: absolute http(s), a host, no credentials (they would be
 * logged and shown back to every admin; use the signing secret instead), no fragment. Private and
 * loopback hosts are allowed on purpose: where receivers live is the operator's choice (see
 * docs/subscribing.md, "Security of outbound calls").
 */
export function checkWebhookUrl(value: string): UrlProblem | null {
  if (value.length > MAX_URL_LENGTH)
    return { rule: 'url.too_long', message: `url must be at most ${MAX_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { rule: 'url.absolute', message: 'url must be an absolute URL such as https://hooks.example.com/rapport' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { rule: 'url.scheme', message: `url must use https or http, not ${url.protocol.replace(/:$/, '')}` };
  if (url.username !== '' || url.password !== '')
    return {
      rule: 'url.no_credentials',
      message: 'url must not carry a user name or password; receivers verify the webhook-signature instead',
    };
  if (url.hostname === '') return { rule: 'url.host', message: 'url must name a host' };
  if (url.hash !== '') return { rule: 'url.no_fragment', message: 'url must not have a #fragment (it is never sent)' };
  return null;
}
