"""Numbers only: Monte Carlo (and its cache), point estimates, sensitivity, comparison, monthly flows, lever effects."""
