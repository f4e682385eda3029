"""Proves that botocore_shapes finds each kind of problem (python3 -m unittest)."""

import json
import os
import sys
import unittest

import botocore.session

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import botocore_shapes  # noqa: E402


class Response:
    def __init__(self, status, body, headers=None):
        self.status_code, self.content, self.headers = status, body, headers or {}


SESSION = botocore.session.get_session()
LAMBDA = SESSION.get_service_model("lambda")
CLOUDWATCH = SESSION.get_service_model("cloudwatch")


def problems(model, status, body, headers=None):
    if isinstance(body, dict):
        body = json.dumps(body).encode()
    return botocore_shapes.validate_response(model, Response(status, body, headers))


class LambdaShapes(unittest.TestCase):
    op = LAMBDA.operation_model("GetFunctionConcurrency")
    alias = LAMBDA.operation_model("GetAlias")

    def test_a_good_answer_passes(self):
        self.assertEqual(problems(self.op, 200, {"ReservedConcurrentExecutions": 5}), [])

    def test_unknown_member(self):
        self.assertIn("Reserved: not a member", problems(self.op, 200, {"Reserved": 5})[0])

    def test_wrong_type(self):
        self.assertIn("is not a integer", problems(self.op, 200, {"ReservedConcurrentExecutions": "5"})[0])

    def test_range(self):
        self.assertIn("under the minimum", problems(self.op, 200, {"ReservedConcurrentExecutions": -1})[0])

    def test_pattern_and_length(self):
        found = problems(self.alias, 200, {"AliasArn": "not an arn", "Name": "x" * 200})
        self.assertTrue(any("does not match the pattern" in p for p in found), found)
        self.assertTrue(any("over the maximum 128" in p for p in found), found)

    def test_error_enum_and_header_member(self):
        invoke = LAMBDA.operation_model("Invoke")
        found = problems(invoke, 429, {"Type": "User", "message": "Rate Exceeded.", "Reason": "TooBusy"},
                         {"x-amzn-ErrorType": "TooManyRequestsException"})
        self.assertTrue(any("'TooBusy' is not in the enum ThrottleReason" in p for p in found), found)
        found = problems(invoke, 200, b"{}", {"X-Amz-Executed-Version": "latest"})
        self.assertTrue(any("ExecutedVersion" in p and "pattern" in p for p in found), found)


class CloudWatchShapes(unittest.TestCase):
    op = CLOUDWATCH.operation_model("GetMetricStatistics")

    @unittest.skipUnless("json" in botocore_shapes.cloudwatch_protocols(), "botocore without CloudWatch JSON 1.0")
    def test_json_enum_and_required(self):
        force(self.op, "json")
        found = problems(self.op, 200, {"Label": "Duration", "Datapoints": [{"Timestamp": 1, "Unit": "Parsecs"}]})
        self.assertTrue(any("'Parsecs' is not in the enum StandardUnit" in p for p in found), found)
        lm = CLOUDWATCH.operation_model("GetMetricData")
        found = problems(lm, 200, {"MetricDataResults": [{"Id": "a", "StatusCode": "Complete", "Timestamps": ["x"]}]})
        self.assertTrue(any("is not a timestamp" in p for p in found), found)

    def test_query_unknown_member_and_type(self):
        force(self.op, "query")
        body = (b'<GetMetricStatisticsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/">'
                b'<GetMetricStatisticsResult><Label>Duration</Label><Extra/><Datapoints><member>'
                b'<Timestamp>yesterday</Timestamp><Sum>many</Sum></member></Datapoints></GetMetricStatisticsResult>'
                b'</GetMetricStatisticsResponse>')
        found = problems(self.op, 200, body)
        self.assertTrue(any("Extra: not a member" in p for p in found), found)
        self.assertTrue(any("'many' is not a double" in p for p in found), found)
        self.assertTrue(any("'yesterday' is not a timestamp" in p for p in found), found)

    @unittest.skipUnless("smithy-rpc-v2-cbor" in botocore_shapes.cloudwatch_protocols(), "botocore without RPC v2 CBOR")
    def test_cbor_wrong_type(self):
        force(self.op, "smithy-rpc-v2-cbor")
        found = problems(self.op, 200, bytes.fromhex("a1654c6162656c05"))  # {"Label": 5}
        self.assertTrue(any("5 is not a string" in p for p in found), found)


def force(op, protocol):
    op.service_model.metadata["protocol"] = protocol


if __name__ == "__main__":
    unittest.main()
