import type { MagentoHttp } from './http';
import { paginate, type Page } from './pager';
import { ROUTES } from './routes';
import { TaxRateSearchResultSchema, type TaxRate } from './schemas';
import { SearchCriteria } from './search-criteria';

export class TaxApi {
  constructor(private readonly http: MagentoHttp) {}

  searchRates(criteria: SearchCriteria = SearchCriteria.empty()) {
    return this.http.call(ROUTES.tax.searchRates, { query: criteria.toQueryPairs() }, TaxRateSearchResultSchema);
  }

  ratePages(criteria: SearchCriteria = SearchCriteria.empty(), pageSize?: number): AsyncGenerator<Page<TaxRate>> {
    return paginate((c) => this.searchRates(c), criteria, pageSize);
  }
}
