"""Results: what the reports show, computed once from explicit arguments (a World, the draws, the seed, the
posterior), between the analysis and the reports (the layer test keeps it there).

- bundles.py: the results of each report kind (a scenario's draws and summaries, the comparison, the monthly
  timeline, the levers, the counterfactual, the research agenda), each computed once a build through the
  analysis's caches.
- summary.py: the headline results (what the briefs and the landing page show, and `mogok-econ headlines`),
  kept as typed tables (tables.py; schemas in summary_tables.py) in one folder per set of arguments, and
  published by the build as reports/results/. A Summary is those tables read back: it computes nothing.
"""
