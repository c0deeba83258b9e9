// The OpenAPI 3.1 description of the club's HTTP API. A test compares its paths and methods with
// the routes the app really serves, so the two cannot drift apart.

type Auth = 'public' | 'member' | 'admin' | 'account' | 'affiliate';

interface Operation {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  summary: string;
  auth: Auth;
  tag: string;
  /** Main success status and what it returns. */
  success: [number, string];
  body?: Record<string, unknown>;
  headers?: string[];
}

const money = { $ref: '#/components/schemas/Money' };
const str = { type: 'string' };
const obj = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object',
  properties,
  required,
});

const OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/.well-known/clubpass',
    summary: 'Discovery document',
    auth: 'public',
    tag: 'discovery',
    success: [200, 'discovery'],
  },
  {
    method: 'get',
    path: '/.well-known/jwks.json',
    summary: 'The club public signing keys',
    auth: 'public',
    tag: 'discovery',
    success: [200, 'JWKS'],
  },
  {
    method: 'get',
    path: '/v1/directory',
    summary: 'Signed directory of affiliates (application/jwt)',
    auth: 'public',
    tag: 'discovery',
    success: [200, 'compact JWS'],
  },
  {
    method: 'get',
    path: '/snippet/v1.js',
    summary: 'The affiliate snippet (PROTOCOL.md §9)',
    auth: 'public',
    tag: 'discovery',
    success: [200, 'text/javascript'],
  },
  {
    method: 'get',
    path: '/v1/catalog',
    summary: 'Active benefits',
    auth: 'public',
    tag: 'members',
    success: [200, 'list of benefits'],
  },
  {
    method: 'post',
    path: '/v1/members',
    summary: 'Register a member',
    auth: 'public',
    tag: 'members',
    success: [201, 'the member'],
    body: obj(
      {
        email: str,
        password: str,
        given_name: str,
        family_name: str,
        phone_number: str,
        address: { $ref: '#/components/schemas/Address' },
      },
      ['email', 'password', 'given_name', 'family_name'],
    ),
  },
  {
    method: 'get',
    path: '/v1/members/me',
    summary: 'The signed-in member',
    auth: 'member',
    tag: 'members',
    success: [200, 'the member'],
  },
  {
    method: 'post',
    path: '/v1/sessions',
    summary: 'Sign in',
    auth: 'public',
    tag: 'members',
    success: [201, '{ token, expires_at, role }'],
    body: obj({ email: str, password: str }, ['email', 'password']),
  },
  {
    method: 'delete',
    path: '/v1/sessions/current',
    summary: 'Sign out',
    auth: 'account',
    tag: 'members',
    success: [204, 'signed out'],
  },
  {
    method: 'post',
    path: '/v1/credentials',
    summary: 'Get a credential for a benefit',
    auth: 'member',
    tag: 'members',
    success: [201, 'the credential (200 when an existing one is returned)'],
    body: obj({ benefit_id: str, holder_jwk: { type: 'object' }, pin: str }, ['benefit_id']),
  },
  {
    method: 'get',
    path: '/v1/credentials',
    summary: 'My credentials',
    auth: 'member',
    tag: 'members',
    success: [200, 'list of credentials'],
  },
  {
    method: 'post',
    path: '/v1/nonces',
    summary: 'A single-use nonce for one presentation',
    auth: 'affiliate',
    tag: 'affiliates',
    success: [201, '{ nonce, expires_at }'],
  },
  {
    method: 'post',
    path: '/v1/verifications',
    summary: 'Verify a presentation (changes nothing)',
    auth: 'affiliate',
    tag: 'affiliates',
    success: [200, 'the verified credential'],
    body: obj({ presentation: str, nonce: str, origin: str }, ['presentation']),
  },
  {
    method: 'post',
    path: '/v1/redemptions',
    summary: 'Redeem a presentation exactly once',
    auth: 'affiliate',
    tag: 'affiliates',
    success: [201, 'the redemption with its receipt'],
    body: obj({ presentation: str, nonce: str, origin: str, pin: str, order_ref: str, order_total: money }, [
      'presentation',
    ]),
    headers: ['Idempotency-Key'],
  },
  {
    method: 'get',
    path: '/v1/redemptions',
    summary: 'My redemptions (?since, ?until)',
    auth: 'affiliate',
    tag: 'affiliates',
    success: [200, 'list of redemptions'],
  },
  {
    method: 'get',
    path: '/v1/redemptions/{id}',
    summary: 'One of my redemptions',
    auth: 'affiliate',
    tag: 'affiliates',
    success: [200, 'the redemption'],
  },
  {
    method: 'post',
    path: '/v1/redemptions/{id}/void',
    summary: 'Void a redemption before it is invoiced',
    auth: 'affiliate',
    tag: 'affiliates',
    success: [200, 'the voided redemption'],
    body: obj({ reason: str }, ['reason']),
  },
  {
    method: 'post',
    path: '/v1/invoices',
    summary: 'Bill the club',
    auth: 'affiliate',
    tag: 'affiliates',
    success: [201, 'the reconciled invoice'],
    body: obj(
      {
        period_start: str,
        period_end: str,
        lines: { type: 'array', items: obj({ redemption_id: str, amount: money }, ['redemption_id', 'amount']) },
      },
      ['period_start', 'period_end', 'lines'],
    ),
  },
  {
    method: 'get',
    path: '/v1/invoices',
    summary: 'My invoices',
    auth: 'affiliate',
    tag: 'affiliates',
    success: [200, 'list of invoices'],
  },
  {
    method: 'get',
    path: '/v1/invoices/{id}',
    summary: 'One of my invoices',
    auth: 'affiliate',
    tag: 'affiliates',
    success: [200, 'the invoice'],
  },
  {
    method: 'post',
    path: '/v1/admin/affiliates',
    summary: 'Create an affiliate (its first API key is shown once)',
    auth: 'admin',
    tag: 'admin',
    success: [201, 'the affiliate with api_key'],
    body: obj({ name: str, origins: { type: 'array', items: str }, redeem_url: str, contact_email: str }, [
      'name',
      'origins',
    ]),
  },
  {
    method: 'get',
    path: '/v1/admin/affiliates',
    summary: 'Affiliates',
    auth: 'admin',
    tag: 'admin',
    success: [200, 'list of affiliates'],
  },
  {
    method: 'get',
    path: '/v1/admin/affiliates/{id}',
    summary: 'One affiliate',
    auth: 'admin',
    tag: 'admin',
    success: [200, 'the affiliate'],
  },
  {
    method: 'patch',
    path: '/v1/admin/affiliates/{id}',
    summary: 'Edit an affiliate',
    auth: 'admin',
    tag: 'admin',
    success: [200, 'the affiliate'],
    body: obj({ name: str, origins: { type: 'array', items: str }, redeem_url: str, contact_email: str }),
  },
  {
    method: 'post',
    path: '/v1/admin/affiliates/{id}/api-keys',
    summary: 'New API key (shown once)',
    auth: 'admin',
    tag: 'admin',
    success: [201, '{ id, api_key }'],
  },
  {
    method: 'get',
    path: '/v1/admin/affiliates/{id}/api-keys',
    summary: 'API keys (never the key itself)',
    auth: 'admin',
    tag: 'admin',
    success: [200, 'list of keys'],
  },
  {
    method: 'delete',
    path: '/v1/admin/affiliates/{id}/api-keys/{keyId}',
    summary: 'Revoke an API key at once',
    auth: 'admin',
    tag: 'admin',
    success: [204, 'revoked'],
  },
  {
    method: 'get',
    path: '/v1/admin/affiliates/{id}/statement.csv',
    summary: 'Billing statement for a period (?since, ?until)',
    auth: 'admin',
    tag: 'admin',
    success: [200, 'text/csv'],
  },
  {
    method: 'post',
    path: '/v1/admin/benefits',
    summary: 'Create a benefit',
    auth: 'admin',
    tag: 'admin',
    success: [201, 'the benefit'],
    body: obj(
      {
        affiliate_id: str,
        kind: str,
        title: str,
        description: str,
        terms: { type: 'object' },
        price: money,
        credential_ttl_seconds: { type: 'integer' },
        valid_from: str,
        valid_until: str,
        per_member_limit: { type: 'integer' },
        total_limit: { type: 'integer' },
        requires: { type: 'array', items: str },
      },
      ['affiliate_id', 'kind', 'title', 'terms', 'price'],
    ),
  },
  {
    method: 'get',
    path: '/v1/admin/benefits',
    summary: 'Benefits',
    auth: 'admin',
    tag: 'admin',
    success: [200, 'list of benefits'],
  },
  {
    method: 'get',
    path: '/v1/admin/benefits/{id}',
    summary: 'One benefit with its counts',
    auth: 'admin',
    tag: 'admin',
    success: [200, 'the benefit'],
  },
  {
    method: 'patch',
    path: '/v1/admin/benefits/{id}',
    summary: 'Edit or withdraw (active: false) a benefit',
    auth: 'admin',
    tag: 'admin',
    success: [200, 'the benefit'],
    body: { type: 'object' },
  },
  {
    method: 'get',
    path: '/v1/admin/members',
    summary: 'Members (?q= e-mail or membership number)',
    auth: 'admin',
    tag: 'admin',
    success: [200, 'list of members'],
  },
  {
    method: 'get',
    path: '/v1/admin/credentials',
    summary: 'Credentials (?member_id, ?benefit_id, ?id)',
    auth: 'admin',
    tag: 'admin',
    success: [200, 'list of credentials'],
  },
  {
    method: 'get',
    path: '/v1/admin/credentials/{id}',
    summary: 'One credential',
    auth: 'admin',
    tag: 'admin',
    success: [200, 'the credential'],
  },
  {
    method: 'post',
    path: '/v1/admin/credentials/{id}/revoke',
    summary: 'Revoke a credential',
    auth: 'admin',
    tag: 'admin',
    success: [200, 'the credential'],
  },
  {
    method: 'get',
    path: '/v1/admin/redemptions',
    summary: 'Redemptions (?affiliate_id, ?since, ?until)',
    auth: 'admin',
    tag: 'admin',
    success: [200, 'list of redemptions'],
  },
  {
    method: 'get',
    path: '/v1/admin/invoices',
    summary: 'Invoices (?affiliate_id)',
    auth: 'admin',
    tag: 'admin',
    success: [200, 'list of invoices'],
  },
  {
    method: 'get',
    path: '/v1/admin/invoices/{id}',
    summary: 'One invoice with its reconciliation',
    auth: 'admin',
    tag: 'admin',
    success: [200, 'the invoice'],
  },
  {
    method: 'post',
    path: '/v1/admin/invoices/{id}/approve',
    summary: 'Approve a submitted invoice',
    auth: 'admin',
    tag: 'admin',
    success: [200, 'the invoice'],
  },
  {
    method: 'post',
    path: '/v1/admin/invoices/{id}/paid',
    summary: 'Mark an approved invoice paid',
    auth: 'admin',
    tag: 'admin',
    success: [200, 'the invoice'],
  },
  {
    method: 'get',
    path: '/v1/admin/keys',
    summary: 'Signing keys',
    auth: 'admin',
    tag: 'admin',
    success: [200, 'list of keys'],
  },
  {
    method: 'post',
    path: '/v1/admin/keys/rotate',
    summary: 'Rotate the signing key',
    auth: 'admin',
    tag: 'admin',
    success: [201, 'the new public JWK'],
  },
];

