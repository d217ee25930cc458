"""Activities from units' weekly lists: what ``experience`` rounds evaluate.

`operations` creates them one by one or imports them from CSV/XLSX, and lists a week;
`cli` is `evalapp activity import|list`.
"""
