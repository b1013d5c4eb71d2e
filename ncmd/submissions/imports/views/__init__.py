"""The upload page, the result of an import, and its downloads, one module per page."""
