/** The LoCoMo evaluation file's shapes (`../shared/eval/locomo-dev.json`) and its session dates. */

/** One turn of a conversation. */
export interface Turn {
  speaker: string;
  dia_id: string;
  text: string;
  blip_caption?: string;
}

/** One annotated question: the turns (`dia_id`s) that answer it, and its category. */
export interface Qa {
  question: string;
  evidence: string[];
  category: number;
}

/** One conversation: `session_N` turn lists with their `session_N_date_time`, and its questions. */
export interface Conversation {
  sample_id?: string;
  conversation: Record<string, unknown>;
  qa: Qa[];
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** Parses "1:56 pm on 8 May, 2023" to epoch ms (UTC). */
export function parseSessionDate(s: string): number {
  const m = /(\d{1,2}):(\d{2})\s*(am|pm)\s+on\s+(\d{1,2})\s+([a-z]+),?\s+(\d{4})/i.exec(s);
  if (!m) throw new Error(`unparseable session date: ${s}`);
  const [, hh, mm, ampm, day, month, year] = m as unknown as [string, string, string, string, string, string, string];
  let hour = Number(hh) % 12;
  if (ampm.toLowerCase() === 'pm') hour += 12;
  const mon = MONTHS.indexOf(month.toLowerCase());
  if (mon < 0) throw new Error(`unknown month in session date: ${s}`);
  return Date.UTC(Number(year), mon, Number(day), hour, Number(mm));
}
