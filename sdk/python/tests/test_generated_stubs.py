"""The stubs generated at build time: importable next to tritonclient, wire-compatible with it."""

import numpy as np
import tritonclient.grpc.service_pb2 as triton_pb2

from agora._proto.inference import grpc_service_pb2 as inference_pb2
from agora._proto.inference import model_config_pb2
from agora._proto.registry.v1 import registry_pb2
from agora._proto.errors.v1 import errors_pb2


def test_sdk_stubs_and_tritonclient_stubs_load_in_one_process():
    # Both define inference.ModelInferRequest; they live in different descriptor pools.
    assert inference_pb2.ModelInferRequest.DESCRIPTOR.full_name == "inference.ModelInferRequest"
    assert triton_pb2.ModelInferRequest.DESCRIPTOR.full_name == "inference.ModelInferRequest"
    assert inference_pb2.DESCRIPTOR.name == "inference/grpc_service.proto"


def test_infer_request_bytes_parse_as_tritons_message():
    ours = inference_pb2.ModelInferRequest(model_name="mlp", model_version="1.0.0", id="7")
    ours.inputs.add(name="input", datatype="FP32", shape=[1, 32])
    ours.outputs.add(name="output")
    ours.raw_input_contents.append(np.ones((1, 32), np.float32).tobytes())

    theirs = triton_pb2.ModelInferRequest.FromString(ours.SerializeToString())

    assert (theirs.model_name, theirs.model_version, theirs.id) == ("mlp", "1.0.0", "7")
    assert [(t.name, t.datatype, list(t.shape)) for t in theirs.inputs] == [("input", "FP32", [1, 32])]
    assert [o.name for o in theirs.outputs] == ["output"]
    assert theirs.raw_input_contents[0] == ours.raw_input_contents[0]


def test_tritons_infer_response_parses_as_ours():
    theirs = triton_pb2.ModelInferResponse(model_name="mlp", model_version="1")
    theirs.outputs.add(name="output", datatype="FP32", shape=[1, 2])
    theirs.raw_output_contents.append(b"\x00" * 8)

    ours = inference_pb2.ModelInferResponse.FromString(theirs.SerializeToString())

    assert [(o.name, list(o.shape)) for o in ours.outputs] == [("output", [1, 2])]
    assert ours.raw_output_contents[0] == b"\x00" * 8


def test_model_config_and_registry_messages_are_usable():
    config = model_config_pb2.ModelConfig(name="mlp", max_batch_size=64)
    config.input.add(name="input", data_type=model_config_pb2.TYPE_FP32, dims=[32])
    assert config.input[0].dims == [32]

    model = registry_pb2.Model(name="mlp", tags=["demo"])
    model.create_time.FromSeconds(0)
    assert model.create_time.ToDatetime().year == 1970
    assert errors_pb2.ErrorReason.Name(errors_pb2.MODEL_NOT_FOUND) == "MODEL_NOT_FOUND"
