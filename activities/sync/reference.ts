import type { MagentoClient, Order, TaxRate } from '../../integrations/magento';
import { collectAll, SearchCriteria } from '../../integrations/magento';
import type { OdooClient, TaxCountries } from '../../integrations/odoo';
import { isIntegrationError } from '../../integrations/errors';
import { allPricelists } from '../../integrations/odoo/pricelists';
import { createPercentSaleTax, percentSaleTaxes, type PercentSaleTax } from '../../integrations/odoo/taxes';
import { createMappingStore, type MappingStore } from '../../store/mappings';
import { carrierTitleOf, paymentTitleOf, shippingCodesOf } from '../orders/magento-order';
import { findCarrier, findPaymentJournal, type MappingLookup } from '../orders/odoo-mappings';
import { CountryResolver } from '../orders/partners';
import { contentHash } from './hash';
import type { StreamDeps } from './registry';
import type { SyncPageInput, SyncPageResult, SyncStream } from './stream';

/**
 * Reference data, Magento → Odoo: what orders depend on, run before them. One page per section,
 * the cursor naming the section, so a retried page redoes one section only:
 *
 *   stores          websites, store groups, store views → recorded in reference_mappings (kinds
 *                   'website', 'store_group', 'store_view'), unmapped by default. Plain Odoo
 *                   has no website concept; ops may map a website to a res.company.
 *   customer_groups recorded (kind 'customer_group', key = group id) and mapped to an Odoo
 *                   pricelist (product.pricelist) named exactly like the group's code, when one
 *                   exists; ops may map any other (`mappings set customer_group <id> <pricelist
 *                   id>`). A mapped group's pricelist becomes the property_product_pricelist of
 *                   its customers (customers sync) and the pricelist_id of their sale orders
 *                   (order import). Order line prices still come from Magento; the pricelist
 *                   is what Odoo uses for quotations and reorders made in Odoo. Unmapped groups
 *                   are fine: their customers keep Odoo's default pricelist.
 *   taxes           each tax rate → an Odoo sale tax (percent, not price-included) of that rate
 *                   in that country: an existing one is reused, else one is created (named with
 *                   the rate code). Odoo taxes have no region/postcode scope (fiscal positions do
 *                   that), so a Texas rate is "8.25%, United States". Kind 'tax', key = rate code.
 *   attribute_sets  recorded with their group count (kind 'attribute_set'): report only.
 *   carriers        shipping methods → delivery.carrier (kind 'carrier')
 *   payments        payment methods → bank/cash journal (kind 'payment_method')
 *
 * Carriers and payment methods: Magento's core REST API lists payment methods and shipping
 * rates only for a cart, so they come from the channel config (`reference.paymentMethods`,
 * `reference.shippingMethods`) and from the most recent orders. Each is mapped by the same
 * lookup the order import uses (activities/orders/odoo-mappings.ts): an existing mapping, else
 * an Odoo record named exactly like Magento's title. Anything else is reported in `failed` with
 * a reason starting "unmapped", never guessed; `mappings set` fixes it.
 *
 * Mappings live in reference_mappings (store/mappings.ts), not in bindings: many Magento codes
 * may share one Odoo record, which the bindings' one-to-one constraint forbids.
 */

const SECTIONS = ['stores', 'customer_groups', 'taxes', 'attribute_sets', 'carriers', 'payments'] as const;
type Section = (typeof SECTIONS)[number];

type Result = Omit<SyncPageResult, 'nextCursor' | 'watermark' | 'total'>;
const empty = (): Result => ({ processed: 0, written: 0, unchanged: 0, failed: [] });

export function createReferenceStream(deps: StreamDeps): SyncStream {
  const mappings = createMappingStore(deps.pool);
  const lookup: MappingLookup = { bindings: deps.bindings, mappings };
  return {
    name: 'reference',
    async syncPage(input: SyncPageInput): Promise<SyncPageResult> {
      const section = (input.cursor ?? SECTIONS[0]) as Section;
      if (!SECTIONS.includes(section)) throw new Error(`reference stream: unknown cursor "${input.cursor}"`);
      const { magento, odoo, channel } = deps.clientsFor(input.channel);
      const ctx: SectionContext = { magento, odoo, mappings, lookup, channel: input.channel, full: input.full, config: channel.reference };
      const result = await RUN[section](ctx);
      const next = SECTIONS[SECTIONS.indexOf(section) + 1];
      // Reference data is small and read whole every run: no watermark. No total either: the
      // record count of later sections is not known before they are read.
      return { ...result, nextCursor: next ?? null, watermark: null };
    },
  };
}

interface SectionContext {
  magento: MagentoClient;
  odoo: OdooClient;
  mappings: MappingStore;
  lookup: MappingLookup;
  channel: string;
  full: boolean;
  config: { paymentMethods: string[]; shippingMethods: string[]; recentOrders: number };
}

