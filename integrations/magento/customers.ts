import type { MagentoHttp } from './http';
import { paginate, type Page } from './pager';
import { ROUTES } from './routes';
import {
  CustomerGroupSchema,
  CustomerGroupSearchResultSchema,
  CustomerSchema,
  CustomerSearchResultSchema,
  type Customer,
  type CustomerAddress,
  type CustomerGroup,
} from './schemas';
import { SearchCriteria } from './search-criteria';

/** the declared fields of a loose schema's type, without its `[key: string]: unknown` */
type Declared<T> = { [K in keyof T as string extends K ? never : K]: T[K] };

/**
 * An address as sent in a customer update: with `id` it updates that address in place (only the
 * fields sent change), without it creates one. default_billing / default_shipping true make it the
 * customer's default.
 */
export type CustomerAddressInput = Partial<Declared<CustomerAddress>>;

/**
 * A customer as sent to PUT /V1/customers/:customerId (CustomerInterface field names). Magento
 * requires email, firstname, lastname and website_id in every update; other omitted fields keep
 * their values. `addresses`, when present, is the complete list: addresses not in it are deleted
 * (null or omitted: all kept). A customer as read by get() can be sent back as it is.
 */
export type CustomerInput = Partial<Omit<Declared<Customer>, 'addresses'>> & { addresses?: CustomerAddressInput[] | null };

export class CustomersApi {
  constructor(private readonly http: MagentoHttp) {}

  get(customerId: number): Promise<Customer> {
    return this.http.call(ROUTES.customers.get, { path: { customerId } }, CustomerSchema);
  }

  /**
   * PUT /V1/customers/:customerId (CustomerRepository::save): the URL id wins over customer.id;
   * returns the saved customer as GET does, updated_at bumped. Send `addresses` only to replace the
   * whole list (omitted: every address is kept; listed without id: created; missing from the list:
   * deleted). Unknown id: not_found; a missing required field: validation.
   */
  update(customerId: number, customer: CustomerInput): Promise<Customer> {
    return this.http.call(ROUTES.customers.update, { path: { customerId }, body: { customer } }, CustomerSchema);
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
