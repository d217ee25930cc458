"""Young people's suggestions (意见建议): listing, following up, exporting.

`operations` filters them and moves them new → forwarded → resolved with notes; `export`
writes them to XLSX; `cli` is `evalapp suggestions list|status|export`.
"""
