"""Session layer: request correlation, listener dispatch, the client."""
