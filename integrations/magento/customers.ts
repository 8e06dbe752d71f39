import type { MagentoHttp } from './http';
import { paginate, type Page } from './pager';
import { ROUTES } from './routes';
import { CustomerGroupSchema, CustomerGroupSearchResultSchema, CustomerSchema, CustomerSearchResultSchema, type Customer, type CustomerGroup } from './schemas';
import { SearchCriteria } from './search-criteria';

export class CustomersApi {
  constructor(private readonly http: MagentoHttp) {}

  get(customerId: number): Promise<Customer> {
    return this.http.call(ROUTES.customers.get, { path: { customerId } }, CustomerSchema);
  }

  /** items include every address of each customer */
  search(criteria: SearchCriteria = SearchCriteria.empty()) {
    return this.http.call(ROUTES.customers.search, { query: criteria.toQueryPairs() }, CustomerSearchResultSchema);
  }

  pages(criteria: SearchCriteria = SearchCriteria.empty(), pageSize?: number): AsyncGenerator<Page<Customer>> {
    return paginate((c) => this.search(c), criteria, pageSize);
  }

  searchGroups(criteria: SearchCriteria = SearchCriteria.empty()) {
    return this.http.call(ROUTES.customers.searchGroups, { query: criteria.toQueryPairs() }, CustomerGroupSearchResultSchema);
  }

  getGroup(id: number): Promise<CustomerGroup> {
    return this.http.call(ROUTES.customers.getGroup, { path: { id } }, CustomerGroupSchema);
  }
}
