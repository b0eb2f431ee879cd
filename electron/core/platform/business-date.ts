/** The business date (YYYY-MM-DD) of an instant in the station's time zone, whatever the device's zone. */
export function businessDateAt(instant: Date, timeZone = 'Asia/Shanghai'): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}
