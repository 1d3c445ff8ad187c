"""Reads the back office's pages share (STYLE.md rule 1): queues, the review page, the dashboard."""
