import { z } from 'zod';
import type { MagentoHttp } from './http';
import { ROUTES } from './routes';
import { StoreConfigSchema, StoreGroupSchema, StoreViewSchema, WebsiteSchema, type StoreConfig, type StoreGroup, type StoreView, type Website } from './schemas';

/** Websites, store groups and store views: plain arrays that include the admin scope (id 0). */
export class StoresApi {
  constructor(private readonly http: MagentoHttp) {}

  websites(): Promise<Website[]> {
    return this.http.call(ROUTES.stores.websites, {}, z.array(WebsiteSchema));
  }

  groups(): Promise<StoreGroup[]> {
    return this.http.call(ROUTES.stores.groups, {}, z.array(StoreGroupSchema));
  }

  views(): Promise<StoreView[]> {
    return this.http.call(ROUTES.stores.views, {}, z.array(StoreViewSchema));
  }

  /** each store view's configuration (currency, locale, weight unit); no admin scope */
  configs(): Promise<StoreConfig[]> {
    return this.http.call(ROUTES.stores.configs, {}, z.array(StoreConfigSchema));
  }
}
