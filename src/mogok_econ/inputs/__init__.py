"""Data files -> validated objects: scenarios, sources, levers, timeline, observables, and the helpers they share."""
