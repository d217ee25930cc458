"""The demo city 宜宾市: a realistic, seeded, idempotent data set for trying evalapp.

`seed.seed_demo` is the entry point (and `evalapp demo` its command). The modules follow
the idea they seed: `names` (Chinese name pools), `city` (units, users, the demo logins),
`rounds` (rounds, activities, assignments), `collection` (who answers, through which channel,
when) and `answers` (answers drawn from a latent quality for any instrument).
"""
