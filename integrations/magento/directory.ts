import type { MagentoHttp } from './http';
import { ROUTES } from './routes';
import { CountryInformationSchema, type CountryInformation } from './schemas';

/** Countries and their regions: a customer address needs Magento's own region id. */
export class DirectoryApi {
  constructor(private readonly http: MagentoHttp) {}

  /** one country with its regions (`available_regions` is absent for countries without any) */
  country(countryId: string): Promise<CountryInformation> {
    return this.http.call(ROUTES.directory.country, { path: { countryId } }, CountryInformationSchema);
  }
}
