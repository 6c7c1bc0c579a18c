"""Early warning: campaigns of near-identical or linked posts, spikes, alerts."""
