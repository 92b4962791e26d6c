"""The wording of each report, one module per report, and what they share (common)."""