const SECURITY: Record<Auth, unknown[]> = {
  public: [],
  member: [{ session: [] }],
  admin: [{ session: [] }],
  account: [{ session: [] }],
  affiliate: [{ apiKey: [] }],
};

function operation(op: Operation) {
  const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: str,
  }));
  const headers = (op.headers ?? []).map((name) => ({ name, in: 'header', required: true, schema: str }));
  const errors = Object.fromEntries(
    [400, 401, 403, 404, 409, 413, 422, 429].map((status) => [
      String(status),
      { $ref: '#/components/responses/Problem' },
    ]),
  );
  return {
    summary: op.summary,
    tags: [op.tag],
    security: SECURITY[op.auth],
    ...(params.length + headers.length > 0 ? { parameters: [...params, ...headers] } : {}),
    ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: op.body } } } } : {}),
    responses: { [String(op.success[0])]: { description: op.success[1] }, ...errors },
  };
}

/** Builds the OpenAPI 3.1 document for a club at `issuer`. */
export function openApiDocument(issuer: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    paths[op.path] ??= {};
    (paths[op.path] as Record<string, unknown>)[op.method] = operation(op);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Clubpass club API',
      version: '1',
      description:
        'The club side of the Clubpass protocol (docs/protocol.md). Errors are RFC 9457 problem documents with a stable `code`.',
    },
    servers: [{ url: issuer }],
    paths,
    components: {
      securitySchemes: {
        session: { type: 'http', scheme: 'bearer', description: 'a session token from POST /v1/sessions' },
        apiKey: { type: 'http', scheme: 'bearer', description: 'an affiliate API key (cpk_…)' },
      },
      schemas: {
        Money: obj({ amount: { type: 'integer', minimum: 0 }, currency: { type: 'string', pattern: '^[A-Z]{3}$' } }, [
          'amount',
          'currency',
        ]),
        Address: obj({ street_address: str, locality: str, region: str, postal_code: str, country: str }),
        Problem: obj(
          {
            type: str,
            code: str,
            status: { type: 'integer' },
            title: str,
            detail: str,
            errors: { type: 'array', items: obj({ path: str, message: str }) },
          },
          ['code', 'status', 'title'],
        ),
      },
      responses: {
        Problem: {
          description: 'a problem document',
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        },
      },
    },
  };
}
