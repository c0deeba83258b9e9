// Row types as Kysely sees them. They mirror the migrations; they never leave the store layer
// (routes shape responses through presenters).
import type { Generated } from 'kysely';

export interface AccountsTable {
  id: string;
  role: 'member' | 'admin';
  email: string;
  password_hash: string;
  membership_number: string | null;
  given_name: string;
  family_name: string;
  phone_number: string | null;
  address: string | null;
  created_at: string;
}

export interface SessionsTable {
  token_digest: string;
  account_id: string;
  role: 'member' | 'admin';
  kind: 'bearer' | 'cookie';
  csrf_token: string | null;
  created_at: string;
  expires_at: string;
}

export interface LoginFailuresTable {
  id: string;
  subject: string;
  at: string;
}

export interface AffiliatesTable {
  id: string;
  name: string;
  origins: string;
  redeem_url: string | null;
  contact_email: string | null;
  created_at: string;
  updated_at: string;
}

export interface ApiKeysTable {
  id: string;
  affiliate_id: string;
  digest: string;
  prefix: string;
  created_at: string;
  revoked_at: string | null;
}

export interface BenefitsTable {
  id: string;
  affiliate_id: string;
  kind: string;
  title: string;
  description: string | null;
  terms: string;
  price_amount: number;
  price_currency: string;
  credential_ttl_seconds: number;
  valid_from: string | null;
  valid_until: string | null;
  per_member_limit: number | null;
  total_limit: number | null;
  issued_count: Generated<number>;
  requires: string;
  active: number;
  created_at: string;
  updated_at: string;
}

export interface SigningKeysTable {
  id: string;
  kid: string;
  alg: string;
  public_jwk: string;
  private_key_sealed: string;
  created_at: string;
  retired_at: string | null;
  publish_until: string | null;
}

export interface CredentialsTable {
  id: string;
  jti: string;
  member_id: string;
  benefit_id: string;
  affiliate_id: string;
  holder_thumbprint: string | null;
  kid: string;
  sub: string;
  billing_ref: string;
  credential: string;
  pin_hash: string | null;
  pin_failures: Generated<number>;
  status: 'issued' | 'redeemed' | 'revoked' | 'locked';
  issued_at: string;
  expires_at: string;
  redeemed_at: string | null;
  revoked_at: string | null;
}

export interface NoncesTable {
  nonce: string;
  affiliate_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface RedemptionsTable {
  id: string;
  credential_id: string;
  jti: string;
  affiliate_id: string;
  benefit_id: string;
  amount: number;
  currency: string;
  billing_ref: string;
  order_ref: string | null;
  order_total_amount: number | null;
  order_total_currency: string | null;
  disclosed: string;
  receipt: string;
  redeemed_at: string;
  voided_at: string | null;
  void_reason: string | null;
}

export interface BillingLinesTable {
  id: string;
  redemption_id: string;
  affiliate_id: string;
  amount: number;
  currency: string;
  billing_ref: string;
  status: 'open' | 'invoiced' | 'cancelled';
  invoice_id: string | null;
  created_at: string;
}

export interface IdempotencyKeysTable {
  affiliate_id: string;
  key: string;
  request_hash: string;
  response_status: number;
  response_body: string;
  created_at: string;
}

export interface InvoicesTable {
  id: string;
  affiliate_id: string;
  period_start: string;
  period_end: string;
  status: 'submitted' | 'approved' | 'paid';
  total_amount: number;
  currency: string | null;
  lines: string;
  created_at: string;
  approved_at: string | null;
  paid_at: string | null;
}

export interface AuditLogTable {
  id: string;
  actor_id: string;
  action: string;
  target: string | null;
  detail: string;
  ip: string | null;
  at: string;
}

export interface Database {
  accounts: AccountsTable;
  sessions: SessionsTable;
  login_failures: LoginFailuresTable;
  affiliates: AffiliatesTable;
  api_keys: ApiKeysTable;
  benefits: BenefitsTable;
  signing_keys: SigningKeysTable;
  credentials: CredentialsTable;
  nonces: NoncesTable;
  redemptions: RedemptionsTable;
  billing_lines: BillingLinesTable;
  idempotency_keys: IdempotencyKeysTable;
  invoices: InvoicesTable;
  audit_log: AuditLogTable;
}
