/**
 * One deterministic demo merchant, shared by both sandboxes so that the SKUs Magento sells are
 * the SKUs Odoo stocks. The same seed always gives the same world, so tests can name records.
 * Odoo owns the catalog (categories, attributes, products, prices, stock, taxes, carriers,
 * journals); Magento owns customers, store views and the order stream.
 */

export interface DemoCategory { key: string; name: string; parentKey: string | null }
export interface DemoAttribute { code: string; label: string; values: string[] }
export interface DemoVariant { sku: string; attributes: Record<string, string>; price: number; weight: number; qtyOnHand: number }
export interface DemoProduct {
  /** simple products: one variant whose sku equals the template sku */
  sku: string;
  name: string;
  description: string;
  categoryKey: string;
  kind: 'simple' | 'configurable';
  price: number;
  weight: number;
  /** Odoo's invoice policy: 'order' (ordered quantities) or 'delivery' (delivered quantities) */
  invoicePolicy: 'order' | 'delivery';
  active: boolean;
  variants: DemoVariant[];
}
export interface DemoAddress {
  firstname: string; lastname: string; street: string[]; city: string; postcode: string;
  countryId: string; region: string | null; telephone: string;
  defaultBilling: boolean; defaultShipping: boolean;
}
export interface DemoCustomer { email: string; firstname: string; lastname: string; groupId: number; addresses: DemoAddress[] }
export interface DemoTaxRate { code: string; countryId: string; region: string | null; postcode: string; rate: number }
export interface DemoCarrier { magentoCode: string; title: string; methods: string[] }
export interface DemoPaymentMethod { code: string; title: string; kind: 'online' | 'offline' }

export interface DemoWorld {
  categories: DemoCategory[];
  attributes: DemoAttribute[];
  products: DemoProduct[];
  customers: DemoCustomer[];
  taxRates: DemoTaxRate[];
  carriers: DemoCarrier[];
  paymentMethods: DemoPaymentMethod[];
}

export interface DemoWorldOptions { seed?: number; simpleProducts?: number; configurableProducts?: number; customers?: number }

/** mulberry32: tiny, fast, and the same sequence on every machine */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Anna', 'Ben', 'Chloé', 'Dario', 'Eva', 'Femi', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kaia', 'Liam', 'Maëlle', 'Noah'];
const LAST = ['Schmidt', 'Martin', 'Rossi', "O'Brien", 'Novak', 'García', 'Dubois', 'Jansen', 'Kowalski', 'Müller', 'Smith'];
const CITIES: Array<[string, string, string | null, string]> = [
  ['Berlin', 'DE', null, '10115'], ['Lyon', 'FR', null, '69001'], ['Austin', 'US', 'Texas', '78701'],
  ['Portland', 'US', 'Oregon', '97201'], ['Milano', 'IT', null, '20121'], ['Utrecht', 'NL', null, '3511'],
];

