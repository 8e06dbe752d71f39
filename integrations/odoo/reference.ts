import type { OdooClient, OdooRecord } from './client';
import { many2oneId } from './many2one';

/** How long a worker trusts what it read of Odoo's reference data. */
export const REFERENCE_TTL_MS = 60_000;

export interface SaleTax {
  id: number;
  name: string;
  amount: number;
  priceInclude: boolean;
  /** taxes belong to one company; an order of another company cannot use them */
  companyId: number | null;
}
export interface CarrierProduct {
  id: number;
  name: string;
  productId: number;
}

/**
 * Odoo's reference data as an order import needs it: taxes, currencies, pricelists, carriers,
 * products by SKU, payment terms, teams, warehouses, countries. Every order of a channel asks the
 * same questions, and the answers change a few times a year, so one worker keeps them for a
 * minute instead of asking Odoo a dozen times per order. Only found records are kept: a miss is
 * asked again next time. A kept answer that was wrong (a tax archived, a product renamed) shows up
 * as a mapping error, and the caller then clears this and tries once more on fresh answers
 * (see `freshOnDataError` in the order import), so ops' fixes take effect on the next retry.
 */
export class OdooReference {
  private readonly kept = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(
    private readonly odoo: OdooClient,
    private readonly ttlMs = REFERENCE_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  clear(): void {
    this.kept.clear();
  }

  /** sale taxes with a percent rate (the ones a Magento tax_percent can map to) */
  saleTaxes(): Promise<SaleTax[]> {
    return this.remember('taxes', async () => {
      const rows = await this.odoo.searchRead(
        'account.tax',
        [
          ['type_tax_use', '=', 'sale'],
          ['amount_type', '=', 'percent'],
        ],
        { fields: ['name', 'amount', 'price_include', 'company_id'] },
      );
      return rows.map((t) => ({
        id: t.id,
        name: String(t.name),
        amount: Number(t.amount),
        priceInclude: t.price_include === true,
        companyId: many2oneId(t.company_id),
      }));
    });
  }

  /** the currency with this ISO code (archived ones too: the caller says which is wrong), or null */
  currency(code: string): Promise<{ id: number; active: boolean } | null> {
    return this.rememberFound(`currency:${code}`, async () => {
      const [row] = await this.odoo.searchRead('res.currency', [['name', '=', code]], { fields: ['name', 'active'], limit: 1 });
      return row ? { id: row.id, active: row.active !== false } : null;
    });
  }

  /** the ISO code of the first company's currency */
  companyCurrency(): Promise<string | null> {
    return this.rememberFound('company-currency', async () => {
      const [company] = await this.odoo.searchRead('res.company', [], { fields: ['currency_id'], order: 'id asc', limit: 1 });
      return Array.isArray(company?.currency_id) ? String(company.currency_id[1]).toUpperCase() : null;
    });
  }

  /** a pricelist's name and currency code, or null when it does not exist */
  pricelist(id: number): Promise<{ id: number; name: string; currency: string } | null> {
    return this.rememberFound(`pricelist:${id}`, async () => {
      const [row] = await this.odoo.searchRead('product.pricelist', [['id', '=', id]], { fields: ['name', 'currency_id'], limit: 1 });
      return row ? { id: row.id, name: String(row.name), currency: currencyCode(row) } : null;
    });
  }

  /** the active pricelists in a currency (at most 5: more than one is already a question for ops) */
  activePricelists(currency: string): Promise<Array<{ id: number; name: string }>> {
    return this.rememberFound(`pricelists:${currency}`, async () => {
      const rows = await this.odoo.searchRead(
        'product.pricelist',
        [
          ['currency_id.name', '=', currency],
          ['active', '=', true],
        ],
        { fields: ['name'], order: 'id asc', limit: 5 },
      );
      return rows.length ? rows.map((p) => ({ id: p.id, name: String(p.name) })) : null;
    }).then((found) => found ?? []);
  }

  /** the one delivery method with exactly this name, or null (none, or several) */
  carrierNamed(name: string): Promise<number | null> {
    return this.rememberFound(`carrier-named:${name}`, async () => {
      const rows = await this.odoo.searchRead('delivery.carrier', [['name', '=', name]], { fields: ['name'], limit: 2 });
      return rows.length === 1 ? (rows[0] as OdooRecord).id : null;
    });
  }

  /** a delivery method with the product its sale order line is made of */
  carrier(id: number): Promise<CarrierProduct | null> {
    return this.rememberFound(`carrier:${id}`, async () => {
      const [row] = await this.odoo.searchRead('delivery.carrier', [['id', '=', id]], { fields: ['name', 'product_id'], limit: 1 });
      const productId = many2oneId(row?.product_id);
      return row && productId !== null ? { id: row.id, name: String(row.name), productId } : null;
    });
  }

  /** product variant ids by SKU; SKUs Odoo has no product for are left out (and asked again next time) */
  async variantIds(skus: string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    const missing: string[] = [];
    for (const sku of new Set(skus)) {
      const hit = this.fresh(`sku:${sku}`);
      if (hit) found.set(sku, (await hit) as number);
      else missing.push(sku);
    }
    if (missing.length) {
      for (const variant of await this.odoo.findVariantsBySku(missing)) {
        const sku = String(variant.default_code);
        if (found.has(sku)) continue;
        found.set(sku, variant.id);
        this.kept.set(`sku:${sku}`, { at: this.now(), value: Promise.resolve(variant.id) });
      }
    }
    return found;
  }

  /**
   * The first record of a name-keyed model (payment terms, companies, sales teams), or null. With
   * a company: only a record of that company or shared by all (a team "Sales" exists per company).
   */
  idByName(model: 'account.payment.term' | 'res.company' | 'crm.team', name: string, companyId?: number): Promise<number | null> {
    const domain: unknown[] = [['name', '=', name]];
    if (companyId !== undefined) domain.push(['company_id', 'in', [companyId, false]]);
    return this.rememberFound(
      `${model}:${name}:${companyId ?? ''}`,
      async () => (await this.odoo.searchRead(model, domain, { fields: ['id'], limit: 1 }))[0]?.id ?? null,
    );
  }

  /** a warehouse by its short code; with a company, that company's (each company may have a "WH") */
  warehouseByCode(code: string, companyId?: number): Promise<number | null> {
    const domain: unknown[] = [['code', '=', code]];
    if (companyId !== undefined) domain.push(['company_id', '=', companyId]);
    return this.rememberFound(
      `warehouse:${code}:${companyId ?? ''}`,
      async () => (await this.odoo.searchRead('stock.warehouse', domain, { fields: ['id'], limit: 1 }))[0]?.id ?? null,
    );
  }

  /** the company a journal belongs to (a mapped payment journal may be another company's), or null */
  journalCompany(journalId: number): Promise<number | null> {
    return this.rememberFound(`journal-company:${journalId}`, async () =>
      many2oneId((await this.odoo.searchRead('account.journal', [['id', '=', journalId]], { fields: ['company_id'], limit: 1 }))[0]?.company_id),
    );
  }

  /** the API user's own company: the one Odoo gives an order that names none */
  userCompany(): Promise<number | null> {
    return this.rememberFound('user-company', async () => (await this.odoo.whoAmI()).companyId);
  }

  countryId(code: string): Promise<number | null> {
    return this.rememberFound(
      `country:${code}`,
      async () => (await this.odoo.searchRead('res.country', [['code', '=', code]], { fields: ['code'], limit: 1 }))[0]?.id ?? null,
    );
  }

  stateId(countryId: number, code: string): Promise<number | null> {
    return this.rememberFound(
      `state:${countryId}:${code}`,
      async () =>
        (
          await this.odoo.searchRead(
            'res.country.state',
            [
              ['country_id', '=', countryId],
              ['code', '=', code],
            ],
            { fields: ['code'], limit: 1 },
          )
        )[0]?.id ?? null,
    );
  }

  private fresh(key: string): Promise<unknown> | undefined {
    const hit = this.kept.get(key);
    if (!hit) return undefined;
    if (this.now() - hit.at > this.ttlMs) {
      this.kept.delete(key);
      return undefined;
    }
    return hit.value;
  }

  private remember<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.fresh(key);
    if (hit) return hit as Promise<T>;
    const value = load();
    const entry = { at: this.now(), value: value as Promise<unknown> };
    this.kept.set(key, entry);
    // a failed read is not an answer
    value.catch(() => {
      if (this.kept.get(key) === entry) this.kept.delete(key);
    });
    return value;
  }

  /** like remember, but a null answer (nothing found) is not kept */
  private async rememberFound<T>(key: string, load: () => Promise<T | null>): Promise<T | null> {
    const value = await this.remember(key, load);
    if (value === null) this.kept.delete(key);
    return value;
  }
}

function currencyCode(row: Record<string, unknown>): string {
  return Array.isArray(row.currency_id) ? String(row.currency_id[1] ?? '').toUpperCase() : '';
}
