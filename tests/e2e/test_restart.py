"""Published models survive a restart on the same data directory."""

import numpy as np
import tritonclient.grpc as grpcclient


def infer_mlp(server, x):
    client = grpcclient.InferenceServerClient(server.grpc_target)
    try:
        infer_input = grpcclient.InferInput("input", list(x.shape), "FP32")
        infer_input.set_data_from_numpy(x)
        return client.infer("mlp", [infer_input], headers=server.headers).as_numpy("output")
    finally:
        client.close()


def test_published_model_is_served_after_restart_without_republishing(
    start_server, publish_cli, model_ready, models_dir, reference_session, tmp_path
):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    x = np.random.default_rng(9).standard_normal((3, 32)).astype(np.float32)
    expected = reference_session("mlp.onnx").run(["output"], {"input": x})[0]

    first = start_server(data_dir)
    publish_cli(first, models_dir / "mlp.onnx", "mlp", "1.0.0")
    model_ready(first, "mlp")
    np.testing.assert_allclose(infer_mlp(first, x), expected, atol=1e-6, rtol=0)
    first.assert_stopped_cleanly()

    second = start_server(data_dir, api_key=first.api_key)  # keys survive; none is printed again
    assert "bootstrap admin key" not in second.output()
    model_ready(second, "mlp")
    np.testing.assert_allclose(infer_mlp(second, x), expected, atol=1e-6, rtol=0)
    second.assert_stopped_cleanly()
