// A metric's value as people read it, by its CloudWatch-style unit: "99.95 %", "12 ms", "1.5 s",
// "$1,234.56", "1,234". Null is a period without data.

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const plain = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** At most `digits` decimals, trailing zeros dropped: 99.950 → "99.95", 100.00 → "100". */
function trimmed(v: number, digits = 2): string {
  return String(Number(v.toFixed(digits)));
}

export const NO_DATA = 'no data';

export function formatValue(value: number | null | undefined, unit?: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return NO_DATA;
  }
  switch (unit) {
    case 'Percent':
      return `${trimmed(value)} %`;
    case 'Seconds':
      return Math.abs(value) < 1 ? `${trimmed(value * 1000, 1)} ms` : `${trimmed(value)} s`;
    case 'Milliseconds':
      return Math.abs(value) < 1000 ? `${trimmed(value, 1)} ms` : `${trimmed(value / 1000)} s`;
    case 'USD':
      return usd.format(value);
    case 'Count':
      return count.format(value);
    case undefined:
    case '':
    case 'None':
      return plain.format(value);
    default:
      return `${plain.format(value)} ${unit}`;
  }
}
