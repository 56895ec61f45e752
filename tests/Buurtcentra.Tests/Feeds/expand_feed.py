#!/usr/bin/python3
"""Expands an iCalendar feed with an implementation that shares nothing with the app (Ical.Net).

Debian's python3-icalendar parses the file; python3-dateutil reads the feed's own VTIMEZONE (dateutil.tz.tzical)
and expands RRULE/RDATE/EXDATE when a feed uses them; RECURRENCE-ID overrides replace the instance they name.
Every local time is converted with the feed's VTIMEZONE and, as a cross-check, with the system tz database
(zoneinfo); the two must agree, so a wrong VTIMEZONE fails the test.

A local time that occurs twice (the night the clocks go back) or not at all is read the way the file's VTIMEZONE and
dateutil read it, like a calendar app without its own tz database; it is not cross-checked (the tz database reads it
differently), so a writer that leaves such a time to the reader shows up as a wrong instant in the test's comparison.

Usage: expand_feed.py FILE.ics [FROM_UTC UNTIL_UTC]   (ISO instants bounding the expansion of rules)
Prints one JSON object: {"calendar": {...}, "events": [{uid, recurrence_id, start, end, status, sequence, summary,
location, description, dtstamp, last_modified}, ...]} with instants in UTC ISO 8601 ("2027-03-02T18:00:00Z").
Problems with the file are printed to stderr and exit with status 1.

Usage: expand_feed.py --many FILE.ics ...   (many files in one run)
Prints {"files": {FILE: {"calendar": ..., "events": [...]} or {"problems": [...]}}} and exits with status 0.
"""
import io
import json
import re
import sys
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from dateutil import rrule as dateutil_rrule
from dateutil import tz as dateutil_tz
from icalendar import Calendar
from icalendar.prop import vDuration

problems = []


def fail(message):
    problems.append(message)


def iso(value):
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def vtimezones(raw_text):
    """Each VTIMEZONE block of the file, read by dateutil's RFC 5545 time zone parser (not by python3-icalendar, which
    would look the TZID up in its own tz database instead of reading the feed's rules)."""
    zones = {}
    lines = raw_text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")
    block = None
    for line in lines:
        if line == "BEGIN:VTIMEZONE":
            block = [line]
        elif block is not None:
            # dateutil's parser knows no X- properties (X-LIC-LOCATION); RFC 5545 lets readers ignore them.
            if not line.upper().startswith("X-"):
                block.append(line)
            if line == "END:VTIMEZONE":
                parsed = dateutil_tz.tzical(io.StringIO("\r\n".join(block) + "\r\n"))
                for key in parsed.keys():
                    zones[key] = parsed.get(key)
                block = None
    return zones


def to_utc(prop, zones):
    """A DTSTART/DTEND/RECURRENCE-ID/EXDATE value as an aware UTC datetime (DATE values: local midnight)."""
    value = prop.dt
    tzid = prop.params.get("TZID")
    if isinstance(value, datetime) and tzid:
        if tzid not in zones:
            fail("TZID %s has no VTIMEZONE in the feed" % tzid)
            return value.astimezone(timezone.utc)
        naive = value.replace(tzinfo=None)
        from_feed = naive.replace(tzinfo=zones[tzid]).astimezone(timezone.utc)
        from_system = naive.replace(tzinfo=ZoneInfo(tzid)).astimezone(timezone.utc)
        if from_feed != from_system and not unclear(naive, tzid):
            fail("%s %s: the feed's VTIMEZONE gives %s, the tz database %s" % (tzid, naive, iso(from_feed), iso(from_system)))
        return from_feed
    if isinstance(value, datetime):
        if value.tzinfo is None:
            fail("floating time %s (no TZID, no Z)" % value)
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    fail("not a date or time: %r" % (value,))
    return None


def unclear(naive, tzid):
    """True for a local time that occurs twice or not at all in the tz database: readers may differ on it."""
    zone = ZoneInfo(tzid)
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        return True
    return first.astimezone(timezone.utc).astimezone(zone).replace(tzinfo=None) != naive


def text(component, name):
    value = component.get(name)
    return None if value is None else str(value)


def main():
    if sys.argv[1] == "--many":
        results = {}
        for path in sys.argv[2:]:
            del problems[:]
            try:
                result = read(path, None, None)
            except Exception as error:  # a file the parser cannot read is a problem of that file, not of the run
                fail("%s: %s" % (type(error).__name__, error))
                result = None
            results[path] = {"problems": list(problems)} if problems else result
        json.dump({"files": results}, sys.stdout)
        return
    path = sys.argv[1]
    window_from = datetime.fromisoformat(sys.argv[2].replace("Z", "+00:00")) if len(sys.argv) > 3 else None
    window_until = datetime.fromisoformat(sys.argv[3].replace("Z", "+00:00")) if len(sys.argv) > 3 else None
    result = read(path, window_from, window_until)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        sys.exit(1)
    json.dump(result, sys.stdout)


