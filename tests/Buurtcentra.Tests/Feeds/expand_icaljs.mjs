// Expands iCalendar files with ical.js (the parser of Thunderbird and many web calendars; a devDependency in
// package.json, installed by `npm ci`), which shares nothing with the app's Ical.Net or with python3-icalendar.
//
// Like a calendar app, it reads each file's own VTIMEZONE (registered before the file's times are read), expands
// RRULE/RDATE/EXDATE from DTSTART and puts RECURRENCE-ID overrides in place of the instance they name.
//
// Usage: node expand_icaljs.mjs FILE.ics ...
// Prints {"files": {FILE: {"events": [{uid, recurrence_id, start, end, status, sequence, summary}, ...]}
//                         or {"problems": [...]}}} with instants in UTC ISO 8601 ("2027-03-02T18:00:00Z").
import fs from 'node:fs';
import ICAL from 'ical.js';

const MaxInstances = 1000;

function iso(time) {
  return new Date(time.toUnixTime() * 1000).toISOString().replace('.000Z', 'Z');
}

function read(path) {
  const problems = [];
  const root = new ICAL.Component(ICAL.parse(fs.readFileSync(path, 'utf8')));
  for (const zone of root.getAllSubcomponents('vtimezone')) {
    ICAL.TimezoneService.register(zone);
  }
  const series = new Map();
  for (const component of root.getAllSubcomponents('vevent')) {
    const uid = component.getFirstPropertyValue('uid');
    if (!uid) { problems.push('VEVENT without UID'); continue; }
    if (!series.has(uid)) series.set(uid, { master: null, exceptions: [] });
    const entry = series.get(uid);
    if (component.hasProperty('recurrence-id')) entry.exceptions.push(component);
    else if (entry.master) problems.push(`UID ${uid} is used by two events`);
    else entry.master = component;
  }
  const events = [];
  for (const [uid, { master, exceptions }] of series) {
    if (!master) { problems.push(`${uid}: overrides without a series`); continue; }
    const event = new ICAL.Event(master);
    for (const exception of exceptions) event.relateException(exception);
    const used = new Set();
    const iterator = event.iterator();
    let count = 0;
    for (let next = iterator.next(); next; next = iterator.next()) {
      if (++count > MaxInstances) { problems.push(`${uid}: more than ${MaxInstances} instances`); break; }
      // A single event is shown from its own DTSTART and DTEND; an instance of a series from the rule (start plus
      // the series' duration) or from the override that replaces it.
      const details = event.isRecurring() ? event.getOccurrenceDetails(next)
        : { item: event, recurrenceId: null, startDate: event.startDate, endDate: event.endDate };
      const item = details.item;
      if (item !== event) used.add(item);
      events.push({
        uid,
        recurrence_id: details.recurrenceId ? iso(details.recurrenceId) : null,
        start: iso(details.startDate),
        end: iso(details.endDate),
        status: item.component.getFirstPropertyValue('status') || 'CONFIRMED',
        sequence: item.sequence || 0,
        summary: item.summary || null,
      });
      if (!event.isRecurring()) break;
    }
    for (const exception of exceptions) {
      if (![...used].some(u => u.component === exception)) {
        problems.push(`${uid}: override for ${exception.getFirstPropertyValue('recurrence-id')} matches no instance of the series`);
      }
    }
  }
  events.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.uid < b.uid ? -1 : 1));
  return problems.length ? { problems } : { events };
}

const files = {};
for (const path of process.argv.slice(2)) {
  try {
    files[path] = read(path);
  } catch (error) {
    files[path] = { problems: [String(error && error.stack || error)] };
  }
}
process.stdout.write(JSON.stringify({ files }));
