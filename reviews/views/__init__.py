"""The back office's pages: queues, the review page with its decisions, the supervisors' dashboard."""
