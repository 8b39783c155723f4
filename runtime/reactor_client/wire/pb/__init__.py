"""Generated protobuf bindings (do not edit; run scripts/gen_proto.py)."""
