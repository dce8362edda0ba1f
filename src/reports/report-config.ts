/**
 * What reports need of the configuration: the city's time zone, business
 * hours, extra days off and the first-response target. A `Config` is one.
 */
import type { Config } from '../config.js';

export type ReportConfig = Pick<Config, 'timezone' | 'businessHours' | 'holidays' | 'sla'>;