export function buildDemoWorld(options: DemoWorldOptions = {}): DemoWorld {
  const rand = seededRandom(options.seed ?? 42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const money = (min: number, max: number) => Math.round((min + rand() * (max - min)) * 100) / 100;

  const categories: DemoCategory[] = [
    { key: 'apparel', name: 'Apparel', parentKey: null },
    { key: 'apparel/tops', name: 'Tops', parentKey: 'apparel' },
    { key: 'apparel/bottoms', name: 'Bottoms', parentKey: 'apparel' },
    { key: 'gear', name: 'Gear', parentKey: null },
    { key: 'gear/bags', name: 'Bags', parentKey: 'gear' },
    { key: 'gear/bottles', name: 'Bottles & Flasks', parentKey: 'gear' },
  ];
  const attributes: DemoAttribute[] = [
    { code: 'color', label: 'Color', values: ['Black', 'Blue', 'Red', 'Green'] },
    { code: 'size', label: 'Size', values: ['S', 'M', 'L', 'XL'] },
  ];

  const products: DemoProduct[] = [];
  const simpleCount = options.simpleProducts ?? 20;
  for (let i = 1; i <= simpleCount; i++) {
    // Every tenth SKU carries a "/" — real catalogs have them, and they break naive URL building.
    const sku = i % 10 === 0 ? `GEAR/${String(i).padStart(4, '0')}` : `GEAR-${String(i).padStart(4, '0')}`;
    const price = money(5, 120);
    const weight = money(0.1, 3);
    products.push({
      sku, name: `${pick(['Trail', 'Summit', 'Harbor', 'Metro'])} ${pick(['Backpack', 'Bottle', 'Duffel', 'Flask'])} ${i}`,
      description: `Demo gear item ${i}.`, categoryKey: pick(['gear/bags', 'gear/bottles']), kind: 'simple', price, weight,
      invoicePolicy: i % 3 === 0 ? 'delivery' : 'order', active: true,
      variants: [{ sku, attributes: {}, price, weight, qtyOnHand: Math.floor(rand() * 200) }],
    });
  }
  const configurableCount = options.configurableProducts ?? 5;
  for (let i = 1; i <= configurableCount; i++) {
    const sku = `TEE-${String(i).padStart(3, '0')}`;
    const price = money(15, 60);
    const weight = money(0.1, 0.5);
    const colors = attributes[0]!.values.slice(0, 2 + (i % 3));
    const sizes = attributes[1]!.values;
    const variants: DemoVariant[] = [];
    for (const color of colors) {
      for (const size of sizes) {
        variants.push({ sku: `${sku}-${color.toUpperCase()}-${size}`, attributes: { color, size }, price, weight, qtyOnHand: Math.floor(rand() * 50) });
      }
    }
    products.push({
      sku, name: `${pick(['Essential', 'Organic', 'Merino', 'Tech'])} Tee ${i}`, description: `Demo tee ${i} in ${colors.length} colors.`,
      categoryKey: 'apparel/tops', kind: 'configurable', price, weight, invoicePolicy: 'order', active: true, variants,
    });
  }

  const customers: DemoCustomer[] = [];
  for (let i = 1; i <= (options.customers ?? 10); i++) {
    const firstname = pick(FIRST);
    const lastname = pick(LAST);
    const addressCount = 1 + (i % 3);
    const addresses: DemoAddress[] = [];
    for (let a = 0; a < addressCount; a++) {
      const [city, countryId, region, postcode] = pick(CITIES);
      addresses.push({
        firstname, lastname, street: [`${10 + Math.floor(rand() * 180)} ${pick(['Main', 'Oak', 'Harbour', 'Linden'])} Street`],
        city, postcode, countryId, region, telephone: `+1555${String(1000000 + Math.floor(rand() * 8999999))}`,
        defaultBilling: a === 0, defaultShipping: a === addressCount - 1,
      });
    }
    customers.push({ email: `customer${i}@example.com`, firstname, lastname, groupId: i % 4 === 0 ? 2 : 1, addresses });
  }

  return {
    categories, attributes, products, customers,
    taxRates: [
      { code: 'US-TX-*-Rate 1', countryId: 'US', region: 'Texas', postcode: '*', rate: 8.25 },
      { code: 'US-OR-*-Rate 1', countryId: 'US', region: 'Oregon', postcode: '*', rate: 0 },
      { code: 'DE-*-*-VAT', countryId: 'DE', region: null, postcode: '*', rate: 19 },
      { code: 'FR-*-*-VAT', countryId: 'FR', region: null, postcode: '*', rate: 20 },
    ],
    carriers: [
      { magentoCode: 'flatrate', title: 'Flat Rate', methods: ['flatrate'] },
      { magentoCode: 'ups', title: 'United Parcel Service', methods: ['GND', '1DA'] },
    ],
    paymentMethods: [
      { code: 'checkmo', title: 'Check / Money order', kind: 'offline' },
      { code: 'banktransfer', title: 'Bank Transfer Payment', kind: 'offline' },
      { code: 'cashondelivery', title: 'Cash On Delivery', kind: 'offline' },
      { code: 'braintree', title: 'Credit Card (Braintree)', kind: 'online' },
    ],
  };
}
