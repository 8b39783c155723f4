"""Runtime core for Reactor model SDKs (see docs/runtime-api.md)."""