const RUN: Record<Section, (ctx: SectionContext) => Promise<Result>> = {
  async stores(ctx) {
    const r = empty();
    const [websites, groups, views] = await Promise.all([ctx.magento.stores.websites(), ctx.magento.stores.groups(), ctx.magento.stores.views()]);
    // id 0 is the admin scope on all three lists: no shop, nothing to map.
    for (const w of websites.filter((w) => w.id && w.code)) await record(ctx, r, 'website', w.code as string, w.name);
    for (const g of groups.filter((g) => g.id && g.code)) await record(ctx, r, 'store_group', g.code as string, `${g.name ?? g.code} (website ${g.website_id})`);
    for (const v of views.filter((v) => v.id && v.code)) await record(ctx, r, 'store_view', v.code as string, `${v.name ?? v.code} (website ${v.website_id}${v.is_active ? '' : ', inactive'})`);
    return r;
  },

  async customer_groups(ctx) {
    const r = empty();
    const [groups, pricelists] = await Promise.all([
      collectAll((c) => ctx.magento.customers.searchGroups(c), SearchCriteria.empty()),
      allPricelists(ctx.odoo),
    ]);
    for (const g of groups.filter((g) => g.id !== null && g.id !== undefined)) {
      const key = String(g.id);
      const label = `${g.code ?? ''}${g.tax_class_name ? ` (tax class ${g.tax_class_name})` : ''}`;
      await record(ctx, r, 'customer_group', key, label);
      const code = (g.code ?? '').trim().toLowerCase();
      const named = pricelists.filter((p) => p.name.trim().toLowerCase() === code);
      // Exactly one pricelist with the group's name; never a guess between several.
      if (code && named.length === 1 && (await ctx.mappings.odooIdOf(ctx.channel, 'customer_group', key)) === null) {
        await ctx.mappings.set({ channel: ctx.channel, kind: 'customer_group', magentoKey: key, odooId: named[0]!.id, source: 'name', label });
      }
    }
    return r;
  },

  async taxes(ctx) {
    const r = empty();
    const rates = await collectAll((c) => ctx.magento.tax.searchRates(c), SearchCriteria.empty());
    const countries = new CountryResolver(ctx.odoo);
    let odooTaxes: PercentSaleTax[] | undefined;
    let where: TaxCountries | undefined;
    for (const rate of rates) {
      const code = rate.code?.trim();
      if (!code) continue;
      r.processed += 1;
      const percent = Number(rate.rate ?? 0);
      const country = rate.tax_country_id?.trim().toUpperCase() ?? '';
      const hash = contentHash({ percent, country });
      const label = `${percent}% ${country}${rate.region_name ? ` (${rate.region_name})` : ''}`;
      const existing = await ctx.mappings.find(ctx.channel, 'tax', code);
      if (existing?.source === 'ops' || (existing?.odooId != null && existing.contentHash === hash && !ctx.full)) {
        r.unchanged += 1;
        continue;
      }
      const countryId = country ? await countries.countryId(country) : null;
      if (!countryId) {
        await ctx.mappings.seen(ctx.channel, 'tax', code, label);
        r.failed.push({ key: code, reason: `tax rate "${code}": tax_country_id "${country}" is not a country in Odoo` });
        continue;
      }
      // Odoo posts no invoice carrying taxes of a country the company is not registered in
      // (neither its fiscal country nor one it holds a foreign VAT number for): an order with
      // such a tax would park at invoicing, so the rate is reported here instead.
      where ??= await ctx.odoo.taxCountries();
      if (countryId !== where.fiscalCountryId && !where.foreignVatPositions.has(countryId)) {
        await ctx.mappings.seen(ctx.channel, 'tax', code, label);
        r.failed.push({
          key: code,
          reason: `tax rate "${code}" (${percent}%): ${country} is neither the company's fiscal country nor one it holds a foreign VAT number in, ` +
            `so Odoo would refuse to invoice this tax; create a fiscal position for ${country} with its "Foreign Tax ID" ` +
            `(Accounting → Configuration → Fiscal Positions) and run the reference sync again, or map the rate: mappings set tax ${code} <account.tax id>`,
        });
        continue;
      }
      odooTaxes ??= await percentSaleTaxes(ctx.odoo);
      // Same rate, same country, tax-exclusive (Magento's `price` is): reuse, do not duplicate.
      const same = odooTaxes.find((t) => Math.abs(t.amount - percent) < 0.0001 && !t.priceInclude && t.countryId === countryId);
      let taxId: number;
      if (same) {
        taxId = same.id;
      } else {
        try {
          const groupId = await ctx.odoo.taxGroupFor(countryId, percent);
          taxId = await createPercentSaleTax(ctx.odoo, { name: code, percent, countryId, groupId, invoiceLabel: invoiceLabelOf(rate, percent) });
        } catch (err) {
          // One tax Odoo will not take is that rate's problem; the other rates still sync.
          if (!isIntegrationError(err) || err.retryable) throw err;
          await ctx.mappings.seen(ctx.channel, 'tax', code, label);
          r.failed.push({ key: code, reason: `tax rate "${code}" (${percent}%, ${rate.tax_country_id}): Odoo refused the tax: ${err.message}` });
          continue;
        }
        odooTaxes.push({ id: taxId, name: code, amount: percent, priceInclude: false, countryId });
        r.written += 1;
      }
      await ctx.mappings.set({ channel: ctx.channel, kind: 'tax', magentoKey: code, odooId: taxId, source: 'sync', label, contentHash: hash });
      if (same) r.unchanged += 1;
    }
    return r;
  },

  async attribute_sets(ctx) {
    const r = empty();
    const [sets, groups] = await Promise.all([
      collectAll((c) => ctx.magento.catalog.searchAttributeSets(c), SearchCriteria.empty()),
      collectAll((c) => ctx.magento.catalog.searchAttributeGroups(c), SearchCriteria.empty()),
    ]);
    for (const set of sets.filter((s) => s.attribute_set_id !== null && s.attribute_set_id !== undefined)) {
      const count = groups.filter((g) => g.attribute_set_id === set.attribute_set_id).length;
      await record(ctx, r, 'attribute_set', String(set.attribute_set_id), `${set.attribute_set_name ?? ''} (${count} attribute groups)`);
    }
    return r;
  },

  async carriers(ctx) {
    const r = empty();
    const seen = await methodsSeen(ctx);
    for (const [code, title] of seen.shipping) {
      r.processed += 1;
      const underscore = code.indexOf('_');
      const codes = { code, method: underscore === -1 ? code : code.slice(underscore + 1) };
      await ctx.mappings.seen(ctx.channel, 'carrier', code, title ?? null);
      const found = await findCarrier(ctx.odoo, ctx.lookup, ctx.channel, codes, title);
      if (found?.via === 'mapping') r.unchanged += 1;
      else if (found) {
        await ctx.mappings.set({ channel: ctx.channel, kind: 'carrier', magentoKey: code, odooId: found.id, source: 'name' });
        r.written += 1;
      } else {
        r.failed.push({
          key: `carrier:${code}`,
          reason: `unmapped shipping method ${code}${title ? ` ("${title}")` : ''}: no mapping and no Odoo delivery method named ` +
            `${title ? `"${title}" or "${title} (${codes.method})"` : 'like it'}; fix: mappings set carrier ${code} <delivery.carrier id>`,
        });
      }
    }
    return r;
  },

  async payments(ctx) {
    const r = empty();
    const seen = await methodsSeen(ctx);
    for (const [code, title] of seen.payment) {
      r.processed += 1;
      await ctx.mappings.seen(ctx.channel, 'payment_method', code, title ?? null);
      const found = await findPaymentJournal(ctx.odoo, ctx.lookup, ctx.channel, code, title);
      if (found?.via === 'mapping') r.unchanged += 1;
      else if (found) {
        await ctx.mappings.set({ channel: ctx.channel, kind: 'payment_method', magentoKey: code, odooId: found.id, source: 'name' });
        r.written += 1;
      } else {
        r.failed.push({
          key: `payment_method:${code}`,
          reason: `unmapped payment method ${code}${title ? ` ("${title}")` : ''}: no mapping and no Odoo bank or cash journal named ` +
            `"Magento ${title ?? code}"; fix: mappings set payment_method ${code} <account.journal id>`,
        });
      }
    }
    return r;
  },
};

