/**
 * The link that hands a link credential to the affiliate's site (PROTOCOL.md §9): its
 * `redeem_url` with `#clubpass=<credential>`. The credential travels in the fragment so it never
 * reaches a server log or a `Referer` header; an existing fragment of `redeem_url` is replaced.
 *
 * @returns null when the affiliate has no `redeem_url`: the member then shows the credential as
 *   a QR code at the counter instead.
 */
export function credentialLink(redeemUrl: string | null, credential: string): string | null {
  if (redeemUrl === null) return null;
  const [base] = redeemUrl.split('#');
  return `${base}#clubpass=${credential}`;
}
