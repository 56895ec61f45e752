-- Demo API token for beheerder.hoograven@vooruit.example, so `make run` can print a working curl example.
-- Only the SHA-256 of the token is stored, as for every token; the plain token is DemoData.ApiToken
-- (bc_demo-xDpx...), printed by `make run` and shown in the README. Demo data only: never in production.
insert into api_tokens (user_id, name, token_hash, created_at)
select id, 'Demo (make run)', decode('95d7f8452c0c63a22f67265f0b86abf367ae0b97ec46bcc8086022ccece37c6a', 'hex'), now()
from users
where email = 'beheerder.hoograven@vooruit.example'
on conflict (token_hash) do nothing;
