"""What every app's REST API shares (docs/api.md): one error format, pagination, throttles, the schema's error
responses and small serializer fields. The apps' own endpoints live in their ``api`` modules; ``icpfiling.api_urls``
joins them under ``/api/v1/``."""
