import type { MagentoConfig } from '../../config/schema';
import { CatalogApi } from './catalog';
import { CreditmemosApi } from './creditmemos';
import { CustomersApi } from './customers';
import { DirectoryApi } from './directory';
import { MagentoHttp, type MagentoHttpOptions } from './http';
import { InvoicesApi } from './invoices';
import { MediaApi } from './media';
import { OrdersApi } from './orders';
import { ShipmentsApi } from './shipments';
import { StockApi } from './stock';
import { StoresApi } from './stores';
import type { StoreView } from './schemas';
import { TaxApi } from './tax';

/** One Magento store view, every area the connector touches. */
export class MagentoClient {
  readonly orders: OrdersApi;
  readonly invoices: InvoicesApi;
  readonly shipments: ShipmentsApi;
  readonly creditmemos: CreditmemosApi;
  readonly catalog: CatalogApi;
  readonly customers: CustomersApi;
  readonly tax: TaxApi;
  readonly stores: StoresApi;
  readonly directory: DirectoryApi;
  readonly stock: StockApi;
  readonly media: MediaApi;

  constructor(config: MagentoConfig, options: MagentoHttpOptions = {}) {
    const http = new MagentoHttp(config, options);
    this.orders = new OrdersApi(http);
    this.invoices = new InvoicesApi(http);
    this.shipments = new ShipmentsApi(http);
    this.creditmemos = new CreditmemosApi(http);
    this.catalog = new CatalogApi(http);
    this.customers = new CustomersApi(http);
    this.tax = new TaxApi(http);
    this.stores = new StoresApi(http);
    this.directory = new DirectoryApi(http);
    this.stock = new StockApi(http);
    this.media = new MediaApi(http, config);
  }

  /** A harmless authenticated read: "test connection" for the CLI and start-up checks. */
  listStoreViews(): Promise<StoreView[]> {
    return this.stores.views();
  }
}

export function createMagentoClient(config: MagentoConfig, options?: MagentoHttpOptions): MagentoClient {
  return new MagentoClient(config, options);
}
