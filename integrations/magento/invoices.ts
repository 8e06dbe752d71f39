import type { MagentoHttp } from './http';
import { refundBody, type RefundOptions } from './orders';
import { paginate, type Page } from './pager';
import { ROUTES } from './routes';
import { EntityIdResultSchema, InvoiceSchema, InvoiceSearchResultSchema, type Invoice } from './schemas';
import { SearchCriteria } from './search-criteria';

export class InvoicesApi {
  constructor(private readonly http: MagentoHttp) {}

  get(id: number): Promise<Invoice> {
    return this.http.call(ROUTES.invoices.get, { path: { id } }, InvoiceSchema);
  }

  search(criteria: SearchCriteria = SearchCriteria.empty()) {
    return this.http.call(ROUTES.invoices.search, { query: criteria.toQueryPairs() }, InvoiceSearchResultSchema);
  }

  pages(criteria: SearchCriteria = SearchCriteria.empty(), pageSize?: number): AsyncGenerator<Page<Invoice>> {
    return paginate((c) => this.search(c), criteria, pageSize);
  }

  /** the invoices of one order: the read-before-write of an idempotent invoice push */
  forOrder(orderId: number): Promise<Invoice[]> {
    return this.search(SearchCriteria.empty().where('order_id', 'eq', orderId)).then((r) => r.items);
  }

  /** POST /V1/invoice/:invoiceId/refund; `isOnline` refunds through the gateway that captured it */
  refund(invoiceId: number, options: RefundOptions & { isOnline?: boolean } = {}): Promise<number> {
    const body = { ...refundBody(options), isOnline: options.isOnline ?? false };
    return this.http.call(ROUTES.invoices.refund, { path: { invoiceId }, body }, EntityIdResultSchema);
  }
}
