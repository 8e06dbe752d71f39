import type { MagentoHttp } from './http';
import { paginate, type Page } from './pager';
import { ROUTES } from './routes';
import { CreditmemoSchema, CreditmemoSearchResultSchema, type Creditmemo } from './schemas';
import { SearchCriteria } from './search-criteria';

export class CreditmemosApi {
  constructor(private readonly http: MagentoHttp) {}

  /** GET /V1/creditmemo/:id (singular) */
  get(id: number): Promise<Creditmemo> {
    return this.http.call(ROUTES.creditmemos.get, { path: { id } }, CreditmemoSchema);
  }

  search(criteria: SearchCriteria = SearchCriteria.empty()) {
    return this.http.call(ROUTES.creditmemos.search, { query: criteria.toQueryPairs() }, CreditmemoSearchResultSchema);
  }

  pages(criteria: SearchCriteria = SearchCriteria.empty(), pageSize?: number): AsyncGenerator<Page<Creditmemo>> {
    return paginate((c) => this.search(c), criteria, pageSize);
  }

  forOrder(orderId: number): Promise<Creditmemo[]> {
    return this.search(SearchCriteria.empty().where('order_id', 'eq', orderId)).then((r) => r.items);
  }
}