/** what the invoice shows for the tax: the rate's first store title, else the percentage */
function invoiceLabelOf(rate: TaxRate, percent: number): string {
  return rate.titles?.find((t) => t.value)?.value ?? `${percent}%`;
}

/** Records a reference item that has no Odoo counterpart to create. */
async function record(ctx: SectionContext, r: Result, kind: 'website' | 'store_group' | 'store_view' | 'customer_group' | 'attribute_set', key: string, label: string | null): Promise<void> {
  r.processed += 1;
  const before = await ctx.mappings.find(ctx.channel, kind, key);
  await ctx.mappings.seen(ctx.channel, kind, key, label);
  if (before && before.label === label) r.unchanged += 1;
  else r.written += 1;
}

/** Payment and shipping method codes (with the titles customers saw) from config and recent orders. */
async function methodsSeen(ctx: SectionContext): Promise<{ payment: Map<string, string | undefined>; shipping: Map<string, string | undefined> }> {
  const payment = new Map<string, string | undefined>(ctx.config.paymentMethods.map((c) => [c, undefined]));
  const shipping = new Map<string, string | undefined>(ctx.config.shippingMethods.map((c) => [c, undefined]));
  let orders: Order[] = [];
  if (ctx.config.recentOrders > 0) {
    const page = await ctx.magento.orders.search(SearchCriteria.empty().orderBy('created_at', 'DESC').withPageSize(ctx.config.recentOrders).withPage(1));
    orders = page.items;
  }
  for (const order of orders) {
    const method = order.payment?.method;
    if (method && !payment.get(method)) payment.set(method, paymentTitleOf(order));
    const codes = shippingCodesOf(order);
    if (codes && !shipping.get(codes.code)) shipping.set(codes.code, carrierTitleOf(order));
  }
  return { payment, shipping };
}
