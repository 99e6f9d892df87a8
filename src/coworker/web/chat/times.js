// Times as the person reads them everywhere in the widget: in their timezone (the server's
// record of it, the one the replies use), 24-hour like the replies ("today 15:00",
// "Thu 26 Nov 15:45"), in the browser's language.

const DAY_MS = 24 * 60 * 60 * 1000;

function formatter(timezone, options) {
  const base = { hourCycle: "h23", ...options };
  try {
    return new Intl.DateTimeFormat(undefined, timezone ? { ...base, timeZone: timezone } : base);
  } catch {
    return new Intl.DateTimeFormat(undefined, base); // a timezone this browser does not know
  }
}

/** `{ when(value) }`: a moment as "today 15:00", "yesterday 09:30", "Mon 15:00" (this week) or "Thu 26 Nov 15:45". */
export function clock(timezone) {
  const time = formatter(timezone, { hour: "2-digit", minute: "2-digit" });
  const weekday = formatter(timezone, { weekday: "short" });
  const date = formatter(timezone, { weekday: "short", day: "numeric", month: "short" });
  const dated = formatter(timezone, { day: "numeric", month: "short", year: "numeric" });
  const dayKey = formatter(timezone, { year: "numeric", month: "2-digit", day: "2-digit" });
  const dayNumber = (moment) => {
    const parts = Object.fromEntries(dayKey.formatToParts(moment).map((p) => [p.type, p.value]));
    return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day)) / DAY_MS;
  };
  return {
    when(value, now = new Date()) {
      const moment = value instanceof Date ? value : new Date(value);
      if (Number.isNaN(moment.getTime())) return "";
      const days = dayNumber(moment) - dayNumber(now);
      const at = time.format(moment);
      if (days === 0) return `today ${at}`;
      if (days === -1) return `yesterday ${at}`;
      if (days === 1) return `tomorrow ${at}`;
      if (days > -7 && days < 0) return `${weekday.format(moment)} ${at}`;
      if (Math.abs(days) > 300) return `${dated.format(moment)} ${at}`;
      return `${date.format(moment).replace(",", "")} ${at}`;
    },
  };
}
