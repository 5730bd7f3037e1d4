"""The HTTP port answers the KServe v2 health endpoints."""

import urllib.request


def test_live_and_ready_answer_200(agora_server):
    for path in ("/v2/health/live", "/v2/health/ready"):
        with urllib.request.urlopen(agora_server.http_url + path, timeout=10) as response:
            assert response.status == 200, path
