-- Limits that hold across app instances (docs/decisions/0009-limits-across-instances.md): the rate limits of the
-- sign-in and public forms, and the sign-in throttle that replaces the account lockout of 0001.

-- Fixed-window request counters: one row per limit key ("login:ip:203.0.113.7", "public-forms:user:12") and window.
-- A request adds one in a single upsert, so two instances count together; rows of past windows are removed.
create table rate_limit_counters (
    key          text not null check (length(key) between 1 and 200),
    window_start timestamptz not null,
    hits         integer not null check (hits > 0),
    primary key (key, window_start)
);
create index rate_limit_counters_window_idx on rate_limit_counters (window_start);

-- Failed password sign-ins per typed e-mail address (its SHA-256, lower case and trimmed: an address that has no
-- account is throttled the same way, so the answers do not tell which addresses exist) and per client address.
-- After a few failures that client waits, longer after each further failure (Features/Accounts/LoginThrottle.cs).
-- Someone else, from another address, is not affected: nobody can lock another person out.
create table login_throttle (
    email_hash      bytea not null check (length(email_hash) = 32),
    address         text not null check (length(address) between 1 and 64),
    failures        integer not null check (failures > 0),
    last_failure_at timestamptz not null,
    blocked_until   timestamptz,
    primary key (email_hash, address)
);
create index login_throttle_last_failure_idx on login_throttle (last_failure_at);

-- When the owner was last mailed about failed sign-ins on their account (at most once an hour).
alter table users add column failed_login_mail_at timestamptz;

-- The lockout is gone: five wrong passwords by anyone locked a staff account for 15 minutes.
alter table users drop column failed_logins, drop column locked_until;
