"""From results to what readers see: results bundles, formatting, wording, charts, the catalogue and the build."""
