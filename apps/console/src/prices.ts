/**
 * Estimated MSK prices, for the clusters table's hourly cost. openmsk runs on your own host and bills nothing: these
 * are what the same cluster would cost on Amazon MSK (provisioned, standard brokers), as a rough guide.
 *
 * Source of each price: the Amazon MSK pricing page (https://aws.amazon.com/msk/pricing/), US East (N. Virginia),
 * as quoted in the talk this project comes from (issue 12); written down here on 2026-12-03 and not re-checked
 * against AWS's page since. Instance types without a quoted price show "—" rather than a guess.
 */

/** USD per broker-hour, by instance type. kafka.m5.large: $0.21/h (AWS MSK pricing page, us-east-1; quoted in the talk; recorded 2026-12-03). */
export const BROKER_HOURLY_USD: Readonly<Record<string, number>> = {
  'kafka.m5.large': 0.21,
};

/** USD per GB-month of broker storage: $0.10 (AWS MSK pricing page, us-east-1; quoted in the talk; recorded 2026-12-03). */
export const STORAGE_GB_MONTH_USD = 0.1;

/** AWS prices a month as 730 hours. */
export const HOURS_PER_MONTH = 730;

/** What the footnote says under the table. */
export const PRICE_NOTE = 'Estimated Amazon MSK cost, not an openmsk charge: kafka.m5.large $0.21 per broker-hour and storage '
  + '$0.10 per GB-month (730 h), US East (N. Virginia), from the Amazon MSK pricing page as quoted in the talk this '
  + 'project comes from, recorded 2026-12-03. Other instance types have no recorded price and show —.';

/** The cluster's estimated USD per hour, or undefined when its instance type has no recorded price. */
export function hourlyCost(instanceType: string | undefined, brokers: number | undefined, volumeGiB: number | undefined): number | undefined {
  const perBroker = instanceType ? BROKER_HOURLY_USD[instanceType] : undefined;
  if (perBroker === undefined || brokers === undefined) return undefined;
  const storage = ((volumeGiB ?? 0) * STORAGE_GB_MONTH_USD) / HOURS_PER_MONTH;
  return brokers * (perBroker + storage);
}

/** "$0.64/h", or "—" without a price. */
export function formatHourly(cost: number | undefined): string {
  return cost === undefined ? '—' : `$${cost.toFixed(cost < 1 ? 3 : 2)}/h`;
}
