import { CREDENTIAL_TYPE, SIGNING_ALGORITHMS } from '@clubpass/shared';

/** The discovery document of `GET /.well-known/clubpass` (PROTOCOL.md §2). */
export interface DiscoveryDocument {
  issuer: string;
  jwks_uri: string;
  directory_uri: string;
  catalog_uri: string;
  credential_endpoint: string;
  nonce_endpoint: string;
  verification_endpoint: string;
  redemption_endpoint: string;
  invoice_endpoint: string;
  snippet_uri: string;
  signing_alg_values_supported: string[];
  credential_type: string;
}

/**
 * Builds the discovery document from the club's public URL. Every URL is absolute and built from
 * the configured issuer, never from request headers, so a forged `Host` cannot redirect clients.
 */
export function discoveryDocument(issuer: string): DiscoveryDocument {
  const base = issuer.replace(/\/+$/, '');
  return {
    issuer,
    jwks_uri: `${base}/.well-known/jwks.json`,
    directory_uri: `${base}/v1/directory`,
    catalog_uri: `${base}/v1/catalog`,
    credential_endpoint: `${base}/v1/credentials`,
    nonce_endpoint: `${base}/v1/nonces`,
    verification_endpoint: `${base}/v1/verifications`,
    redemption_endpoint: `${base}/v1/redemptions`,
    invoice_endpoint: `${base}/v1/invoices`,
    snippet_uri: `${base}/snippet/v1.js`,
    signing_alg_values_supported: [...SIGNING_ALGORITHMS],
    credential_type: CREDENTIAL_TYPE,
  };
}
