"""Evaluation rounds: their lifecycle, scope and the observers' assignments.

- `operations`: create, change, open, close, publish (and correct) rounds; manual assignment;
- `scope`: units by kind and area, spot-check samples and their audit re-draw;
- `sampling`: the stratified sampler (pure);
- `assignment`: the blind assignment algorithm (pure); `staffing` runs it on a round;
- `progress`: per-unit and per-county progress, and its CSV;
- `cli`: `evalapp round ...`.
"""
