"""Calls the demo MLP on an Agora server with Triton's own Python client, unchanged.

Usage: call_demo.py [HOST:PORT] [API_KEY]   (the key defaults to $AGORA_API_KEY)
"""
import os
import sys

import numpy as np
import tritonclient.grpc as grpcclient

target = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:8001"
api_key = sys.argv[2] if len(sys.argv) > 2 else os.environ.get("AGORA_API_KEY", "")
if not api_key:
    sys.exit("call_demo.py: pass the API key as the second argument or set AGORA_API_KEY")

client = grpcclient.InferenceServerClient(target)
features = np.random.default_rng(0).standard_normal((2, 32), dtype=np.float32)
request = grpcclient.InferInput("input", list(features.shape), "FP32")
request.set_data_from_numpy(features)
result = client.infer("demo-mlp", [request], headers={"authorization": f"Bearer {api_key}"})
print("scores:", result.as_numpy("output"))
