import type { DisclosableClaim, Money } from '@clubpass/shared';

/**
 * The copy and catalog of one merchant. The demo runs the same code as two different
 * affiliates (a shop that ships goods, a café that hands out a free coffee), so everything that
 * differs between them lives here and nowhere else.
 */
export interface Merchant {
  mode: MerchantMode;
  name: string;
  tagline: string;
  product: {
    name: string;
    description: string;
    /** A file under public/. */
    image: string;
    price: Money;
  };
  /**
   * The personal details we ask the member to share. Ask for as little as the order needs: the
   * member sees this list in the extension and may refuse.
   */
  disclose: DisclosableClaim[];
  /** Whether orders need a postal address (goods are shipped) or just a name (picked up). */
  ships: boolean;
  copy: {
    buy: string;
    placeOrder: string;
    confirmation: string;
    fulfilment: string;
  };
}

export type MerchantMode = 'shop' | 'cafe';

export const MERCHANTS: Record<MerchantMode, Merchant> = {
  shop: {
    mode: 'shop',
    name: 'Hollow Pine Goods',
    tagline: 'Warm things for cold places. Made to last.',
    product: {
      name: 'Merino wool scarf',
      description:
        'Knitted from soft, undyed merino in a small mill in the hills. Long enough to wrap twice, light enough to forget you are wearing it.',
      image: 'scarf.svg',
      price: { amount: 8900, currency: 'EUR' },
    },
    disclose: ['given_name', 'family_name', 'address'],
    ships: true,
    copy: {
      buy: 'Buy now',
      placeOrder: 'Place order',
      confirmation: 'Thank you for your order',
      fulfilment: 'Your scarf ships within two working days. Payment on delivery.',
    },
  },
  cafe: {
    mode: 'cafe',
    name: 'Café Luma',
    tagline: 'Small-batch coffee, roasted around the corner.',
    product: {
      name: 'Flat white',
      description: 'A double ristretto with silky steamed milk, made with this week’s house roast.',
      image: 'coffee.svg',
      price: { amount: 340, currency: 'EUR' },
    },
    disclose: ['given_name'],
    ships: false,
    copy: {
      buy: 'Order now',
      placeOrder: 'Order for pickup',
      confirmation: 'Your coffee is on its way',
      fulfilment: 'Pick it up at the counter: we will call your name.',
    },
  },
};