def read(path, window_from, window_until):
    with open(path, "rb") as f:
        raw = f.read()
    if b"\r\n" not in raw or raw.replace(b"\r\n", b"").find(b"\n") >= 0:
        fail("lines must end in CRLF")
    for number, line in enumerate(raw.split(b"\r\n"), 1):
        if len(line) > 75:
            fail("line %d is %d octets long (more than 75)" % (number, len(line)))
    raw_text = raw.decode("utf-8")

    calendar = Calendar.from_ical(raw_text)
    zones = vtimezones(raw_text)
    info = {
        "version": text(calendar, "VERSION"),
        "prodid": text(calendar, "PRODID"),
        "method": text(calendar, "METHOD"),
        "name": text(calendar, "X-WR-CALNAME"),
        "refresh_interval": text(calendar, "REFRESH-INTERVAL"),
        "published_ttl": text(calendar, "X-PUBLISHED-TTL"),
        "timezones": sorted(zones.keys()),
    }
    refresh = calendar.get("REFRESH-INTERVAL")
    if refresh is not None:
        # RFC 7986: REFRESH-INTERVAL;VALUE=DURATION:PT1H (this python3-icalendar reads it as text)
        if getattr(refresh, "params", {}).get("VALUE") != "DURATION":
            fail("REFRESH-INTERVAL needs VALUE=DURATION")
        info["refresh_interval"] = "%ds" % int(vDuration.from_ical(str(refresh)).total_seconds())

    masters = {}
    overrides = {}
    for event in calendar.walk("VEVENT"):
        uid = text(event, "UID")
        if not uid:
            fail("VEVENT without UID")
            continue
        for required in ("DTSTAMP", "DTSTART"):
            if event.get(required) is None:
                fail("%s: no %s" % (uid, required))
        start = to_utc(event["DTSTART"], zones)
        if event.get("DTEND") is not None:
            end = to_utc(event["DTEND"], zones)
        elif event.get("DURATION") is not None:
            end = start + event["DURATION"].dt
        else:
            end = start
        record = {
            "uid": uid,
            "recurrence_id": None,
            "start": start,
            "end": end,
            "status": text(event, "STATUS") or "CONFIRMED",
            "sequence": int(event.get("SEQUENCE", 0)),
            "summary": text(event, "SUMMARY"),
            "location": text(event, "LOCATION"),
            "description": text(event, "DESCRIPTION"),
            "dtstamp": iso(event["DTSTAMP"].dt) if event.get("DTSTAMP") is not None else None,
            "last_modified": iso(event["LAST-MODIFIED"].dt) if event.get("LAST-MODIFIED") is not None else None,
        }
        if event.get("RECURRENCE-ID") is not None:
            key = to_utc(event["RECURRENCE-ID"], zones)
            record["recurrence_id"] = key
            overrides.setdefault(uid, {})
            if key in overrides[uid]:
                fail("%s: two overrides for %s" % (uid, iso(key)))
            overrides[uid][key] = record
            continue
        if uid in masters:
            fail("UID %s is used by two events" % uid)
        record["_component"] = event
        masters[uid] = record

    events = []
    for uid, master in masters.items():
        event = master.pop("_component")
        instances = [master["start"]]
        if event.get("RRULE") is not None or event.get("RDATE") is not None:
            instances = expand(event, master, zones, window_from, window_until)
        duration = master["end"] - master["start"]
        for instance in instances:
            override = overrides.get(uid, {}).pop(instance, None)
            if override is not None:
                events.append(override)
            else:
                copy = dict(master)
                copy["start"] = instance
                copy["end"] = instance + duration
                if instance != master["start"]:
                    copy["recurrence_id"] = instance
                events.append(copy)
    for uid, left in overrides.items():
        for key in left:
            fail("%s: override for %s matches no instance of the series" % (uid, iso(key)))

    events.sort(key=lambda e: (e["start"], e["uid"]))
    for event in events:
        for key in ("start", "end", "recurrence_id"):
            if event[key] is not None:
                event[key] = iso(event[key])
    return {"calendar": info, "events": events}


def expand(event, master, zones, window_from, window_until):
    """Instants of a rule-based event, EXDATEs removed, in UTC. Rules are expanded in local time (RFC 5545)."""
    start_prop = event["DTSTART"]
    tzid = start_prop.params.get("TZID")
    zone = zones.get(tzid) if tzid else timezone.utc
    local_start = start_prop.dt.replace(tzinfo=None)
    lines = []
    for rrule in listify(event.get("RRULE")):
        # The rule runs in local time from a local DTSTART; a UTC UNTIL (RFC 5545 requires one with a TZID) becomes local too.
        text_rule = rrule.to_ical().decode()
        text_rule = re.sub(r"UNTIL=(\d{8}T\d{6})Z",
                           lambda m: "UNTIL=" + datetime.strptime(m.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=timezone.utc)
                           .astimezone(zone).strftime("%Y%m%dT%H%M%S"), text_rule)
        lines.append("RRULE:" + text_rule)
    rule = dateutil_rrule.rrulestr("\n".join(lines), dtstart=local_start, forceset=True) if lines else dateutil_rrule.rruleset()
    if not lines:
        rule.rdate(local_start)
    for rdates in listify(event.get("RDATE")):
        for value in rdates.dts:
            if isinstance(value.dt, datetime) and value.dt.tzinfo is not None and not rdates.params.get("TZID"):
                # An RDATE in UTC is an instant: into the series' local time.
                rule.rdate(value.dt.astimezone(zone).replace(tzinfo=None))
            else:
                rule.rdate(value.dt.replace(tzinfo=None) if isinstance(value.dt, datetime) else value.dt)
    limit = window_until.astimezone(zone).replace(tzinfo=None) if window_until else local_start + timedelta(days=3660)
    instants = [local.replace(tzinfo=zone).astimezone(timezone.utc) for local in rule.between(local_start - timedelta(seconds=1), limit, inc=True)]
    excluded = set()
    for exdates in listify(event.get("EXDATE")):
        for value in exdates.dts:
            ex_tzid = exdates.params.get("TZID")
            if isinstance(value.dt, datetime) and ex_tzid:
                excluded.add(value.dt.replace(tzinfo=None).replace(tzinfo=zones[ex_tzid]).astimezone(timezone.utc))
            else:
                excluded.add(value.dt.astimezone(timezone.utc))
    return [i for i in instants if i not in excluded and (window_from is None or i + (master["end"] - master["start"]) > window_from)]


def listify(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


if __name__ == "__main__":
    main()
