import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GeneratedKeyPair, generateKeyPair, presentCredential } from '@clubpass/shared';
import { sql } from 'kysely';
import { systemClock } from '../backend/src/clock.js';
import { createTestDatabase } from '../backend/src/test-support/test-database.js';
import { BENCH_ORIGIN, type BenchClub, call, drive, startBenchClub } from './http-setup.js';
import { opsPerSecond, rate } from './measure.js';

const CONCURRENCY = 16;

function rawEd25519() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const data = Buffer.alloc(700, 7);
  const signature = sign(null, data, privateKey);
  return { sign: () => sign(null, data, privateKey), verify: () => verify(null, data, publicKey, signature) };
}

/** Adds `count` issued credentials of another member straight in SQL, so lookups run over a big table. */
async function prefill(club: BenchClub, count: number): Promise<void> {
  const now = new Date().toISOString();
  const exp = new Date(Date.now() + 86_400_000).toISOString();
  await sql`insert into accounts (id, role, email, password_hash, membership_number, given_name, family_name, created_at)
    values ('mem_bulk', 'member', 'bulk@bench.test', 'x', null, 'Bulk', 'Member', ${now}) on conflict do nothing`.execute(
    club.database.db,
  );
  await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${count})
    insert into credentials (id, jti, member_id, benefit_id, affiliate_id, holder_thumbprint, kid, sub, billing_ref, credential,
      pin_hash, pin_failures, status, issued_at, expires_at, redeemed_at, revoked_at)
    select 'crd_bulk' || i, 'jti_bulk' || i, 'mem_bulk', ${club.benefitId}, ${club.affiliateId}, 'thumb' || i, 'kid', 'sub',
      'BR-BULK' || i, 'x', null, 0, 'issued', ${now}, ${exp}, null, null from n`.execute(club.database.db);
}

async function holderKeys(count: number): Promise<GeneratedKeyPair[]> {
  return Promise.all(Array.from({ length: count }, () => generateKeyPair('EdDSA', { extractable: false })));
}

/** HTTP issuance per second on SQLite with `stored` credentials already in the table. */
async function issuanceRate(stored: number, requests: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'clubpass-bench-db-'));
  const club = await startBenchClub(join(dir, 'bench.sqlite'), 1);
  try {
    process.stdout.write(`  filling ${stored.toLocaleString('en-US')} credentials…\r`);
    await prefill(club, stored);
    const keys = await holderKeys(requests + 200);
    const send = (key: GeneratedKeyPair) =>
      call(club.url, 'POST', '/v1/credentials', club.memberToken, {
        benefit_id: club.benefitId,
        holder_jwk: key.publicJwk,
      });
    await drive(keys.slice(0, 200), CONCURRENCY, send, 201); // warm-up
    return await drive(keys.slice(200), CONCURRENCY, send, 201);
  } finally {
    await club.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Issues, gets nonces for and presents `count` credentials: everything before the timed part. */
async function preparePresentations(club: BenchClub, count: number) {
  const keys = await holderKeys(count);
  const prepared: { body: unknown; key: string; server: number }[] = [];
  for (let i = 0; i < count; i += 50) {
    const batch = keys.slice(i, i + 50);
    prepared.push(
      ...(await Promise.all(
        batch.map(async (holder, j) => {
          const issued = await call(club.url, 'POST', '/v1/credentials', club.memberToken, {
            benefit_id: club.benefitId,
            holder_jwk: holder.publicJwk,
          });
          const nonce = (await call(club.url, 'POST', '/v1/nonces', club.apiKey)).body.nonce as string;
          const presentation = await presentCredential({
            credential: issued.body.credential,
            disclose: ['given_name'],
            keyBinding: { holder, origin: BENCH_ORIGIN, nonce, clock: systemClock() },
          });
          return {
            body: { presentation, nonce, origin: BENCH_ORIGIN },
            key: `bench-${i + j}`,
            server: (i + j) % club.servers.length,
          };
        }),
      )),
    );
  }
  return prepared;
}

/** HTTP redemptions per second over `processes` serve processes on `databaseUrl`. */
async function redemptionRate(databaseUrl: string, processes: number, count: number): Promise<number> {
  const club = await startBenchClub(databaseUrl, processes);
  try {
    const prepared = await preparePresentations(club, count);
    return await drive(
      prepared,
      CONCURRENCY * processes,
      (p) =>
        call(club.servers[p.server]?.url ?? club.url, 'POST', '/v1/redemptions', club.apiKey, p.body, {
          'idempotency-key': p.key,
        }),
      201,
    );
  } finally {
    await club.close();
  }
}

/**
 * Issue 3 and 4 benchmarks: HTTP issuance on SQLite with 10^3 and 10^6 credentials stored, and HTTP
 * redemption on SQLite and PostgreSQL (one and three processes), each against raw Ed25519 measured
 * in the same run.
 */
export async function httpBench(seconds: number): Promise<void> {
  const raw = rawEd25519();
  const rawSign = await opsPerSecond(raw.sign, seconds);
  const rawVerify = await opsPerSecond(raw.verify, seconds);
  console.log(`raw Ed25519 (node:crypto, one core): sign ${rate(rawSign)}, verify ${rate(rawVerify)}`);

  const small = await issuanceRate(1_000, 1_500);
  const large = await issuanceRate(Number(process.env.BENCH_LARGE ?? 1_000_000), 1_500);
  console.log('\n| HTTP issuance, SQLite, one process | credentials/s | ratio to raw sign | aim |');
  console.log('|---|---|---|---|');
  console.log(`| 10^3 stored | ${rate(small)} | ${(small / rawSign).toFixed(3)} | ≥ 0.3 |`);
  console.log(
    `| 10^6 stored | ${rate(large)} | ${(large / rawSign).toFixed(3)} | within 20 % of 10^3: ${((large / small - 1) * 100).toFixed(1)} % |`,
  );

  const count = Number(process.env.BENCH_REDEMPTIONS ?? 1_500);
  const dir = mkdtempSync(join(tmpdir(), 'clubpass-bench-db-'));
  const sqlite = await redemptionRate(join(dir, 'bench.sqlite'), 1, count);
  rmSync(dir, { recursive: true, force: true });
  const rows: [string, number][] = [['SQLite, 1 process', sqlite]];
  if (process.env.TEST_DATABASE_URL) {
    for (const processes of [1, 3]) {
      const database = await createTestDatabase('postgres');
      try {
        rows.push([
          `PostgreSQL, ${processes} process${processes > 1 ? 'es' : ''}`,
          await redemptionRate(database.url, processes, count),
        ]);
      } finally {
        await database.dispose();
      }
    }
  } else {
    console.log('(PostgreSQL redemption figures need TEST_DATABASE_URL)');
  }
  console.log('\n| HTTP redemption | redemptions/s | ratio to raw verify / 2 | aim |');
  console.log('|---|---|---|---|');
  for (const [name, value] of rows)
    console.log(
      `| ${name} | ${rate(value)} | ${(value / (rawVerify / 2)).toFixed(3)} | ${name.startsWith('SQLite') ? '≥ 0.5' : ''} |`,
    );
  const one = rows[1]?.[1];
  const three = rows[2]?.[1];
  if (one && three) console.log(`\nPostgreSQL: 3 processes = ${(three / one).toFixed(2)} × 1 process (aim ≥ 1.6)`);
}
