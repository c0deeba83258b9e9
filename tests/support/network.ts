import type { ChildProcess } from 'node:child_process';
import { freePort } from '../../backend/src/test-support/serve-process.js';
import { ClubApi, type Json } from './club-api.js';
import { type ClubProcess, startClubProcess } from './club-process.js';
import { type ShopProcess, startShopProcess } from './shop-process.js';

/** The benefits the tests seed, as the club's admin API takes them (PROTOCOL.md §8). */
export const SHOP_BENEFIT = {
  kind: 'product_discount',
  title: '15 % off everything',
  description: 'Members save 15 % on any order at Hollow Pine Goods.',
  terms: { percent_off: 15 },
  price: { amount: 300, currency: 'EUR' },
  per_member_limit: 1,
  requires: ['given_name', 'family_name', 'address'],
} as const;

export const CAFE_BENEFIT = {
  kind: 'free_goods',
  title: 'A free coffee',
  description: 'One coffee of your choice at Café Luma, on the club.',
  terms: { description: 'One coffee of your choice' },
  price: { amount: 250, currency: 'EUR' },
  per_member_limit: 1,
  requires: ['given_name'],
} as const;

/** An affiliate the club knows, with its benefit. */
export interface Partner {
  name: string;
  origin: string;
  affiliateId: string;
  apiKey: string;
  benefitId: string;
  benefitTitle: string;
}

/** A demo merchant: a partner whose site is the demo shop running as its own process. */
export interface Merchant extends Partner {
  process: ShopProcess;
}

export interface Network {
  club: ClubProcess;
  api: ClubApi;
  adminToken: string;
  shop: Merchant;
  /** Only when asked for. */
  cafe: Merchant | null;
  /** Registers another partner (for pages the test serves itself). */
  addPartner(name: string, origin: string, benefit: Json): Promise<Partner>;
  stop(): Promise<void>;
}

// Child processes still running when the test worker exits (a teardown that never ran) are
// killed rather than left listening on the machine.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Registers an affiliate on `origin` (its redeem_url at /redeem) and one benefit for it. */
async function registerPartner(
  api: ClubApi,
  adminToken: string,
  name: string,
  origin: string,
  benefit: Json,
): Promise<Partner> {
  const affiliate = await api.expect(201, 'POST', '/v1/admin/affiliates', {
    token: adminToken,
    body: { name, origins: [origin], redeem_url: `${origin}/redeem` },
  });
  const created = await api.expect(201, 'POST', '/v1/admin/benefits', {
    token: adminToken,
    body: { affiliate_id: affiliate.id, ...benefit },
  });
  return {
    name,
    origin,
    affiliateId: affiliate.id,
    apiKey: affiliate.api_key,
    benefitId: created.id,
    benefitTitle: created.title,
  };
}

/**
 * The club (its own process, fresh SQLite file), seeded through the admin API with the demo shop
 * (and the café when asked) on free loopback ports, and the merchants started against it.
 */
export async function startNetwork(options: { cafe?: boolean } = {}): Promise<Network> {
  const club = await startClubProcess();
  running.add(club.serve.child);
  const started: ShopProcess[] = [];
  try {
    const api = new ClubApi(club.url);
    const adminToken = await api.adminToken();
    const modes = options.cafe ? (['shop', 'cafe'] as const) : (['shop'] as const);
    // allSettled: a merchant that fails to start must not leave the other one running.
    const settled = await Promise.allSettled(
      modes.map(async (mode) => {
        const port = await freePort();
        const partner = await registerPartner(
          api,
          adminToken,
          mode === 'shop' ? 'Hollow Pine Goods' : 'Café Luma',
          `http://127.0.0.1:${port}`,
          mode === 'shop' ? SHOP_BENEFIT : CAFE_BENEFIT,
        );
        const shopProcess = await startShopProcess({
          mode,
          clubUrl: club.url,
          affiliateId: partner.affiliateId,
          apiKey: partner.apiKey,
          port,
        });
        started.push(shopProcess);
        running.add(shopProcess.child);
        return { ...partner, process: shopProcess };
      }),
    );
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    const merchants = settled.map((s) => (s as PromiseFulfilledResult<Merchant>).value);
    return {
      club,
      api,
      adminToken,
      shop: merchants[0] as Merchant,
      cafe: merchants[1] ?? null,
      addPartner: (name, origin, benefit) => registerPartner(api, adminToken, name, origin, benefit),
      async stop() {
        await Promise.all(started.map((p) => p.stop()));
        await club.stop();
        for (const p of started) running.delete(p.child);
        running.delete(club.serve.child);
      },
    };
  } catch (error) {
    await Promise.all(started.map((p) => p.stop()));
    await club.stop();
    throw error;
  }
}
