"""HTTP signaling: local runtime, cloud coordinator, WebRTC transport routes, token minting."""
