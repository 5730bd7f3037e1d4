"""Calls the demo MLP on an Agora server with Triton's own Python client, unchanged."""
import sys

import numpy as np
import tritonclient.grpc as grpcclient

client = grpcclient.InferenceServerClient(sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:8001")
features = np.random.default_rng(0).standard_normal((2, 32), dtype=np.float32)
request = grpcclient.InferInput("input", list(features.shape), "FP32")
request.set_data_from_numpy(features)
result = client.infer("demo-mlp", [request])
print("scores:", result.as_numpy("output"))
